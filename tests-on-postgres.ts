// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [] as string[],
  server: [
    'test/billing.checkout.test.ts',
    'test/billing.portal-invoices.test.ts',
    'test/billing.refusals.test.ts',
    'test/stripe.lifecycle.test.ts',
    'test/stripe.purchases.test.ts',
    'test/stripe.webhook.test.ts',
    'test/stripe.with-fake.test.ts',
    'test/v1.demo-max-tokens.test.ts',
    'test/verify.gates.test.ts',
  ],
};
