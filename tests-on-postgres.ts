// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [] as string[],
  server: [
    'test/chat.images.test.ts',
    'test/chat.mass-leave.test.ts',
    'test/chat.resume.sse.test.ts',
    'test/chat.stream-client.sse.test.ts',
    'test/process.server.test.ts',
    'test/server.bad-input.test.ts',
    'test/server.csrf.test.ts',
    'test/server.errors.test.ts',
    'test/server.http.test.ts',
    'test/v1.demo-max-tokens.test.ts',
    'test/v1.mass-leave.test.ts',
    'test/v1.openai-compat.test.ts',
    'test/v1.openai-sdk.test.ts',
    'test/verify.chat-option.test.ts',
  ],
};
