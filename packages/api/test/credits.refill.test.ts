import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { previewRefill } from '../src/domain/credits/preview-refill.ts';
import { clearRefillHints, refillUserOnDemand } from '../src/domain/credits/refill-user.ts';
import { runScheduledRefills } from '../src/domain/credits/run-scheduled-refills.ts';
import type { RefillPolicy } from '../src/domain/entitlements/entitlements.ts';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { admitRequest } from '../src/domain/usage/admit-request.ts';
import {
  Browser,
  createTestApi,
  demoIds,
  STRONG_PASSWORD,
  signedUp,
  type TestApi,
} from './harness.ts';

const DAY = 86_400_000;

describe('refills', () => {
  let api: TestApi;
  afterEach(() => api.destroy());
  const balanceOf = (userId: string) =>
    (
      api.db.sqlite
        .prepare('select balance from credit_accounts where user_id = ?')
        .get(userId) as { balance: number }
    ).balance;
  const refillRows = () =>
    api.db.sqlite
      .prepare("select user_id, delta, idempotency_key from credit_ledger where kind = 'refill'")
      .all() as { user_id: string; delta: number; idempotency_key: string }[];

  function setPolicy(markKey: string, policy: RefillPolicy) {
    api.db.sqlite
      .prepare(
        "update marks set entitlements = json_set(entitlements, '$.refill', json(?)), updated_at = ? where key = ?",
      )
      .run(JSON.stringify(policy), Date.now(), markKey);
  }

  it('refill the free tier on demand at sign-in, once per day, resetting to the amount', async () => {
    api = createTestApi();
    clearRefillHints();
    const { viewer } = await signedUp(api, 'daily@example.com');
    const userId = viewer.user.id;
    expect(balanceOf(userId)).toBe(0); // sign-up itself is not a sign-in
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'daily@example.com', password: STRONG_PASSWORD });
    expect(balanceOf(userId)).toBe(10_000);
    adjustCredits(api.db.db, {
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
    expect(balanceOf(userId)).toBe(6000); // same day: nothing more
    api.clock.advance(DAY);
    clearRefillHints();
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'daily@example.com', password: STRONG_PASSWORD });
    expect(balanceOf(userId)).toBe(10_000); // reset to the amount, not +10,000
    expect(refillRows()).toHaveLength(2);
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('scheduled runs grant once per user per period, however often and by whomever they run', async () => {
    api = createTestApi({ seedDemo: true });
    clearRefillHints();
    const { marks } = await demoIds(api);
    const users: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { viewer } = await signedUp(api, `ent${i}@example.com`);
      grantMark(api.db.db, {
        userId: viewer.user.id,
        markId: marks.enterprise!,
        days: 60,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
      users.push(viewer.user.id);
    }
    const first = runScheduledRefills(api.db.db, {
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
    const again = runScheduledRefills(api.db.db, {
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
    const onDemand = refillUserOnDemand(api.db.db, {
      userId: users[0]!,
      refills: [
        { markId: marks.enterprise!, markKey: 'enterprise', policy: { ...enterprise, grades: [] } },
      ],
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(onDemand).toBe(0);
    expect(users.map(balanceOf)).toEqual(users.map(() => 20_000_000));

    // Next month: top up by the amount, up to the cap.
    api.clock.advance(31 * DAY);
    runScheduledRefills(api.db.db, { trigger: 'cli', now: api.clock.now, timeZone: 'UTC' });
    expect(balanceOf(users[0]!)).toBe(40_000_000);
    api.clock.advance(31 * DAY);
    grantMark(api.db.db, {
      userId: users[0]!,
      markId: marks.enterprise!,
      days: 60,
      source: 'admin',
      actorUserId: null,
      now: api.clock.now,
    });
    runScheduledRefills(api.db.db, { trigger: 'cli', now: api.clock.now, timeZone: 'UTC' });
    expect(balanceOf(users[0]!)).toBe(40_000_000); // at the cap: +0
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('gives heavy users their grade, and previews what a policy would do', async () => {
    api = createTestApi({ seedDemo: true });
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
    setPolicy('pro', policy);
    const heavy = (await signedUp(api, 'heavy@example.com')).viewer.user.id;
    const light = (await signedUp(api, 'light@example.com')).viewer.user.id;
    for (const userId of [heavy, light]) {
      grantMark(api.db.db, {
        userId,
        markId: marks.pro!,
        days: 30,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
    }
    adjustCredits(api.db.db, {
      userId: heavy,
      mode: 'set',
      amount: 100_000,
      reason: 'x',
      actorUserId: null,
      now: api.clock.now,
    });
    adjustCredits(api.db.db, {
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
      admitRequest(api.db.db, {
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
    const preview = previewRefill(api.db.db, {
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
    runScheduledRefills(api.db.db, { trigger: 'admin', now: api.clock.now, timeZone: 'UTC' });
    expect(balanceOf(heavy)).toBe(2000);
    expect(balanceOf(light)).toBe(500);
    // An on-demand attempt for the same period finds the key taken.
    setPolicy('pro', { ...policy, mode: 'on_demand' });
    expect(
      refillUserOnDemand(api.db.db, {
        userId: light,
        refills: [{ markId: marks.pro!, markKey: 'pro', policy: { ...policy, mode: 'on_demand' } }],
        now: api.clock.now,
        timeZone: 'UTC',
      }),
    ).toBe(0);
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('refuse adjustments that would leave less than is reserved, and apply a keyed adjustment once', async () => {
    api = createTestApi();
    const userId = (await signedUp(api, 'adj@example.com')).viewer.user.id;
    const add = (amount: number, key?: string) =>
      adjustCredits(api.db.db, {
        userId,
        mode: 'add',
        amount,
        reason: 'x',
        idempotencyKey: key,
        actorUserId: null,
        now: api.clock.now,
      });
    expect(add(1000, 'k1')).toMatchObject({ applied: true, balance: 1000 });
    expect(add(1000, 'k1')).toMatchObject({ applied: false });
    api.db.sqlite
      .prepare('update credit_accounts set reserved = 800 where user_id = ?')
      .run(userId);
    api.db.sqlite
      .prepare(
        "insert into credit_reservations (id, user_id, amount, status, created_at) values ('held', ?, 800, 'open', 0)",
      )
      .run(userId);
    expect(() => add(-300)).toThrow(/below the 800 credits/);
    expect(() =>
      adjustCredits(api.db.db, {
        userId,
        mode: 'set',
        amount: 799,
        reason: 'x',
        actorUserId: null,
        now: api.clock.now,
      }),
    ).toThrow();
    expect(() => add(0)).toThrow(/whole number/);
    expect(() => add(1.5)).toThrow(/whole number/);
    expect(balanceOf(userId)).toBe(1000);
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });
});
