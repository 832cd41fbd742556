// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [] as string[],
  server: [
    'test/leaving.export-and-delete.test.ts',
    'test/mail.password-reset.test.ts',
    'test/mail.verify-and-signup.test.ts',
    'test/notifications.mail.test.ts',
    'test/sso.github.test.ts',
    'test/sso.oidc.test.ts',
    'test/v1.demo-max-tokens.test.ts',
  ],
};
