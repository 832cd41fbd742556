// The two pots of decision 015 on the real SQLite file: a chat spends the plan allowance first and
// purchased credits after it, in the one settlement statement; refills and a lapsed plan only ever
// touch the allowance; a refund takes back what is unspent of purchased credits, never below zero;
// and credits:check holds for the total and for each pot after every step.
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import {
  grantPurchasedCredits,
  takeBackPurchasedCredits,
} from '../src/domain/credits/purchased-credits.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { runScheduledRefills } from '../src/domain/credits/run-scheduled-refills.ts';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { sweepLapsedMemberships } from '../src/domain/memberships/expire-lapsed.ts';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { revokeMark } from '../src/domain/memberships/revoke-mark.ts';
import { admitRequest } from '../src/domain/usage/admit-request.ts';
import { settleRequest } from '../src/domain/usage/settle-request.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

const DAY = 86_400_000;
const MINI = 'tessera-mini'; // 50,000 credits per 1M input tokens, 200,000 per 1M output tokens
const PLAN = entitlementsSchema.parse({
  models: [MINI],
  requestsPerDay: 100,
  requestsPerMonth: 1000,
  requestsPerMinute: 60,
  maxOutputTokens: 1000,
});

describe('two credit pots', () => {
  let api: TestApi;
  let userId: string;
  let n = 0;
  afterEach(() => api.destroy());

  async function setup(options: { seedDemo?: boolean } = {}) {
    api = createTestApi(options);
    clearRefillHints();
    userId = (await signedUp(api, 'pots@example.com')).viewer.user.id;
  }
  const pots = () => {
    const row = api.db.sqlite
      .prepare('select balance, purchased, reserved from credit_accounts where user_id = ?')
      .get(userId) as { balance: number; purchased: number; reserved: number };
    return { allowance: row.balance - row.purchased, purchased: row.purchased };
  };
  const ledger = () =>
    api.db.sqlite
      .prepare(
        'select kind, pot, delta, idempotency_key as key from credit_ledger where user_id = ? order by id',
      )
      .all(userId) as { kind: string; pot: string; delta: number; key: string }[];
  /** Pro (2,000,000 a month, reset) for `days`, as an admin grants it. */
  const grantPro = (days: number) =>
    grantMark(api.db.db, {
      userId,
      markId: (
        api.db.sqlite.prepare("select id from marks where key = 'pro'").get() as { id: string }
      ).id,
      days,
      source: 'admin',
      actorUserId: null,
      now: api.clock.now,
    });
  const setAllowance = (amount: number) =>
    adjustCredits(api.db.db, {
      userId,
      mode: 'set',
      amount,
      reason: 'test',
      actorUserId: null,
      now: api.clock.now,
    });
  const buy = (amount: number, key: string) =>
    grantPurchasedCredits(api.db.db, {
      userId,
      amount,
      idempotencyKey: key,
      reason: 'pack test',
      actorUserId: null,
      now: api.clock.now,
    });
  /** One chat of 1,000 input and `output` output tokens on tessera-mini, admitted and settled. */
  function chat(output: number) {
    const requestId = `req-${++n}`;
    const admission = admitRequest(api.db.db, {
      userId,
      requestId,
      modelId: MINI,
      entitlements: PLAN,
      refills: [],
      inputTokens: 1000,
      requestedOutputTokens: output,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(admission).toMatchObject({ ok: true });
    return settleRequest(api.db.db, {
      requestId,
      modelId: MINI,
      inputTokens: 1000,
      outputTokens: output,
      now: api.clock.now,
      timeZone: 'UTC',
    });
  }

  it('a chat draws the allowance first, then purchased credits, and the ledger says which pot paid', async () => {
    await setup();
    setAllowance(100);
    expect(buy(1000, 'pack:a')).toMatchObject({ applied: true, delta: 1000, purchased: 1000 });
    expect(pots()).toEqual({ allowance: 100, purchased: 1000 });

    // 50 + 20 = 70: all from the allowance.
    expect(chat(100)).toMatchObject({ settled: true, charged: 70 });
    expect(pots()).toEqual({ allowance: 30, purchased: 1000 });
    // 50 + 200 = 250: the last 30 of the allowance, then 220 purchased, in one settlement.
    expect(chat(1000)).toMatchObject({ settled: true, charged: 250, balance: 780 });
    expect(pots()).toEqual({ allowance: 0, purchased: 780 });
    // Allowance empty: all from purchased.
    chat(100);
    expect(pots()).toEqual({ allowance: 0, purchased: 710 });

    expect(ledger().filter((row) => row.kind === 'charge')).toEqual([
      { kind: 'charge', pot: 'allowance', delta: -70, key: 'charge:req-1' },
      { kind: 'charge', pot: 'allowance', delta: -30, key: 'charge:req-2' },
      { kind: 'charge', pot: 'purchased', delta: -220, key: 'charge:req-2:purchased' },
      { kind: 'charge', pot: 'purchased', delta: -70, key: 'charge:req-3:purchased' },
    ]);
    expect(checkCreditInvariants(api.db.db)).toMatchObject({ ok: true, problems: [] });
  });

  it('a purchase is granted once per key, and credits:check catches a pot out of step with its ledger', async () => {
    await setup();
    expect(buy(500, 'pack:once').applied).toBe(true);
    expect(buy(500, 'pack:once')).toEqual({ applied: false, reason: 'duplicate' });
    expect(pots()).toEqual({ allowance: 0, purchased: 500 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);

    // Move 100 from purchased to allowance behind the ledger's back: the total still agrees, the
    // pots do not.
    api.db.sqlite
      .prepare('update credit_accounts set purchased = purchased - 100 where user_id = ?')
      .run(userId);
    const report = checkCreditInvariants(api.db.db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        check: 'purchased = Σ purchased-pot ledger, 0 ≤ purchased ≤ balance',
        userId,
      }),
    ]);
  });

  it('a scheduled reset refill right after a pack purchase leaves the purchased credits whole', async () => {
    await setup({ seedDemo: true });
    // Pro resets to 2,000,000 each month; make its refill scheduled for this test.
    api.db.sqlite
      .prepare(
        "update marks set entitlements = json_set(entitlements, '$.refill.mode', 'scheduled') where key = 'pro'",
      )
      .run();
    grantPro(30);
    setAllowance(1_500_000);
    buy(300_000, 'pack:before-reset');
    runScheduledRefills(api.db.db, { trigger: 'scheduled', now: api.clock.now, timeZone: 'UTC' });
    // The allowance is reset up to 2,000,000 (+500,000); the 300,000 bought are not counted
    // towards the amount and not touched.
    expect(pots()).toEqual({ allowance: 2_000_000, purchased: 300_000 });
    expect(ledger().at(-1)).toMatchObject({ kind: 'refill', pot: 'allowance', delta: 500_000 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('losing a plan drops its allowance to what the marks still held grant, and keeps purchased credits', async () => {
    await setup({ seedDemo: true });
    const { marks } = await demoIds(api);
    grantPro(30);
    setAllowance(2_000_000); // what Pro's refill granted
    buy(40_000, 'pack:kept');
    revokeMark(api.db.db, { userId, markId: marks.pro!, actorUserId: null, now: api.clock.now });
    // Free, still held, refills up to 10,000: that much allowance stays; Pro's is gone.
    expect(pots()).toEqual({ allowance: 10_000, purchased: 40_000 });
    expect(ledger().at(-1)).toMatchObject({ kind: 'lapse', pot: 'allowance', delta: -1_990_000 });
    const audit = api.db.sqlite
      .prepare("select data from audit_events where action = 'credits.lapsed'")
      .get() as { data: string };
    expect(JSON.parse(audit.data)).toMatchObject({ markKey: 'pro', delta: -1_990_000 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('an expired plan loses its allowance at the next sweep, once, sparing credits held by a running chat', async () => {
    await setup({ seedDemo: true });
    const { marks } = await demoIds(api);
    grantPro(1);
    setAllowance(2_000_000);
    buy(5000, 'pack:sweep');
    // A chat in flight holds 250 when the plan lapses.
    const admission = admitRequest(api.db.db, {
      userId,
      requestId: 'in-flight',
      modelId: MINI,
      entitlements: PLAN,
      refills: [],
      inputTokens: 1000,
      requestedOutputTokens: 1000,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(admission).toMatchObject({ ok: true, reserved: 250 });
    api.clock.advance(2 * DAY);
    expect(sweepLapsedMemberships(api.db.db, { now: api.clock.now })).toBe(1);
    expect(sweepLapsedMemberships(api.db.db, { now: api.clock.now })).toBe(0);
    expect(pots()).toEqual({ allowance: 10_000, purchased: 5000 });
    expect(ledger().filter((row) => row.kind === 'lapse')).toHaveLength(1);
    const status = api.db.sqlite
      .prepare('select status from memberships where user_id = ? and mark_id = ?')
      .get(userId, marks.pro) as { status: string };
    expect(status.status).toBe('expired');
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('a refund takes back what is unspent of purchased credits, never below zero, audited', async () => {
    await setup();
    buy(1000, 'pack:refunded');
    chat(1000); // 250 from purchased (no allowance)
    chat(1000); // and 250 more
    expect(pots()).toEqual({ allowance: 0, purchased: 500 });
    const refund = () =>
      takeBackPurchasedCredits(api.db.db, {
        userId,
        amount: 1000,
        idempotencyKey: 'refund:ch_1',
        reason: 'pack refunded',
        actorUserId: null,
        now: api.clock.now,
      });
    expect(refund()).toMatchObject({ applied: true, delta: -500, purchased: 0 });
    expect(refund()).toEqual({ applied: false, reason: 'duplicate' });
    expect(pots()).toEqual({ allowance: 0, purchased: 0 });
    expect(ledger().at(-1)).toMatchObject({ kind: 'refund', pot: 'purchased', delta: -500 });
    const audit = api.db.sqlite
      .prepare("select data from audit_events where action = 'credits.refunded'")
      .get() as { data: string };
    expect(JSON.parse(audit.data)).toMatchObject({ amount: 1000, delta: -500, purchased: 0 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });

  it('an admin adjusts one pot at a time, and neither pot can go below zero', async () => {
    await setup();
    setAllowance(100);
    const adjust = (amount: number, pot: 'allowance' | 'purchased') =>
      adjustCredits(api.db.db, {
        userId,
        mode: 'add',
        amount,
        pot,
        reason: 'goodwill',
        actorUserId: null,
        now: api.clock.now,
      });
    expect(adjust(700, 'purchased')).toMatchObject({ applied: true, pot: 'purchased' });
    expect(pots()).toEqual({ allowance: 100, purchased: 700 });
    // 200 more than the allowance holds would eat into purchased credits: refused, nothing written.
    const rows = ledger().length;
    expect(() => adjust(-300, 'allowance')).toThrow(/allowance is 100/);
    expect(() => adjust(-701, 'purchased')).toThrow(/cannot go below zero/);
    expect(ledger()).toHaveLength(rows);
    expect(pots()).toEqual({ allowance: 100, purchased: 700 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });
});
