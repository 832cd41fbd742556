// The payments store's contract for Stripe events (decision 018) that both engines apply: a paid
// credit pack or fixed-term plan once, a redelivery a no-op, a refund taking back the unspent
// share. (The HTTP route's signed payloads are tested in apps/server/test/stripe*.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import { addMark, addPlan, addUser, auditActions, count, DAY, NOW } from './payments.fixtures.ts';

const options = { fresh: null, graceDays: 3, now: NOW };
const created = Math.floor(NOW.getTime() / 1000);

function checkout(
  id: string,
  metadata: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return {
    id: `evt_${id}`,
    type: 'checkout.session.completed',
    created,
    object: {
      id: `cs_${id}`,
      object: 'checkout.session',
      mode: 'payment',
      payment_status: 'paid',
      client_reference_id: 'alice',
      customer: 'cus_1',
      subscription: null,
      payment_intent: `pi_${id}`,
      amount_total: 500,
      currency: 'usd',
      metadata,
      ...extra,
    },
  };
}

function refund(id: string, paymentIntent: string, amountRefunded: number) {
  return {
    id: `evt_${id}`,
    type: 'charge.refunded',
    created,
    object: {
      id: `ch_${paymentIntent}`,
      payment_intent: paymentIntent,
      amount: 500,
      amount_refunded: amountRefunded,
      currency: 'usd',
    },
  };
}

export function paymentsStripeContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    await addUser(engine, 'alice');
    await addMark(engine, 'pro');
    await addPlan(engine, 'pro-pass', { markId: 'pro', interval: 'once', durationDays: 30 });
    await engine.sql(
      `insert into credit_packs (id, name, credits, price_minor, currency, active, created_at, updated_at)
       values ('pk1', 'Small', 1000, 500, 'usd', $1, $2, $2)`,
      [true, NOW],
    );
  });
  afterEach(() => engine.close());
  const store = () => engine.stores.payments;
  const account = async () => {
    const [row] = await engine.sql<{ balance: number; purchased: number }>(
      `select balance, purchased from credit_accounts where user_id = 'alice'`,
    );
    return { balance: Number(row!.balance), purchased: Number(row!.purchased) };
  };

  describe('Stripe events', () => {
    it('grants a paid pack once; a redelivery, even concurrent, changes nothing', async () => {
      const event = checkout('pack', { pack: 'pk1', user: 'alice' });
      expect(await store().isKnownStripeEvent(event.id)).toBe(false);
      const results = await Promise.all(
        [1, 2, 3].map(() => store().handleStripeEvent(event, options)),
      );
      expect(results.filter((r) => !r.duplicate)).toEqual([
        { duplicate: false, outcome: 'applied', note: '1000 purchased credits' },
      ]);
      expect(results.filter((r) => r.duplicate)).toEqual([
        { duplicate: true, outcome: 'applied' },
        { duplicate: true, outcome: 'applied' },
      ]);
      expect(await store().isKnownStripeEvent(event.id)).toBe(true);
      expect(await account()).toEqual({ balance: 1000, purchased: 1000 });
      const [payment] = await engine.sql<{ kind: string; credits: number | string }>(
        `select kind, credits from payments where id = 'cs_pack'`,
      );
      expect({ ...payment, credits: Number(payment!.credits) }).toEqual({
        kind: 'pack',
        credits: 1000,
      });
      // The same session under another event id (Stripe's async success) finds the payment.
      const again = await store().handleStripeEvent({ ...event, id: 'evt_pack2' }, options);
      expect(again).toEqual({
        duplicate: false,
        outcome: 'ignored',
        note: 'this payment was applied before',
      });
      expect(await account()).toEqual({ balance: 1000, purchased: 1000 });
      expect((await store().listStripeEvents()).events.map((e) => [e.id, e.outcome])).toEqual([
        ['evt_pack2', 'ignored'],
        ['evt_pack', 'applied'],
      ]);
    });

    it("grants a fixed-term plan's mark for its term", async () => {
      const result = await store().handleStripeEvent(
        checkout('pass', { plan: 'pro-pass' }),
        options,
      );
      expect(result).toMatchObject({ outcome: 'applied', note: 'pro-pass for 30 days' });
      const [held] = await engine.sql<{ expires_at: number | string; source: string }>(
        `select expires_at, source from memberships where user_id = 'alice' and mark_id = 'pro'`,
      );
      expect([Number(held!.expires_at), held!.source]).toEqual([
        NOW.getTime() + 30 * DAY,
        'stripe',
      ]);
      expect((await auditActions(engine, 'alice')).map((a) => a.action)).toEqual([
        'membership.granted',
      ]);
    });

    it('ignores what it cannot apply, recording why', async () => {
      const unpaid = await store().handleStripeEvent(
        checkout('unpaid', { pack: 'pk1' }, { payment_status: 'unpaid' }),
        options,
      );
      expect(unpaid).toEqual({ duplicate: false, outcome: 'ignored', note: 'payment unpaid' });
      const stranger = await store().handleStripeEvent(
        checkout('stranger', { pack: 'pk1' }, { client_reference_id: 'nobody' }),
        options,
      );
      expect(stranger.note).toMatch(/no Tessera user/);
      const other = await store().handleStripeEvent(
        { id: 'evt_other', type: 'customer.created', created, object: {} },
        options,
      );
      expect(other).toEqual({
        duplicate: false,
        outcome: 'ignored',
        note: 'not handled: customer.created',
      });
      expect(await count(engine, 'payments')).toBe(0);
      expect(await count(engine, 'stripe_events')).toBe(3);
    });

    it('takes back the refunded share of unspent credits, once per refunded total', async () => {
      await store().handleStripeEvent(checkout('pack', { pack: 'pk1' }), options);
      // 300 of the 1000 credits are spent.
      await engine.sql(
        `update credit_accounts set balance = 700, purchased = 700 where user_id = 'alice'`,
      );
      await engine.sql(
        `insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, created_at)
         values ('alice', 1000, -300, 700, 'charge', 'purchased', 'spent', $1)`,
        [NOW],
      );
      const half = await store().handleStripeEvent(refund('r1', 'pi_pack', 250), options);
      expect(half).toMatchObject({
        outcome: 'applied',
        note: 'took back 500 of 500 credits (unspent only)',
      });
      expect(await account()).toEqual({ balance: 200, purchased: 200 });
      const same = await store().handleStripeEvent(refund('r2', 'pi_pack', 250), options);
      expect(same).toMatchObject({ outcome: 'ignored', note: 'no new refund' });
      const rest = await store().handleStripeEvent(refund('r3', 'pi_pack', 500), options);
      expect(rest).toMatchObject({ note: 'took back 200 of 500 credits (unspent only)' });
      expect(await account()).toEqual({ balance: 0, purchased: 0 });
      const [payment] = await engine.sql<{
        refunded_minor: number | string;
        credits_taken_back: number | string;
      }>(`select refunded_minor, credits_taken_back from payments where id = 'cs_pack'`);
      expect([Number(payment!.refunded_minor), Number(payment!.credits_taken_back)]).toEqual([
        500, 1000,
      ]);
      const none = await store().handleStripeEvent(refund('r4', 'pi_unknown', 10), options);
      expect(none.note).toBe('no payment for pi_unknown');
    });
  });
}
