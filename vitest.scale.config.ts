// The scale-out suite (`pnpm test:scale`): every test that needs a real PostgreSQL or Redis
// (`*.pg.test.ts`, `*.redis.test.ts`, `*.scale.test.ts`) under packages/* and apps/server.
// `pnpm services` installs and starts both; TEST_DATABASE_URL / TEST_REDIS_URL point elsewhere.
// Each test file takes its own database from a migrated template (@tessera/db/testing-pg).
// Two files at a time: these tests start servers and processes, and CI machines have 2 cores.
import { configDefaults, defineConfig, defineProject } from 'vitest/config';
import { SCALE_TEST_PATTERNS } from './vitest.workspace.ts';

const scaleProject = (name: string, root: string) =>
  defineProject({
    test: {
      name: `${name}:scale`,
      root,
      include: SCALE_TEST_PATTERNS,
      exclude: configDefaults.exclude,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });

export default defineConfig({
  test: {
    projects: [
      scaleProject('db', './packages/db'),
      scaleProject('api', './packages/api'),
      scaleProject('server', './apps/server'),
    ],
    maxWorkers: 2,
  },
});
