// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [] as string[],
  server: [
    'test/cli.audit-actor.test.ts',
    'test/cli.codes.test.ts',
    'test/cli.credits-and-packs.test.ts',
    'test/cli.membership.test.ts',
    'test/cli.plans.test.ts',
    'test/cli.signup.test.ts',
    'test/cli.trust.test.ts',
    'test/two-factor.http-and-cli.test.ts',
    'test/v1.demo-max-tokens.test.ts',
  ],
};
