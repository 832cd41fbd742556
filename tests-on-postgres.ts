// The test files `pnpm test:pg` runs a second time, on PostgreSQL (TEST_ENGINE=postgres): every
// file whose fixtures and assertions go through the stores (`openTestApi`, `startTestServer`,
// `server.storage`), so one test body checks both engines (decision 043). A file joins this list
// once it no longer reaches the SQLite handle; keep it sorted.
export const TESTS_ON_POSTGRES = {
  api: [
    'test/catalog.cache.test.ts',
    'test/codes.redeem.test.ts',
    'test/credits.admission-guards.test.ts',
    'test/credits.admission.test.ts',
    'test/credits.ledger.test.ts',
    'test/credits.refill.test.ts',
    'test/credits.reservation-leases.test.ts',
    'test/marks.keys.test.ts',
    'test/membership.trial-and-sweep.test.ts',
    'test/payments.money-views.test.ts',
    'test/payments.packs.test.ts',
    'test/plans.keys.test.ts',
    'test/stripe.event-log.test.ts',
    'test/usage.router.test.ts',
    'test/vendor.ceiling.test.ts',
  ] as string[],
  server: ['test/v1.demo-max-tokens.test.ts'],
};
