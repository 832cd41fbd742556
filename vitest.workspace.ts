// The list of test projects. Vitest 4 reads only `test.projects`, so vitest.config.ts imports this
// list; this file is where projects are defined.
import { configDefaults, defineProject } from 'vitest/config';

/** Tests that need PostgreSQL or Redis run under `pnpm test:scale` (vitest.scale.config.ts). */
export const SCALE_TESTS = ['test/**/*.{pg,redis,scale}.test.ts'];
const exclude = [...configDefaults.exclude, ...SCALE_TESTS];

export const projects = [
  defineProject({ test: { name: 'db', root: './packages/db', include: ['test/**/*.test.ts'] } }),
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
  defineProject({ test: { name: 'web', root: './apps/web', include: ['test/**/*.test.ts'] } }),
];

export default projects;
