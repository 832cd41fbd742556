// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [
    'test/chat.answer-elsewhere.test.ts',
    'test/chat.assistants.test.ts',
    'test/chat.demo-model.test.ts',
    'test/chat.engine.test.ts',
    'test/chat.fallback.test.ts',
    'test/chat.live-answers-crowd.test.ts',
    'test/chat.paced-stops.test.ts',
    'test/chat.phases.test.ts',
    'test/chat.plugins.test.ts',
    'test/chat.prompt-tokens.test.ts',
    'test/chat.regenerate-and-edit.test.ts',
    'test/chat.request-key.test.ts',
    'test/chat.search.test.ts',
    'test/chat.watch-start.test.ts',
    'test/member-events.test.ts',
  ] as string[],
  server: ['test/v1.demo-max-tokens.test.ts'],
};
