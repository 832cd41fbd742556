// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [
    'test/accounts.trust.test.ts',
    'test/admin.models.test.ts',
    'test/admin.users.test.ts',
    'test/api-keys.test.ts',
    'test/auth.session-cookie.test.ts',
    'test/auth.sign-in.test.ts',
    'test/auth.sign-up-throttle.test.ts',
    'test/auth.sign-up.test.ts',
    'test/auth.throttle.test.ts',
    'test/auth.two-factor.test.ts',
    'test/member.auth-cache.test.ts',
    'test/member.gates.test.ts',
    'test/session-token.test.ts',
    'test/sessions.expiry.test.ts',
    'test/tenant-isolation.test.ts',
  ] as string[],
  server: ['test/v1.demo-max-tokens.test.ts'],
};
