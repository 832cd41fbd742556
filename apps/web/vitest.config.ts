import { defineProject } from 'vitest/config';

/** Unit tests of the SPA's pure modules (i18n, error mapping): node, no DOM. */
export default defineProject({
  test: {
    name: 'web',
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
