import { afterEach, describe, expect, it } from 'vitest';
import {
  type AdjustCreditsInput,
  adjustCreditsThrough,
} from '../src/domain/credits/adjust-credits.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import type { RefillPolicy } from '../src/domain/entitlements/entitlements.ts';
import type { GrantMarkInput } from '../src/domain/memberships/grant-mark.ts';
import {
  Browser,
  demoIds,
  type EngineTestApi,
  openTestApi,
  STRONG_PASSWORD,
  signedUp,
} from './harness.ts';
import { creditAccount, rowsWithNumbers } from './money-fixtures.ts';

const DAY = 86_400_000;

describe('refills', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());
  const balanceOf = async (userId: string) => (await creditAccount(api, userId))!.balance;
  const refillRows = () =>
    rowsWithNumbers(
      api,
      ['delta'],
      "select user_id, delta, idempotency_key from credit_ledger where kind = 'refill'",
    );
  const adjust = (input: AdjustCreditsInput) =>
    adjustCreditsThrough((move) => api.stores.money.moveCredits(move), input);
  const grant = (input: GrantMarkInput) => api.stores.members.grantMark(input);
  const invariantsHold = async () => (await api.stores.money.checkInvariants()).ok;

  /** Gives a mark a refill policy (its other entitlements kept), as the catalog editor would. */
  async function setPolicy(markKey: string, policy: RefillPolicy) {
    const [mark] = await api.sql<{ entitlements: string }>(
      'select cast(entitlements as text) as entitlements from marks where key = $1',
      [markKey],
    );
    const entitlements = { ...JSON.parse(mark!.entitlements), refill: policy };
    await api.sql('update marks set entitlements = $1, updated_at = $2 where key = $3', [
      JSON.stringify(entitlements),
      Date.now(),
      markKey,
    ]);
  }

  it('refill the free tier on demand at sign-in, once per day, resetting to the amount', async () => {
    api = await openTestApi();
    clearRefillHints();
    const { viewer } = await signedUp(api, 'daily@example.com');
    const userId = viewer.user.id;
    expect(await balanceOf(userId)).toBe(0); // sign-up itself is not a sign-in
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'daily@example.com', password: STRONG_PASSWORD });
    expect(await balanceOf(userId)).toBe(10_000);
    await adjust({
      userId,
      mode: 'add',
      amount: -4000,
      reason: 'spent',
      actorUserId: null,
      now: api.clock.now,
    });
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'daily@example.com', password: STRONG_PASSWORD });
    expect(await balanceOf(userId)).toBe(6000); // same day: nothing more
    api.clock.advance(DAY);
    clearRefillHints();
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'daily@example.com', password: STRONG_PASSWORD });
    expect(await balanceOf(userId)).toBe(10_000); // reset to the amount, not +10,000
    expect(await refillRows()).toHaveLength(2);
    expect(await invariantsHold()).toBe(true);
  });

  it('scheduled runs grant once per user per period, however often and by whomever they run', async () => {
    api = await openTestApi({ seedDemo: true });
    clearRefillHints();
    const { marks } = await demoIds(api);
    const users: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { viewer } = await signedUp(api, `ent${i}@example.com`);
      await grant({
        userId: viewer.user.id,
        markId: marks.enterprise!,
        days: 60,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
      users.push(viewer.user.id);
    }
    const first = await api.stores.money.runScheduledRefills({
      trigger: 'scheduled',
      now: api.clock.now,
      timeZone: 'UTC',
      batchSize: 3,
    });
    expect(first).toMatchObject({
      usersScanned: 7,
      usersRefilled: 7,
      creditsGranted: 7 * 20_000_000,
      error: null,
    });
    const again = await api.stores.money.runScheduledRefills({
      trigger: 'admin',
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(again).toMatchObject({ usersScanned: 7, usersRefilled: 0, creditsGranted: 0 });
    // On-demand for the same mark and period is a no-op too.
    const enterprise = {
      amount: 20_000_000,
      every: { value: 1, unit: 'month' },
      strategy: 'topup',
      cap: 40_000_000,
      mode: 'on_demand',
      grades: [],
    } as const;
    const onDemand = await api.stores.money.refillUserOnDemand({
      userId: users[0]!,
      refills: [
        { markId: marks.enterprise!, markKey: 'enterprise', policy: { ...enterprise, grades: [] } },
      ],
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(onDemand).toBe(0);
    expect(await Promise.all(users.map(balanceOf))).toEqual(users.map(() => 20_000_000));

    // Next month: top up by the amount, up to the cap.
    api.clock.advance(31 * DAY);
    await api.stores.money.runScheduledRefills({
      trigger: 'cli',
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(await balanceOf(users[0]!)).toBe(40_000_000);
    api.clock.advance(31 * DAY);
    await grant({
      userId: users[0]!,
      markId: marks.enterprise!,
      days: 60,
      source: 'admin',
      actorUserId: null,
      now: api.clock.now,
    });
    await api.stores.money.runScheduledRefills({
      trigger: 'cli',
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(await balanceOf(users[0]!)).toBe(40_000_000); // at the cap: +0
    expect(await invariantsHold()).toBe(true);
  });

  it('gives heavy users their grade, and previews what a policy would do', async () => {
    api = await openTestApi({ seedDemo: true });
    clearRefillHints();
    const { marks } = await demoIds(api);
    const policy: RefillPolicy = {
      amount: 500,
      every: { value: 1, unit: 'day' },
      strategy: 'topup',
      cap: 100_000,
      mode: 'scheduled',
      grades: [{ minRequests7d: 3, amount: 2000 }],
    };
    await setPolicy('pro', policy);
    const heavy = (await signedUp(api, 'heavy@example.com')).viewer.user.id;
    const light = (await signedUp(api, 'light@example.com')).viewer.user.id;
    for (const userId of [heavy, light]) {
      await grant({
        userId,
        markId: marks.pro!,
        days: 30,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
    }
    await adjust({
      userId: heavy,
      mode: 'set',
      amount: 100_000,
      reason: 'x',
      actorUserId: null,
      now: api.clock.now,
    });
    await adjust({
      userId: heavy,
      mode: 'set',
      amount: 0,
      reason: 'x',
      actorUserId: null,
      now: api.clock.now,
    });
    for (let i = 0; i < 3; i++) {
      const e = {
        models: ['tessera-mini'],
        plugins: [],
        requestsPerDay: null,
        requestsPerMonth: null,
        requestsPerMinute: null,
        maxOutputTokens: 10,
        apiAccess: false,
        seats: 0,
        refill: null,
        fallbackModel: null,
      };
      await api.stores.money.admit({
        userId: heavy,
        requestId: `h${i}`,
        modelId: 'tessera-mini',
        entitlements: e,
        refills: [],
        inputTokens: 0,
        requestedOutputTokens: 0,
        now: api.clock.now,
        timeZone: 'UTC',
      });
    }
    const preview = await api.stores.payments.previewRefill({
      markId: marks.pro!,
      policy,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(preview).toMatchObject({
      holders: 2,
      groups: [
        { amount: 2000, users: 1 },
        { amount: 500, users: 1 },
      ],
      nextRefillAt: new Date('2026-03-02T00:00:00Z'),
    });
    await api.stores.money.runScheduledRefills({
      trigger: 'admin',
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(await balanceOf(heavy)).toBe(2000);
    expect(await balanceOf(light)).toBe(500);
    // An on-demand attempt for the same period finds the key taken.
    await setPolicy('pro', { ...policy, mode: 'on_demand' });
    expect(
      await api.stores.money.refillUserOnDemand({
        userId: light,
        refills: [{ markId: marks.pro!, markKey: 'pro', policy: { ...policy, mode: 'on_demand' } }],
        now: api.clock.now,
        timeZone: 'UTC',
      }),
    ).toBe(0);
    expect(await invariantsHold()).toBe(true);
  });

  it('refuse adjustments that would leave less than is reserved, and apply a keyed adjustment once', async () => {
    api = await openTestApi();
    const userId = (await signedUp(api, 'adj@example.com')).viewer.user.id;
    const add = (amount: number, key?: string) =>
      adjust({
        userId,
        mode: 'add',
        amount,
        reason: 'x',
        idempotencyKey: key,
        actorUserId: null,
        now: api.clock.now,
      });
    expect(await add(1000, 'k1')).toMatchObject({ applied: true, balance: 1000 });
    expect(await add(1000, 'k1')).toMatchObject({ applied: false });
    await api.sql('update credit_accounts set reserved = 800 where user_id = $1', [userId]);
    await api.sql(
      "insert into credit_reservations (id, user_id, amount, status, created_at) values ('held', $1, 800, 'open', 0)",
      [userId],
    );
    await expect(add(-300)).rejects.toThrow(/below the 800 credits/);
    await expect(
      adjust({
        userId,
        mode: 'set',
        amount: 799,
        reason: 'x',
        actorUserId: null,
        now: api.clock.now,
      }),
    ).rejects.toThrow();
    await expect(add(0)).rejects.toThrow(/whole number/);
    await expect(add(1.5)).rejects.toThrow(/whole number/);
    expect(await balanceOf(userId)).toBe(1000);
    expect(await invariantsHold()).toBe(true);
  });
});
