import { afterEach, describe, expect, it } from 'vitest';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { type Entitlements, entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import type { AdmissionInput } from '../src/domain/usage/admit-request.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { creditAccount, rowCount, rowsWithNumbers, setCredits } from './money-fixtures.ts';

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
  let api: EngineTestApi;
  let userId: string;
  let n = 0;
  afterEach(() => api.destroy());

  async function setup(balance: number) {
    api = await openTestApi();
    clearRefillHints();
    userId = (await signedUp(api, 'payer@example.com')).viewer.user.id;
    if (balance > 0) await setCredits(api, userId, balance);
  }
  const admit = (overrides: Partial<AdmissionInput> = {}) =>
    api.stores.money.admit({
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
  const balance = async () => (await creditAccount(api, userId))!;
  const invariantsHold = async () => (await api.stores.money.checkInvariants()).ok;

  it('reserves the worst case, charges the real cost, and releases the rest', async () => {
    await setup(10_000);
    const admission = await admit({ requestId: 'chat-1' });
    expect(admission).toMatchObject({ ok: true, reserved: 50 + 200, maxOutputTokens: 1000 });
    expect(await balance()).toEqual({ balance: 10_000, reserved: 250 });

    const settled = await api.stores.money.settle({
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
    expect(await balance()).toEqual({ balance: 9930, reserved: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('settles exactly once, and a reconnect with the same request id is neither admitted nor charged twice', async () => {
    await setup(10_000);
    expect(await admit({ requestId: 'same' })).toMatchObject({ ok: true, replay: false });
    expect(await admit({ requestId: 'same' })).toMatchObject({
      ok: true,
      replay: true,
      reserved: 250,
    });
    expect((await balance()).reserved).toBe(250);
    const counted = await rowsWithNumbers(
      api,
      ['requests'],
      `select requests from usage_counters where user_id = $1 and "window" = 'day'`,
      [userId],
    );
    expect(counted).toEqual([{ requests: 1 }]);

    const settle = () =>
      api.stores.money.settle({
        requestId: 'same',
        modelId: MINI,
        inputTokens: 1000,
        outputTokens: 1000,
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(await settle()).toMatchObject({ settled: true, charged: 250 });
    expect(await settle()).toEqual({ settled: false, reason: 'already_settled' });
    expect(await balance()).toEqual({ balance: 9750, reserved: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('clamps the charge to the reservation, and refuses negative, fractional or absurd usage', async () => {
    await setup(10_000);
    await admit({ requestId: 'greedy' });
    for (const bad of [-1, 1.5, Number.NaN, 10_000_001, Number.POSITIVE_INFINITY]) {
      await expect(
        api.stores.money.settle({
          requestId: 'greedy',
          modelId: MINI,
          inputTokens: 10,
          outputTokens: bad,
          now: api.clock.now,
          timeZone: 'UTC',
        }),
      ).rejects.toThrow(/whole token counts/);
    }
    expect(await balance()).toEqual({ balance: 10_000, reserved: 250 });
    const settled = await api.stores.money.settle({
      requestId: 'greedy',
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: 9_000_000,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(settled).toMatchObject({ charged: 250, released: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('refuses when credits cannot cover the worst case, writing nothing', async () => {
    await setup(249);
    expect(await admit()).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_CREDITS',
      details: { needed: 250, available: 249 },
    });
    expect(await rowCount(api, 'credit_reservations')).toBe(0);
    expect(await rowCount(api, 'usage_counters')).toBe(0);
    expect(await balance()).toEqual({ balance: 249, reserved: 0 });
  });

  it('counts requests against the daily limit under its guard and says when it resets', async () => {
    await setup(1_000_000);
    const e = plan({ requestsPerDay: 3 });
    for (let i = 0; i < 3; i++) expect((await admit({ entitlements: e })).ok).toBe(true);
    expect(await admit({ entitlements: e })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      message: 'The daily request limit is reached.',
      details: { window: 'day', limit: 3, resetsAt: '2026-03-02T00:00:00.000Z' },
    });
    expect(await admit({ entitlements: plan({ requestsPerMonth: 0 }) })).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: 'The monthly request limit is reached.',
    });
    expect(await admit({ entitlements: plan({ requestsPerDay: 0 }) })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
    });
    api.clock.advance(12 * 3_600_000); // the next day (the clock starts at noon)
    expect((await admit({ entitlements: e })).ok).toBe(true);
    expect((await admit({ entitlements: plan({ requestsPerDay: null }) })).ok).toBe(true); // unlimited
  });

  it('rate-limits per minute and never admits an unpriced model', async () => {
    await setup(1_000_000);
    const e = plan({ requestsPerMinute: 2 });
    expect((await admit({ entitlements: e })).ok).toBe(true);
    expect((await admit({ entitlements: e })).ok).toBe(true);
    expect(await admit({ entitlements: e })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    api.clock.advance(60_000);
    expect((await admit({ entitlements: e })).ok).toBe(true);
    expect(
      await admit({ modelId: 'free-lunch', entitlements: plan({ models: ['free-lunch'] }) }),
    ).toMatchObject({ ok: false, code: 'MODEL_UNAVAILABLE' });
  });

  it('applies personal caps: a daily request cap and a monthly credit cap', async () => {
    await setup(1_000_000);
    await api.sql(
      'update credit_accounts set daily_request_cap = 1, monthly_credit_cap = 600 where user_id = $1',
      [userId],
    );
    const first = await admit({ requestId: 'capped' });
    expect(first.ok).toBe(true);
    expect(await admit()).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    await api.sql('update credit_accounts set daily_request_cap = null where user_id = $1', [
      userId,
    ]);
    await api.stores.money.settle({
      requestId: 'capped',
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: 1000,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect((await admit()).ok).toBe(true); // 250 spent + 250 reserved ≤ 600
    expect(await admit()).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_CREDITS',
      details: { monthlyCapReached: true },
    });
  });
});
