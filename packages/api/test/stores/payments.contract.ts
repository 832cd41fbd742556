// The payments store's contract (packs, plan prices, the Stripe event log, money and credit
// views), one suite for every engine: payments.sqlite.test.ts and payments.pg.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import {
  addMark,
  addPayment,
  addPlan,
  addStripeEvent,
  addSubscription,
  addUser,
  addVendor,
  auditActions,
  count,
  DAY,
  NOW,
} from './payments.fixtures.ts';

const actor = { actorUserId: null, actorLabel: 'cli:test', now: NOW };
const pack = (name: string, credits: number, extra: Record<string, unknown> = {}) => ({
  fields: { name, credits, priceMinor: credits / 10, currency: 'USD', ...extra },
  ...actor,
});

export function paymentsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());
  const store = () => engine.stores.payments;

  describe('credit packs and Stripe prices', () => {
    it('creates, lists (active only unless asked, smallest first) and audits packs', async () => {
      const big = await store().createCreditPack(pack('Big', 5000));
      const small = await store().createCreditPack(pack('Small', 1000, { active: false }));
      expect(big).toMatchObject({ name: 'Big', credits: 5000, currency: 'usd', active: true });
      expect((await store().listCreditPacks()).map((p) => p.id)).toEqual([big.id]);
      expect((await store().listCreditPacks({ includeInactive: true })).map((p) => p.id)).toEqual([
        small.id,
        big.id,
      ]);
      expect((await auditActions(engine, big.id)).map((a) => a.action)).toEqual([
        'credit_pack.created',
      ]);
    });

    it('updates only the fields sent, auditing from → to', async () => {
      const created = await store().createCreditPack(pack('Small', 1000));
      const updated = await store().updateCreditPack({
        packId: created.id,
        fields: { stripePriceId: 'price_small' },
        ...actor,
      });
      expect(updated).toMatchObject({ name: 'Small', credits: 1000, stripePriceId: 'price_small' });
      const audits = await auditActions(engine, created.id);
      expect(audits.at(-1)).toEqual({
        action: 'credit_pack.updated',
        data: { from: { stripePriceId: null }, to: { stripePriceId: 'price_small' } },
      });
      await expect(
        store().updateCreditPack({ packId: 'nope', fields: { name: 'X' }, ...actor }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses a Stripe price that already sells something, writing nothing', async () => {
      await addMark(engine, 'pro');
      await addPlan(engine, 'pro-monthly', { markId: 'pro', stripePriceId: 'price_pro' });
      await expect(
        store().createCreditPack(pack('Taken', 1000, { stripePriceId: 'price_pro' })),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      const other = await store().createCreditPack(pack('Other', 2000));
      await expect(
        store().updateCreditPack({
          packId: other.id,
          fields: { stripePriceId: 'price_pro' },
          ...actor,
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await count(engine, 'credit_packs')).toBe(1);
      expect((await store().listCreditPacks())[0]!.stripePriceId).toBeNull();
      expect(await count(engine, 'audit_events')).toBe(1);
    });

    it('links a plan to a price and unlinks it; a pack price is refused', async () => {
      await addMark(engine, 'pro');
      await addPlan(engine, 'pro-monthly', { markId: 'pro' });
      const linked = await store().linkPlanPrice({
        planKey: 'pro-monthly',
        priceId: 'price_pro',
        ...actor,
      });
      expect(linked.stripePriceId).toBe('price_pro');
      const sold = await store().createCreditPack(pack('P', 1000, { stripePriceId: 'price_pack' }));
      await expect(
        store().linkPlanPrice({ planKey: 'pro-monthly', priceId: 'price_pack', ...actor }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        store().linkPlanPrice({ planKey: 'nope', priceId: null, ...actor }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const unlinked = await store().linkPlanPrice({
        planKey: 'pro-monthly',
        priceId: null,
        ...actor,
      });
      expect(unlinked.stripePriceId).toBeNull();
      expect(sold.stripePriceId).toBe('price_pack');
      expect((await auditActions(engine, 'pro-monthly')).map((a) => a.data)).toEqual([
        { key: 'pro-monthly', from: null, to: 'price_pro' },
        { key: 'pro-monthly', from: 'price_pro', to: null },
      ]);
    });

    it('links one price to one thing when several link it at once', async () => {
      const packs = await Promise.all(
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => store().createCreditPack(pack(`P${n}`, n * 1000))),
      );
      const results = await Promise.allSettled(
        packs.map((p) =>
          store().updateCreditPack({
            packId: p.id,
            fields: { stripePriceId: 'price_x' },
            ...actor,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const linked = (await store().listCreditPacks()).filter((p) => p.stripePriceId === 'price_x');
      expect(linked).toHaveLength(1);
    });
  });

  describe('the Stripe event log', () => {
    it('pages newest first by (received_at, id); an unknown cursor is an empty page', async () => {
      await addStripeEvent(engine, 'evt_a', NOW);
      await addStripeEvent(engine, 'evt_b', NOW);
      await addStripeEvent(engine, 'evt_c', new Date(NOW.getTime() - 1000), 'failed');
      await addStripeEvent(engine, 'evt_d', new Date(NOW.getTime() + 1000), 'ignored');
      const first = await store().listStripeEvents({ limit: 2 });
      expect(first.events.map((e) => e.id)).toEqual(['evt_d', 'evt_b']);
      expect(first.events[0]).toMatchObject({ outcome: 'ignored', receivedAt: expect.any(Date) });
      expect(first.nextBefore).toBe('evt_b');
      const second = await store().listStripeEvents({ limit: 2, before: 'evt_b' });
      expect(second).toEqual({
        events: [
          expect.objectContaining({ id: 'evt_a' }),
          expect.objectContaining({ id: 'evt_c' }),
        ],
        nextBefore: null,
      });
      expect(await store().listStripeEvents({ before: 'evt_zz' })).toEqual({
        events: [],
        nextBefore: null,
      });
    });
  });

  describe('money views', () => {
    async function shop() {
      await addUser(engine, 'alice');
      await addVendor(engine, 'acme', { name: 'Acme' });
      await addMark(engine, 'pro');
      await addMark(engine, 'acme-gold', 'acme');
      await addPlan(engine, 'pro-monthly', { markId: 'pro', name: 'Pro', sortOrder: 1 });
      await addPlan(engine, 'pro-pass', { markId: 'pro', interval: 'once', durationDays: 30 });
      await addPlan(engine, 'gold', { tenantId: 'acme', markId: 'acme-gold', name: 'Gold' });
    }

    it('sums net revenue per day, currency and product; a vendor sees its own plans only', async () => {
      await shop();
      const today = new Date(NOW.getTime() - 3600_000);
      const yesterday = new Date(NOW.getTime() - DAY);
      await addPayment(engine, 'p1', {
        userId: 'alice',
        kind: 'subscription',
        planId: 'pro-monthly',
        amountMinor: 1000,
        refundedMinor: 400,
        paidAt: today,
      });
      await addPayment(engine, 'p2', {
        userId: 'alice',
        kind: 'subscription',
        planId: 'pro-monthly',
        amountMinor: 1000,
        paidAt: yesterday,
      });
      await addPayment(engine, 'p3', {
        userId: 'alice',
        kind: 'pack',
        packId: 'pk1',
        amountMinor: 500,
        currency: 'eur',
        paidAt: today,
      });
      await addPayment(engine, 'p4', {
        userId: 'alice',
        kind: 'subscription',
        tenantId: 'acme',
        planId: 'gold',
        amountMinor: 700,
        paidAt: today,
      });
      // A row naming the vendor but another's plan is not the vendor's money.
      await addPayment(engine, 'p5', {
        userId: 'alice',
        kind: 'plan',
        tenantId: 'acme',
        planId: 'pro-pass',
        amountMinor: 9,
        paidAt: today,
      });
      // Outside the window.
      await addPayment(engine, 'p6', {
        userId: 'alice',
        kind: 'subscription',
        planId: 'pro-monthly',
        amountMinor: 5,
        paidAt: new Date(NOW.getTime() - 40 * DAY),
      });

      const all = await store().getRevenue({
        range: '30d',
        tenantId: null,
        now: NOW,
        timeZone: 'UTC',
      });
      expect(all.currencies).toEqual(['eur', 'usd']);
      expect(all.totals).toEqual([
        { currency: 'eur', purchases: 1, grossMinor: 500, refundedMinor: 0, netMinor: 500 },
        { currency: 'usd', purchases: 4, grossMinor: 2709, refundedMinor: 400, netMinor: 2309 },
      ]);
      expect(all.purchases).toEqual({ subscription: 3, plan: 1, pack: 1 });
      expect(all.buckets).toHaveLength(30);
      expect(all.buckets.at(-1)!.revenue).toEqual([
        { currency: 'eur', netMinor: 500 },
        { currency: 'usd', netMinor: 1309 },
      ]);
      expect(all.buckets.at(-2)!.revenue).toEqual([
        { currency: 'eur', netMinor: 0 },
        { currency: 'usd', netMinor: 1000 },
      ]);
      expect(
        all.products.map((p) => [p.product, p.productId, p.name, p.tenantName, p.netMinor]),
      ).toEqual([
        ['plan', 'pro-monthly', 'Pro', 'Tessera', 1600],
        ['plan', 'gold', 'Gold', 'Acme', 700],
        ['pack', 'pk1', null, 'Tessera', 500],
        ['plan', 'pro-pass', 'pro-pass', 'Acme', 9],
      ]);

      const acme = await store().getRevenue({
        range: '90d',
        tenantId: 'acme',
        now: NOW,
        timeZone: 'UTC',
      });
      expect(acme.totals).toEqual([
        { currency: 'usd', purchases: 1, grossMinor: 700, refundedMinor: 0, netMinor: 700 },
      ]);
      expect(acme.products.map((p) => p.productId)).toEqual(['gold']);
    });

    it('counts live subscriptions per plan and status; ended ones and unsold one-off plans are left out', async () => {
      await shop();
      await addSubscription(engine, 's1', {
        userId: 'alice',
        planId: 'pro-monthly',
        markId: 'pro',
        status: 'active',
        cancelAtPeriodEnd: true,
      });
      await addSubscription(engine, 's2', {
        userId: 'alice',
        planId: 'pro-monthly',
        markId: 'pro',
        status: 'past_due',
      });
      await addSubscription(engine, 's3', {
        userId: 'alice',
        planId: 'pro-monthly',
        markId: 'pro',
        status: 'active',
        endedAt: NOW,
      });
      await addSubscription(engine, 's4', {
        userId: 'alice',
        planId: 'gold',
        markId: 'acme-gold',
        tenantId: 'acme',
        status: 'canceled',
      });

      const all = await store().listActiveSubscriptions({ tenantId: null });
      expect(all.map((p) => [p.planKey, p.active, p.byStatus, p.cancelAtPeriodEnd])).toEqual([
        ['pro-monthly', 2, { trialing: 0, active: 1, past_due: 1 }, 1],
        ['gold', 0, { trialing: 0, active: 0, past_due: 0 }, 0],
      ]);
      const acme = await store().listActiveSubscriptions({ tenantId: 'acme' });
      expect(acme.map((p) => [p.planKey, p.tenantName, p.active])).toEqual([['gold', 'Acme', 0]]);
    });
  });

  describe('credit views', () => {
    it("pages a user's ledger newest first and lists balances by email", async () => {
      await addUser(engine, 'bob', { email: 'bob@example.test' });
      await addUser(engine, 'alice', { email: 'alice@example.test', balance: 7, purchased: 2 });
      for (const [i, amount] of [10, 20, 30].entries()) {
        await engine.stores.money.moveCredits({
          userId: 'bob',
          pot: 'allowance',
          mode: 'add',
          amount,
          kind: 'adjust',
          idempotencyKey: `k${i}`,
          reference: `r${i}`,
          actorUserId: null,
          audit: { action: 'credits.added' },
          now: new Date(NOW.getTime() + i),
        });
      }
      const first = await store().listLedger({ userId: 'bob', limit: 2 });
      expect(first.entries.map((e) => [e.delta, e.balanceAfter, e.reference])).toEqual([
        [30, 60, 'r2'],
        [20, 30, 'r1'],
      ]);
      expect(first.entries[0]).toMatchObject({ kind: 'adjust', pot: 'allowance' });
      expect(first.entries[0]!.createdAt).toEqual(new Date(NOW.getTime() + 2));
      const rest = await store().listLedger({ userId: 'bob', beforeId: first.nextBeforeId! });
      expect(rest.entries.map((e) => e.delta)).toEqual([10]);
      expect(rest.nextBeforeId).toBeNull();

      expect(await store().listCreditBalances({ limit: 10 })).toEqual([
        { email: 'alice@example.test', balance: 7, reserved: 0, purchased: 2 },
        { email: 'bob@example.test', balance: 60, reserved: 0, purchased: 0 },
      ]);
      expect(await store().listCreditBalances({ limit: 1 })).toHaveLength(1);
    });

    it('previews a refill by activity grade and lists refill runs newest first', async () => {
      const policy = {
        amount: 100,
        every: { value: 1, unit: 'month' as const },
        strategy: 'reset' as const,
        mode: 'scheduled' as const,
        grades: [{ minRequests7d: 5, amount: 500 }],
      };
      await addMark(engine, 'pro', 'platform', policy);
      for (const [user, requests, expired] of [
        ['a', 6, false],
        ['b', 2, false],
        ['c', 0, false],
        ['d', 50, true],
      ] as const) {
        await addUser(engine, user);
        await engine.sql(
          `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
           values ($1, $1, 'pro', $2, $3, 'active', 'admin', $2, $2)`,
          [user, NOW, expired ? new Date(NOW.getTime() - 1) : null],
        );
        // Two days of requests inside the 7-day window, one outside it.
        for (const [dayBack, n] of [
          [1, requests - Math.floor(requests / 2)],
          [2, Math.floor(requests / 2)],
          [9, 100],
        ]) {
          await engine.sql(
            `insert into usage_counters (user_id, "window", period_start, requests) values ($1, 'day', $2, $3)`,
            [user, NOW.getTime() - dayBack! * DAY, n],
          );
        }
      }
      const preview = await store().previewRefill({
        markId: 'pro',
        policy,
        now: NOW,
        timeZone: 'UTC',
      });
      expect(preview).toEqual({
        holders: 3,
        groups: [
          { amount: 500, users: 1 },
          { amount: 100, users: 2 },
        ],
        strategy: 'reset',
        mode: 'scheduled',
        nextRefillAt: new Date('2026-04-01T00:00:00Z'),
      });

      for (const i of [0, 1])
        await engine.stores.money.runScheduledRefills({
          trigger: i === 0 ? 'admin' : 'cli',
          now: new Date(NOW.getTime() + i),
          timeZone: 'UTC',
        });
      const runs = await store().listRefillRuns({ limit: 5 });
      expect(runs.map((r) => r.trigger)).toEqual(['cli', 'admin']);
      expect(runs[1]).toMatchObject({ usersScanned: 3, usersRefilled: 3, creditsGranted: 700 });
      expect(runs[0]!.startedAt).toEqual(new Date(NOW.getTime() + 1));
      expect(await store().listRefillRuns({ limit: 1 })).toHaveLength(1);
    });
  });
}
