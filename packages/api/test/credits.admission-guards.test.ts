// The guards of the admission statements themselves: the counting upsert (all windows in one
// statement), the hold that also checks the personal daily cap, the reservation insert that is also
// the replay check. A refusal must leave every counter, hold and row as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { type Entitlements, entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import type { AdmissionInput } from '../src/domain/usage/admit-request.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { creditAccount, rowsWithNumbers, setCredits } from './money-fixtures.ts';

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
  let api: EngineTestApi;
  let n = 0;
  afterEach(() => api.destroy());

  async function payer(email: string, credits = 1_000_000) {
    const userId = (await signedUp(api, email)).viewer.user.id;
    await setCredits(api, userId, credits);
    return userId;
  }
  async function setup() {
    api = await openTestApi();
    clearRefillHints();
    return payer('payer@example.com');
  }
  const admit = (userId: string, overrides: Partial<AdmissionInput> = {}) =>
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
  /** Everything an admission writes, for "nothing changed" comparisons. */
  const written = async (userId: string) => ({
    counters: await rowsWithNumbers(
      api,
      ['requests'],
      'select "window", requests from usage_counters where user_id = $1 order by "window", period_start',
      [userId],
    ),
    account: await creditAccount(api, userId),
    reservations: await api.sql(
      'select id, status from credit_reservations where user_id = $1 order by id',
      [userId],
    ),
  });
  const invariantsHold = async () => (await api.stores.money.checkInvariants()).ok;

  it('counts minute, day and month in one statement, and a window at its limit rolls all back', async () => {
    const userId = await setup();
    const e = plan({ requestsPerMinute: 60, requestsPerDay: 10, requestsPerMonth: 2 });
    expect((await admit(userId, { entitlements: e })).ok).toBe(true);
    expect((await admit(userId, { entitlements: e })).ok).toBe(true);
    const before = await written(userId);
    expect(before.counters).toEqual([
      { window: 'day', requests: 2 },
      { window: 'minute', requests: 2 },
      { window: 'month', requests: 2 },
    ]);
    expect(await admit(userId, { entitlements: e })).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'month', limit: 2 },
    });
    expect(await written(userId)).toEqual(before);

    // The minute window refuses first, and takes the day and month counts back with it.
    const perMinute = plan({ requestsPerMinute: 3, requestsPerDay: 10, requestsPerMonth: 100 });
    expect((await admit(userId, { entitlements: perMinute })).ok).toBe(true);
    const atMinuteLimit = await written(userId);
    expect(await admit(userId, { entitlements: perMinute })).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
    });
    expect(await written(userId)).toEqual(atMinuteLimit);
    expect(await invariantsHold()).toBe(true);
  });

  it('checks the personal daily cap against the count that includes this request, in the hold', async () => {
    const userId = await setup();
    expect((await admit(userId)).ok).toBe(true);
    expect((await admit(userId)).ok).toBe(true);
    // Lowered below what was already used today: refused as the daily quota, nothing written.
    await api.sql('update credit_accounts set daily_request_cap = 1 where user_id = $1', [userId]);
    const before = await written(userId);
    expect(await admit(userId)).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'day', limit: 1, resetsAt: '2026-03-02T00:00:00.000Z' },
    });
    expect(await written(userId)).toEqual(before);
    // A cap of 0 refuses even the day's first request (the counter row does not exist yet).
    api.clock.advance(24 * 3_600_000);
    await api.sql('update credit_accounts set daily_request_cap = 0 where user_id = $1', [userId]);
    expect(await admit(userId)).toMatchObject({
      ok: false,
      code: 'QUOTA_EXCEEDED',
      details: { window: 'day', limit: 0 },
    });
    expect(await written(userId)).toEqual(before);
    // Exactly at the cap is allowed: the third request today with a cap of 3.
    await api.sql('update credit_accounts set daily_request_cap = 3 where user_id = $1', [userId]);
    for (let i = 0; i < 3; i++) expect((await admit(userId)).ok).toBe(true);
    expect(await admit(userId)).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    expect(await invariantsHold()).toBe(true);
  });

  it("replays a request id for its owner — even after the model is switched off — and refuses anyone else's, writing nothing", async () => {
    const owner = await setup();
    const other = await payer('other@example.com');
    expect(await admit(owner, { requestId: 'shared' })).toMatchObject({ ok: true, replay: false });
    const ownerBefore = await written(owner);
    const otherBefore = await written(other);

    expect(await admit(other, { requestId: 'shared' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await written(other)).toEqual(otherBefore);
    expect(await written(owner)).toEqual(ownerBefore);

    await api.sql('update models set active = false where id = $1', [MINI]);
    expect(await admit(owner, { requestId: 'shared' })).toMatchObject({
      ok: true,
      replay: true,
      reserved: 250,
    });
    expect(await admit(owner)).toMatchObject({ ok: false, code: 'MODEL_UNAVAILABLE' });
    expect(await written(owner)).toEqual(ownerBefore);
  });

  it('settles tokens and credits into the day and month windows', async () => {
    const userId = await setup();
    expect((await admit(userId, { requestId: 'used' })).ok).toBe(true);
    expect((await admit(userId, { requestId: 'unused' })).ok).toBe(true);
    const settle = (requestId: string, inputTokens: number, outputTokens: number) =>
      api.stores.money.settle({
        requestId,
        modelId: MINI,
        inputTokens,
        outputTokens,
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(await settle('used', 1000, 500)).toMatchObject({ settled: true, charged: 50 + 100 });
    expect(await settle('unused', 0, 0)).toMatchObject({
      settled: true,
      charged: 0,
      released: 250,
    });
    expect(
      await rowsWithNumbers(
        api,
        ['requests', 'input_tokens', 'output_tokens', 'credits'],
        'select "window", requests, input_tokens, output_tokens, credits from usage_counters where user_id = $1 order by "window"',
        [userId],
      ),
    ).toEqual([
      { window: 'day', requests: 2, input_tokens: 1000, output_tokens: 500, credits: 150 },
      { window: 'month', requests: 2, input_tokens: 1000, output_tokens: 500, credits: 150 },
    ]);
    expect(await invariantsHold()).toBe(true);
  });
});
