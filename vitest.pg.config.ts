// The suite on PostgreSQL (`pnpm test:pg`): the API and server test files listed in
// tests-on-postgres.ts, run with TEST_ENGINE=postgres, so each one's database is a fresh
// PostgreSQL database copied from the migrated template instead of a SQLite file. Needs
// `pnpm services` (or TEST_DATABASE_URL / TEST_REDIS_URL). Two files at a time, like test:scale.
import { configDefaults, defineConfig, defineProject } from 'vitest/config';
import { TESTS_ON_POSTGRES } from './tests-on-postgres.ts';

const pgProject = (name: 'api' | 'server', root: string, testTimeout: number) =>
  defineProject({
    test: {
      name: `${name}:pg`,
      root,
      include: TESTS_ON_POSTGRES[name],
      exclude: configDefaults.exclude,
      env: { TEST_ENGINE: 'postgres' },
      testTimeout,
      hookTimeout: 60_000,
    },
  });

export default defineConfig({
  test: {
    projects: [
      pgProject('api', './packages/api', 30_000),
      pgProject('server', './apps/server', 45_000),
    ],
    maxWorkers: 2,
    passWithNoTests: false,
  },
});
