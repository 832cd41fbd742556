// `pnpm test:scale`: the tests that need PostgreSQL (TEST_DATABASE_URL) or Redis (TEST_REDIS_URL),
// named *.pg.test.ts, *.redis.test.ts or *.scale.test.ts. The plain `pnpm test` leaves them out.
import { defineConfig, defineProject } from 'vitest/config';
import { SCALE_TESTS } from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects: [
      defineProject({
        test: {
          name: 'api-scale',
          root: './packages/api',
          include: SCALE_TESTS,
          testTimeout: 60_000,
        },
      }),
      defineProject({
        test: {
          name: 'server-scale',
          root: './apps/server',
          include: SCALE_TESTS,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      }),
    ],
  },
});
