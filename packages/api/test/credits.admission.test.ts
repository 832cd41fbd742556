import { creditReservations } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { type Entitlements, entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { type AdmissionInput, admitRequest } from '../src/domain/usage/admit-request.ts';
import { settleRequest } from '../src/domain/usage/settle-request.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

// tessera-mini: 50,000 credits per 1M input tokens, 200,000 per 1M output tokens.
const MINI = 'tessera-mini';
const plan = (overrides: Partial<Entitlements> = {}) =>
  entitlementsSchema.parse({
    models: [MINI],
    requestsPerDay: 100,
    requestsPerMonth: 1000,
    requestsPerMinute: 60,
    maxOutputTokens: 1000,
    ...overrides,
  });

describe('admission and settlement', () => {
  let api: TestApi;
  let userId: string;
  let n = 0;
  afterEach(() => api.destroy());

  async function setup(balance: number) {
    api = createTestApi();
    clearRefillHints();
    userId = (await signedUp(api, 'payer@example.com')).viewer.user.id;
    if (balance > 0)
      adjustCredits(api.db.db, {
        userId,
        mode: 'set',
        amount: balance,
        reason: 'test',
        actorUserId: null,
        now: api.clock.now,
      });
  }
  const admit = (overrides: Partial<AdmissionInput> = {}) =>
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
  const balance = () =>
    api.db.sqlite
      .prepare('select balance, reserved from credit_accounts where user_id = ?')
      .get(userId) as { balance: number; reserved: number };

  it('reserves the worst case, charges the real cost, and releases the rest', async () => {
    await setup(10_000);
    const admission = admit({ requestId: 'chat-1' });
    expect(admission).toMatchObject({ ok: true, reserved: 50 + 200, maxOutputTokens: 1000 });
    expect(balance()).toEqual({ balance: 10_000, reserved: 250 });

    const settled = settleRequest(api.db.db, {
      requestId: 'chat-1',
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: 100,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(settled).toMatchObject({
      settled: true,
      charged: 50 + 20,
      released: 180,
      balance: 9930,
    });
    expect(balance()).toEqual({ balance: 9930, reserved: 0 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('settles exactly once, and a reconnect with the same request id is neither admitted nor charged twice', async () => {
    await setup(10_000);
    expect(admit({ requestId: 'same' })).toMatchObject({ ok: true, replay: false });
    expect(admit({ requestId: 'same' })).toMatchObject({ ok: true, replay: true, reserved: 250 });
    expect(balance().reserved).toBe(250);
    const counted = api.db.sqlite
      .prepare("select requests from usage_counters where user_id = ? and window = 'day'")
      .get(userId);
    expect(counted).toEqual({ requests: 1 });

    const settle = () =>
      settleRequest(api.db.db, {
        requestId: 'same',
        modelId: MINI,
        inputTokens: 1000,
        outputTokens: 1000,
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(settle()).toMatchObject({ settled: true, charged: 250 });
    expect(settle()).toEqual({ settled: false, reason: 'already_settled' });
    expect(balance()).toEqual({ balance: 9750, reserved: 0 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('clamps the charge to the reservation, and refuses negative, fractional or absurd usage', async () => {
    await setup(10_000);
    admit({ requestId: 'greedy' });
    for (const bad of [-1, 1.5, Number.NaN, 10_000_001, Number.POSITIVE_INFINITY]) {
      expect(() =>
        settleRequest(api.db.db, {
          requestId: 'greedy',
          modelId: MINI,
          inputTokens: 10,
          outputTokens: bad,
          now: api.clock.now,
          timeZone: 'UTC',
        }),
      ).toThrow(/whole token counts/);
    }
    expect(balance()).toEqual({ balance: 10_000, reserved: 250 });
    const settled = settleRequest(api.db.db, {
      requestId: 'greedy',
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: 9_000_000,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(settled).toMatchObject({ charged: 250, released: 0 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('refuses when credits cannot cover the worst case, writing nothing', async () => {
    await setup(249);
    expect(admit()).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_CREDITS',
      details: { needed: 250, available: 249 },
    });
    expect(api.db.db.select().from(creditReservations).all()).toHaveLength(0);
    expect(api.db.sqlite.prepare('select count(*) as n from usage_counters').get()).toEqual({
      n: 0,
    });
    expect(balance()).toEqual({ balance: 249, reserved: 0 });
  });

  it('counts requests against the daily limit under its guard and says when it resets', async () => {
    await setup(1_000_000);
    const e = plan({ requestsPerDay: 3 });
    for (let i = 0; i < 3; i++) expect(admit({ entitlements: e }).ok).toBe(true);
    expect(admit({ entitlements: e })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      message: 'The daily request limit is reached.',
      details: { window: 'day', limit: 3, resetsAt: '2026-03-02T00:00:00.000Z' },
    });
    expect(admit({ entitlements: plan({ requestsPerMonth: 0 }) })).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: 'The monthly request limit is reached.',
    });
    expect(admit({ entitlements: plan({ requestsPerDay: 0 }) })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
    });
    api.clock.advance(12 * 3_600_000); // the next day (the clock starts at noon)
    expect(admit({ entitlements: e }).ok).toBe(true);
    expect(admit({ entitlements: plan({ requestsPerDay: null }) }).ok).toBe(true); // unlimited
  });

  it('rate-limits per minute and never admits an unpriced model', async () => {
    await setup(1_000_000);
    const e = plan({ requestsPerMinute: 2 });
    expect(admit({ entitlements: e }).ok).toBe(true);
    expect(admit({ entitlements: e }).ok).toBe(true);
    expect(admit({ entitlements: e })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    api.clock.advance(60_000);
    expect(admit({ entitlements: e }).ok).toBe(true);
    expect(
      admit({ modelId: 'free-lunch', entitlements: plan({ models: ['free-lunch'] }) }),
    ).toMatchObject({ ok: false, code: 'MODEL_UNAVAILABLE' });
  });

  it('applies personal caps: a daily request cap and a monthly credit cap', async () => {
    await setup(1_000_000);
    api.db.sqlite
      .prepare(
        'update credit_accounts set daily_request_cap = 1, monthly_credit_cap = 600 where user_id = ?',
      )
      .run(userId);
    const first = admit({ requestId: 'capped' });
    expect(first.ok).toBe(true);
    expect(admit()).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    api.db.sqlite
      .prepare('update credit_accounts set daily_request_cap = null where user_id = ?')
      .run(userId);
    settleRequest(api.db.db, {
      requestId: 'capped',
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: 1000,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(admit().ok).toBe(true); // 250 spent + 250 reserved ≤ 600
    expect(admit()).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_CREDITS',
      details: { monthlyCapReached: true },
    });
  });
});
