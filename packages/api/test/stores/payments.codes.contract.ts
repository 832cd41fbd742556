// The payments store's contract for redemption codes (decision 017): generating batches, listing
// them, and redeeming — one guarded claim whose grant commits with it. Run by
// payments.sqlite.test.ts and payments.pg.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RedeemCodeInput } from '../../src/storage/payments-store.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import {
  addMark,
  addPlan,
  addUser,
  addVendor,
  auditActions,
  count,
  DAY,
  NOW,
} from './payments.fixtures.ts';

const actor = { actorUserId: null, actorLabel: 'cli:test', now: NOW };

export function paymentsCodesContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    await addUser(engine, 'alice');
    await addUser(engine, 'bob');
    await addVendor(engine, 'acme');
    await addMark(engine, 'pro');
    await addMark(engine, 'acme-gold', 'acme');
    await addPlan(engine, 'pro-monthly', { markId: 'pro' });
    await addPlan(engine, 'pro-forever', { markId: 'pro', interval: 'once', durationDays: null });
    await addPlan(engine, 'gold', { tenantId: 'acme', markId: 'acme-gold' });
  });
  afterEach(() => engine.close());
  const store = () => engine.stores.payments;
  const redeem = (userId: string, code: string, extra: Partial<RedeemCodeInput> = {}) =>
    store().redeemCode({
      userId,
      code,
      ip: null,
      throttle: false,
      requireVerifiedEmail: false,
      actorUserId: userId,
      now: NOW,
      ...extra,
    });
  const account = async (userId: string) =>
    (
      await engine.sql<{ balance: number; purchased: number }>(
        'select balance, purchased from credit_accounts where user_id = $1',
        [userId],
      )
    ).map((r) => ({ balance: Number(r.balance), purchased: Number(r.purchased) }))[0];
  const membership = async (userId: string, markId: string) =>
    (
      await engine.sql<{ expires_at: number | string | null }>(
        'select expires_at from memberships where user_id = $1 and mark_id = $2',
        [userId, markId],
      )
    ).map((r) => (r.expires_at === null ? null : Number(r.expires_at)))[0];
  const events = async (userId: string) =>
    (
      await engine.sql<{ kind: string }>(
        'select kind from member_events where user_id = $1 order by id',
        [userId],
      )
    ).map((r) => r.kind);

  describe('generating', () => {
    it('stores a batch and its codes hashed, audited, and lists batches newest first', async () => {
      const plan = await store().generateCodes({
        planKey: 'pro-monthly',
        count: 3,
        note: 'launch',
        ...actor,
      });
      expect(plan.batch).toMatchObject({
        planKey: 'pro-monthly',
        days: 31,
        credits: null,
        count: 3,
        note: 'launch',
      });
      expect(plan.codes).toHaveLength(3);
      for (const code of plan.codes) expect(code).toMatch(/^TSRA(-[0-9A-Z]{4}){4}$/);
      const credits = await store().generateCodes({
        credits: 500,
        count: 2,
        ...actor,
        now: new Date(NOW.getTime() + 1),
      });
      expect(credits.batch).toMatchObject({ planKey: null, days: null, credits: 500 });
      const stored = await engine.sql<{ hint: string }>(
        'select hint from redemption_codes where batch_id = $1',
        [plan.batch.id],
      );
      expect(stored.map((r) => r.hint).sort()).toEqual(plan.codes.map((c) => c.slice(-4)).sort());
      expect((await auditActions(engine, plan.batch.id)).map((a) => a.action)).toEqual([
        'codes.generated',
      ]);

      await redeem('alice', credits.codes[0]!);
      const batches = await store().listCodeBatches();
      expect(batches.map((b) => [b.id, b.redeemed, b.createdByLabel])).toEqual([
        [credits.batch.id, 1, 'cli:test'],
        [plan.batch.id, 0, 'cli:test'],
      ]);
      expect(await store().listCodeBatches({ limit: 1 })).toHaveLength(1);
    });

    it('refuses an unknown plan, a suspended seller, a plan without a term, writing nothing', async () => {
      await expect(
        store().generateCodes({ planKey: 'nope', count: 1, ...actor }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(
        store().generateCodes({ planKey: 'pro-forever', count: 1, ...actor }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      await engine.sql('update tenants set suspended_at = $1 where id = $2', [NOW, 'acme']);
      await expect(
        store().generateCodes({ planKey: 'gold', count: 1, ...actor }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(
        store().generateCodes({
          credits: 5,
          count: 1,
          ...actor,
          expiresAt: new Date(NOW.getTime() - 1),
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(await count(engine, 'redemption_batches')).toBe(0);
      expect(await count(engine, 'redemption_codes')).toBe(0);
      expect(await count(engine, 'audit_events')).toBe(0);
      const forever = await store().generateCodes({
        planKey: 'pro-forever',
        days: 7,
        count: 1,
        ...actor,
      });
      expect(forever.batch.days).toBe(7);
    });
  });

  describe('redeeming', () => {
    it('adds purchased credits once, however typed; again says so; anyone else is refused', async () => {
      const { codes } = await store().generateCodes({ credits: 500, count: 1, ...actor });
      const typed = codes[0]!.toLowerCase().replaceAll('-', ' ').replace('tsra', '');
      const first = await redeem('alice', typed);
      expect(first).toEqual({
        alreadyRedeemed: false,
        grant: { kind: 'credits', credits: 500 },
        redeemedAt: NOW,
      });
      expect(await account('alice')).toEqual({ balance: 500, purchased: 500 });
      const ledger = await engine.sql<{ idempotency_key: string; kind: string }>(
        'select idempotency_key, kind from credit_ledger where user_id = $1',
        ['alice'],
      );
      expect(ledger).toEqual([
        { idempotency_key: expect.stringMatching(/^code:/), kind: 'purchase' },
      ]);
      expect(await events('alice')).toEqual(['credits.changed']);
      const audits = (await auditActions(engine, 'alice')).map((a) => a.action);
      expect(audits).toEqual(['credits.purchased', 'code.redeemed']);

      const again = await redeem('alice', codes[0]!, { now: new Date(NOW.getTime() + 1000) });
      expect(again).toEqual({
        alreadyRedeemed: true,
        grant: { kind: 'credits', credits: 500 },
        redeemedAt: NOW,
      });
      await expect(redeem('bob', codes[0]!)).rejects.toMatchObject({ code: 'CODE_USED' });
      expect(await account('alice')).toEqual({ balance: 500, purchased: 500 });
      expect(await account('bob')).toEqual({ balance: 0, purchased: 0 });
      expect(await count(engine, 'credit_ledger')).toBe(1);
    });

    it("grants a plan's mark for the batch's days and a second code extends it", async () => {
      const { codes } = await store().generateCodes({
        planKey: 'pro-monthly',
        days: 10,
        count: 2,
        ...actor,
      });
      const first = await redeem('alice', codes[0]!);
      expect(first.grant).toEqual({
        kind: 'plan',
        planKey: 'pro-monthly',
        markKey: 'pro',
        days: 10,
        expiresAt: new Date(NOW.getTime() + 10 * DAY),
      });
      const later = new Date(NOW.getTime() + DAY);
      const second = await redeem('alice', codes[1]!, { now: later });
      expect(second.grant).toMatchObject({ expiresAt: new Date(NOW.getTime() + 20 * DAY) });
      expect(await membership('alice', 'pro')).toBe(NOW.getTime() + 20 * DAY);
      expect(await events('alice')).toEqual(['membership.granted', 'membership.extended']);
      const audits = await auditActions(engine, 'alice');
      expect(audits.map((a) => a.action)).toEqual([
        'membership.granted',
        'code.redeemed',
        'membership.extended',
        'code.redeemed',
      ]);
      expect(audits[1]!.data).toMatchObject({ planKey: 'pro-monthly', markKey: 'pro', days: 10 });
    });

    it('refuses unverified members, expired batches, suspended sellers and unknown codes; the code stays unused', async () => {
      await addUser(engine, 'carol', { verified: false });
      const plan = await store().generateCodes({ planKey: 'gold', count: 1, ...actor });
      const soon = await store().generateCodes({
        credits: 5,
        count: 1,
        expiresAt: new Date(NOW.getTime() + 3_600_000),
        ...actor,
      });
      await expect(
        redeem('carol', plan.codes[0]!, { requireVerifiedEmail: true }),
      ).rejects.toMatchObject({
        code: 'EMAIL_NOT_VERIFIED',
      });
      await expect(
        redeem('alice', soon.codes[0]!, { now: new Date(NOW.getTime() + 7_200_000) }),
      ).rejects.toMatchObject({ code: 'CODE_EXPIRED' });
      await engine.sql('update tenants set suspended_at = $1 where id = $2', [NOW, 'acme']);
      await expect(redeem('alice', plan.codes[0]!)).rejects.toMatchObject({ code: 'CODE_EXPIRED' });
      await expect(redeem('alice', 'TSRA-0000-0000-0000-0000')).rejects.toMatchObject({
        code: 'CODE_INVALID',
      });
      await expect(redeem('alice', 'not a code')).rejects.toMatchObject({ code: 'VALIDATION' });
      expect((await store().listCodeBatches()).map((b) => b.redeemed)).toEqual([0, 0]);
      expect(await count(engine, 'memberships')).toBe(0);
      expect(await count(engine, 'credit_ledger')).toBe(0);
      // Reinstated, the seller's code works; verified, so does carol's.
      await engine.sql('update tenants set suspended_at = null where id = $1', ['acme']);
      await engine.sql('update users set email_verified_at = $1 where id = $2', [NOW, 'carol']);
      expect(
        (await redeem('carol', plan.codes[0]!, { requireVerifiedEmail: true })).alreadyRedeemed,
      ).toBe(false);
    });

    it('throttles guesses per member, and a member’s own code gives its token back', async () => {
      const { codes } = await store().generateCodes({ credits: 5, count: 1, ...actor });
      const guess = (n: number) => `TSRA-0000-0000-0000-${String(n).padStart(4, '0')}`;
      const throttled = { throttle: true, ip: '203.0.113.9' };
      await redeem('alice', codes[0]!, throttled);
      for (let i = 0; i < 10; i++)
        await expect(redeem('alice', guess(i), throttled)).rejects.toMatchObject({
          code: 'CODE_INVALID',
        });
      await expect(redeem('alice', guess(11), throttled)).rejects.toMatchObject({
        code: 'TOO_MANY_ATTEMPTS',
        details: { retryAfterSeconds: 120 },
      });
      // An hour later the bucket has refilled.
      await expect(
        redeem('alice', guess(12), { ...throttled, now: new Date(NOW.getTime() + 3_600_000) }),
      ).rejects.toMatchObject({ code: 'CODE_INVALID' });
    });

    it('gives a code to exactly one of many members redeeming it at once', async () => {
      const racers = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      for (const id of racers) await addUser(engine, id);
      const { codes } = await store().generateCodes({ credits: 70, count: 1, ...actor });
      const results = await Promise.allSettled(racers.map((id) => redeem(id, codes[0]!)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CODE_USED' });
      expect(await count(engine, 'credit_ledger')).toBe(1);
      const rows = await engine.sql<{ n: number | string }>(
        'select sum(purchased) as n from credit_accounts',
      );
      expect(Number(rows[0]!.n)).toBe(70);
      expect((await engine.stores.money.checkInvariants()).ok).toBe(true);
    });
  });
}
