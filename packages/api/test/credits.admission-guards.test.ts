// The guards of the admission statements themselves: the counting upsert (all windows in one
// statement), the hold that also checks the personal daily cap, the reservation insert that is also
// the replay check. A refusal must leave every counter, hold and row as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { type Entitlements, entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { type AdmissionInput, admitRequest } from '../src/domain/usage/admit-request.ts';
import { settleRequest } from '../src/domain/usage/settle-request.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

const MINI = 'tessera-mini';
const plan = (overrides: Partial<Entitlements> = {}) =>
  entitlementsSchema.parse({
    models: [MINI],
    requestsPerDay: 100,
    requestsPerMonth: 1000,
    requestsPerMinute: null,
    maxOutputTokens: 1000,
    ...overrides,
  });

describe('admission guards', () => {
  let api: TestApi;
  let n = 0;
  afterEach(() => api.destroy());

  async function payer(email: string, credits = 1_000_000) {
    const userId = (await signedUp(api, email)).viewer.user.id;
    adjustCredits(api.db.db, {
      userId,
      mode: 'set',
      amount: credits,
      reason: 'test',
      actorUserId: null,
      now: api.clock.now,
    });
    return userId;
  }
  async function setup() {
    api = createTestApi();
    clearRefillHints();
    return payer('payer@example.com');
  }
  const admit = (userId: string, overrides: Partial<AdmissionInput> = {}) =>
    admitRequest(api.db.db, {
      userId,
      requestId: `req-${++n}`,
      modelId: MINI,
      entitlements: plan(),
      refills: [],
      inputTokens: 1000,
      requestedOutputTokens: 1000,
      now: api.clock.now,
      timeZone: 'UTC',
      ...overrides,
    });
  /** Everything an admission writes, for "nothing changed" comparisons. */
  const written = (userId: string) => ({
    counters: api.db.sqlite
      .prepare(
        'select window, requests from usage_counters where user_id = ? order by window, period_start',
      )
      .all(userId),
    account: api.db.sqlite
      .prepare('select balance, reserved from credit_accounts where user_id = ?')
      .get(userId),
    reservations: api.db.sqlite
      .prepare('select id, status from credit_reservations where user_id = ? order by id')
      .all(userId),
  });

  it('counts minute, day and month in one statement, and a window at its limit rolls all back', async () => {
    const userId = await setup();
    const e = plan({ requestsPerMinute: 60, requestsPerDay: 10, requestsPerMonth: 2 });
    expect(admit(userId, { entitlements: e }).ok).toBe(true);
    expect(admit(userId, { entitlements: e }).ok).toBe(true);
    const before = written(userId);
    expect(before.counters).toEqual([
      { window: 'day', requests: 2 },
      { window: 'minute', requests: 2 },
      { window: 'month', requests: 2 },
    ]);
    expect(admit(userId, { entitlements: e })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'month', limit: 2 },
    });
    expect(written(userId)).toEqual(before);

    // The minute window refuses first, and takes the day and month counts back with it.
    const perMinute = plan({ requestsPerMinute: 3, requestsPerDay: 10, requestsPerMonth: 100 });
    expect(admit(userId, { entitlements: perMinute }).ok).toBe(true);
    const atMinuteLimit = written(userId);
    expect(admit(userId, { entitlements: perMinute })).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
    });
    expect(written(userId)).toEqual(atMinuteLimit);
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('checks the personal daily cap against the count that includes this request, in the hold', async () => {
    const userId = await setup();
    expect(admit(userId).ok).toBe(true);
    expect(admit(userId).ok).toBe(true);
    // Lowered below what was already used today: refused as the daily quota, nothing written.
    api.db.sqlite
      .prepare('update credit_accounts set daily_request_cap = 1 where user_id = ?')
      .run(userId);
    const before = written(userId);
    expect(admit(userId)).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'day', limit: 1, resetsAt: '2026-03-02T00:00:00.000Z' },
    });
    expect(written(userId)).toEqual(before);
    // A cap of 0 refuses even the day's first request (the counter row does not exist yet).
    api.clock.advance(24 * 3_600_000);
    api.db.sqlite
      .prepare('update credit_accounts set daily_request_cap = 0 where user_id = ?')
      .run(userId);
    expect(admit(userId)).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'day', limit: 0 },
    });
    expect(written(userId)).toEqual(before);
    // Exactly at the cap is allowed: the third request today with a cap of 3.
    api.db.sqlite
      .prepare('update credit_accounts set daily_request_cap = 3 where user_id = ?')
      .run(userId);
    for (let i = 0; i < 3; i++) expect(admit(userId).ok).toBe(true);
    expect(admit(userId)).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it("replays a request id for its owner — even after the model is switched off — and refuses anyone else's, writing nothing", async () => {
    const owner = await setup();
    const other = await payer('other@example.com');
    expect(admit(owner, { requestId: 'shared' })).toMatchObject({ ok: true, replay: false });
    const ownerBefore = written(owner);
    const otherBefore = written(other);

    expect(admit(other, { requestId: 'shared' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(written(other)).toEqual(otherBefore);
    expect(written(owner)).toEqual(ownerBefore);

    api.db.sqlite.prepare('update models set active = 0 where id = ?').run(MINI);
    expect(admit(owner, { requestId: 'shared' })).toMatchObject({
      ok: true,
      replay: true,
      reserved: 250,
    });
    expect(admit(owner)).toMatchObject({ ok: false, code: 'MODEL_UNAVAILABLE' });
    expect(written(owner)).toEqual(ownerBefore);
  });

  it('settles tokens and credits into the day and month windows', async () => {
    const userId = await setup();
    expect(admit(userId, { requestId: 'used' }).ok).toBe(true);
    expect(admit(userId, { requestId: 'unused' }).ok).toBe(true);
    const settle = (requestId: string, inputTokens: number, outputTokens: number) =>
      settleRequest(api.db.db, {
        requestId,
        modelId: MINI,
        inputTokens,
        outputTokens,
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(settle('used', 1000, 500)).toMatchObject({ settled: true, charged: 50 + 100 });
    expect(settle('unused', 0, 0)).toMatchObject({ settled: true, charged: 0, released: 250 });
    expect(
      api.db.sqlite
        .prepare(
          'select window, requests, input_tokens, output_tokens, credits from usage_counters where user_id = ? order by window',
        )
        .all(userId),
    ).toEqual([
      { window: 'day', requests: 2, input_tokens: 1000, output_tokens: 500, credits: 150 },
      { window: 'month', requests: 2, input_tokens: 1000, output_tokens: 500, credits: 150 },
    ]);
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });
});
