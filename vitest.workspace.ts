// The list of test projects. Vitest 4 reads only `test.projects`, so vitest.config.ts imports this
// list; this file is where projects are defined.
//
// Tests that need PostgreSQL or Redis (`*.pg.test.ts`, `*.redis.test.ts`, `*.scale.test.ts`) are
// left out here, so `pnpm test` passes on a machine with neither; `pnpm test:scale`
// (vitest.scale.config.ts) runs them.
import { configDefaults, defineProject } from 'vitest/config';

export const SCALE_TEST_PATTERNS = ['**/*.pg.test.ts', '**/*.redis.test.ts', '**/*.scale.test.ts'];
const exclude = [...configDefaults.exclude, ...SCALE_TEST_PATTERNS];

export const projects = [
  defineProject({
    test: { name: 'db', root: './packages/db', include: ['test/**/*.test.ts'], exclude },
  }),
  defineProject({
    test: {
      name: 'api',
      root: './packages/api',
      include: ['test/**/*.test.ts'],
      exclude,
      testTimeout: 20_000,
    },
  }),
  defineProject({
    test: {
      name: 'server',
      root: './apps/server',
      include: ['test/**/*.test.ts'],
      exclude,
      testTimeout: 30_000,
    },
  }),
  defineProject({
    test: { name: 'web', root: './apps/web', include: ['test/**/*.test.ts'], exclude },
  }),
];

export default projects;
