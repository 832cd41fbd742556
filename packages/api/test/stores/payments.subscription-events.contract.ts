// The payments store's contract for Stripe subscription events (decision 018), one suite for every
// engine (payments.sqlite.test.ts, payments.pg.test.ts): a subscription's state becomes the
// membership of its plan's mark, renewals extend it once, a redelivery or an older state changes
// nothing, an ended subscription ends its access and allowance, a failed payment is told once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { HandleOptions } from '../../src/domain/payments/handle-stripe-event.ts';
import { readSubscription } from '../../src/domain/payments/stripe-objects.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import { addMark, addPlan, addUser, count, DAY, NOW } from './payments.fixtures.ts';

const GRACE = 3;
const sec = (ms: number) => Math.floor(ms / 1000);
const START = NOW.getTime() - DAY;
const END = NOW.getTime() + 29 * DAY;

/** A Stripe subscription object (items carry the period since API 2025-03-31). */
function subscription(fields: {
  status?: string;
  start?: number;
  end?: number;
  cancelAtPeriodEnd?: boolean;
  endedAt?: number | null;
  metadata?: Record<string, string>;
}) {
  return {
    id: 'sub_1',
    object: 'subscription',
    status: fields.status ?? 'active',
    customer: 'cus_1',
    metadata: fields.metadata ?? { user: 'alice', plan: 'pro-monthly' },
    cancel_at_period_end: fields.cancelAtPeriodEnd ?? false,
    ended_at: fields.endedAt == null ? null : sec(fields.endedAt),
    items: {
      data: [
        {
          price: { id: 'price_pro' },
          current_period_start: sec(fields.start ?? START),
          current_period_end: sec(fields.end ?? END),
        },
      ],
    },
  };
}

function subscriptionEvent(id: string, type: string, at: number, object: unknown) {
  return { id, type: `customer.subscription.${type}`, created: sec(at), object };
}

function invoiceEvent(id: string, type: 'paid' | 'payment_failed', invoiceId: string, at: number) {
  return {
    id,
    type: `invoice.${type}`,
    created: sec(at),
    object: {
      id: invoiceId,
      customer: 'cus_1',
      subscription: 'sub_1',
      amount_paid: type === 'paid' ? 1000 : 0,
      currency: 'usd',
      payment_intent: `pi_${invoiceId}`,
      status_transitions: { paid_at: type === 'paid' ? sec(at) : null },
      created: sec(at),
    },
  };
}

/** Options with the subscription as retrieved from Stripe at `at`. */
function retrieved(object: unknown, at: number, now = NOW): HandleOptions {
  return {
    fresh: { subscription: readSubscription(object)!, retrievedAt: new Date(at) },
    graceDays: GRACE,
    now,
  };
}
const eventOnly: HandleOptions = { fresh: null, graceDays: GRACE, now: NOW };
const iso = (ms: number) => new Date(ms).toISOString();

export function paymentsSubscriptionEventsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    // 400 of alice's 500 credits are allowance, 100 purchased.
    await addUser(engine, 'alice', { balance: 500, purchased: 100 });
    await addMark(engine, 'pro');
    await addPlan(engine, 'pro-monthly', {
      markId: 'pro',
      name: 'Pro',
      stripePriceId: 'price_pro',
    });
  });
  afterEach(() => engine.close());
  const store = () => engine.stores.payments;

  const membership = async () => {
    const [row] = await engine.sql<{
      expires_at: number | string;
      status: string;
      source: string;
      reference: string;
    }>(
      `select expires_at, status, source, reference from memberships
       where user_id = 'alice' and mark_id = 'pro'`,
    );
    return row && { ...row, expires_at: Number(row.expires_at) };
  };
  const memberEvents = async () =>
    (
      await engine.sql<{ kind: string }>(
        `select kind from member_events where user_id = 'alice' and kind like 'membership.%' order by id`,
      )
    ).map((r) => r.kind);
  const notice = async () => {
    const [row] = await engine.sql<{ notice: string | null; status: string }>(
      `select notice, status from stripe_subscriptions where id = 'sub_1'`,
    );
    return row;
  };

  it('created: the membership lasts until the period end plus grace; a redelivery changes nothing', async () => {
    const event = subscriptionEvent('evt_c', 'created', NOW.getTime(), subscription({}));
    expect(await store().handleStripeEvent(event, eventOnly)).toEqual({
      duplicate: false,
      outcome: 'applied',
      note: `active; access until ${iso(END + GRACE * DAY)}`,
    });
    expect(await membership()).toEqual({
      expires_at: END + GRACE * DAY,
      status: 'active',
      source: 'stripe',
      reference: 'sub_1',
    });
    expect(await notice()).toEqual({ notice: null, status: 'active' });
    expect(await store().handleStripeEvent(event, eventOnly)).toEqual({
      duplicate: true,
      outcome: 'applied',
    });
    // The same state again under another event (updated right after created): no second grant.
    const same = subscriptionEvent('evt_u', 'updated', NOW.getTime(), subscription({}));
    expect((await store().handleStripeEvent(same, eventOnly)).outcome).toBe('applied');
    expect(await memberEvents()).toEqual(['membership.granted']);
    expect(await count(engine, 'stripe_subscriptions')).toBe(1);
  });

  it('invoice.paid of a renewal extends the membership once and records the payment once', async () => {
    await store().handleStripeEvent(
      subscriptionEvent('evt_c', 'created', NOW.getTime(), subscription({})),
      eventOnly,
    );
    const renewed = subscription({ start: END, end: END + 30 * DAY });
    const later = END + 60_000;
    const paid = invoiceEvent('evt_paid', 'paid', 'in_2', later);
    expect(await store().handleStripeEvent(paid, retrieved(renewed, later))).toEqual({
      duplicate: false,
      outcome: 'applied',
      note: `active; access until ${iso(END + 30 * DAY + GRACE * DAY)}; payment recorded`,
    });
    expect((await membership())?.expires_at).toBe(END + 30 * DAY + GRACE * DAY);
    // The invoice again under another event id, the same retrieved state: nothing moves.
    const again = await store().handleStripeEvent(
      { ...paid, id: 'evt_paid2' },
      retrieved(renewed, later),
    );
    expect(again.outcome).toBe('applied');
    expect(again.note).not.toContain('payment recorded');
    expect(await memberEvents()).toEqual(['membership.granted', 'membership.extended']);
    const payments = await engine.sql<{ id: string; kind: string; amount_minor: number | string }>(
      `select id, kind, amount_minor from payments`,
    );
    expect(payments.map((p) => [p.id, p.kind, Number(p.amount_minor)])).toEqual([
      ['in_2', 'subscription', 1000],
    ]);
  });

  it('cancel at period end keeps access until the end; deleted ends it and the allowance; an older state is ignored', async () => {
    const t0 = NOW.getTime();
    await store().handleStripeEvent(
      subscriptionEvent('evt_c', 'created', t0, subscription({})),
      eventOnly,
    );
    const cancelling = subscriptionEvent(
      'evt_cancel',
      'updated',
      t0 + 1000,
      subscription({ cancelAtPeriodEnd: true }),
    );
    expect((await store().handleStripeEvent(cancelling, eventOnly)).note).toBe(
      `active; access until ${iso(END)}`,
    );
    expect((await membership())?.expires_at).toBe(END);
    expect(await notice()).toEqual({ notice: 'cancels_at_period_end', status: 'active' });

    const endedAt = t0 + 2000;
    const deleted = subscriptionEvent(
      'evt_deleted',
      'deleted',
      endedAt,
      subscription({ status: 'canceled', endedAt }),
    );
    const at = new Date(endedAt + 1000);
    expect(await store().handleStripeEvent(deleted, { ...eventOnly, now: at })).toMatchObject({
      outcome: 'applied',
      note: `canceled; access until ${iso(sec(endedAt) * 1000)}`,
    });
    expect(await membership()).toMatchObject({ status: 'revoked', source: 'stripe' });
    expect(await notice()).toEqual({ notice: 'ended', status: 'canceled' });
    // Pro's allowance ended with Pro; the purchased credits stay.
    const [account] = await engine.sql<{ balance: number | string; purchased: number | string }>(
      `select balance, purchased from credit_accounts where user_id = 'alice'`,
    );
    expect([Number(account!.balance), Number(account!.purchased)]).toEqual([100, 100]);

    // A late "updated" from before the deletion arrives: the ended subscription stays ended.
    const stale = subscriptionEvent('evt_stale', 'updated', t0 + 1500, subscription({}));
    expect(await store().handleStripeEvent(stale, { ...eventOnly, now: at })).toEqual({
      duplicate: false,
      outcome: 'ignored',
      note: 'an equally new or newer state was applied before',
    });
    expect(await membership()).toMatchObject({ status: 'revoked' });
    expect(await memberEvents()).toEqual([
      'membership.granted',
      'membership.extended',
      'membership.revoked',
    ]);
  });

  it('payment_failed: access until the period start plus grace, and one mail per invoice', async () => {
    await store().handleStripeEvent(
      subscriptionEvent('evt_c', 'created', NOW.getTime(), subscription({})),
      eventOnly,
    );
    const pastDue = subscription({ status: 'past_due', start: END, end: END + 30 * DAY });
    const failedAt = END + 60_000;
    const options = retrieved(pastDue, failedAt, new Date(failedAt));
    const failed = invoiceEvent('evt_f1', 'payment_failed', 'in_2', failedAt);
    expect(await store().handleStripeEvent(failed, options)).toEqual({
      duplicate: false,
      outcome: 'applied',
      note: `past_due; access until ${iso(END + GRACE * DAY)}; member told`,
    });
    expect((await membership())?.expires_at).toBe(END + GRACE * DAY);
    expect(await notice()).toEqual({ notice: 'payment_failed', status: 'past_due' });
    // Stripe retries the invoice: another failure event, same invoice, no second mail.
    const retried = await store().handleStripeEvent(
      { ...failed, id: 'evt_f2' },
      retrieved(pastDue, failedAt + 1000, new Date(failedAt + 1000)),
    );
    expect(retried.note ?? '').not.toContain('member told');
    const mails = async () =>
      Number(
        (
          await engine.sql<{ n: number | string }>(
            `select count(*) as n from mail_outbox where template = 'payment_failed'`,
          )
        )[0]?.n,
      );
    expect(await mails()).toBe(1);
    // The next invoice failing is news again.
    await store().handleStripeEvent(
      invoiceEvent('evt_f3', 'payment_failed', 'in_3', failedAt + 2000),
      retrieved(pastDue, failedAt + 2000, new Date(failedAt + 2000)),
    );
    expect(await mails()).toBe(2);
  });

  it("concurrent deliveries of one subscription's events, each twice, end in its newest state", async () => {
    const t0 = NOW.getTime();
    const endedAt = t0 + 2000;
    const events = [
      subscriptionEvent('evt_c', 'created', t0, subscription({})),
      subscriptionEvent('evt_u', 'updated', t0 + 1000, subscription({ cancelAtPeriodEnd: true })),
      subscriptionEvent('evt_d', 'deleted', endedAt, subscription({ status: 'canceled', endedAt })),
    ];
    const options = { ...eventOnly, now: new Date(endedAt + 1000) };
    const results = await Promise.all(
      [...events, ...events].map((event) => store().handleStripeEvent(event, options)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(3);
    expect(await notice()).toEqual({ notice: 'ended', status: 'canceled' });
    // Granted and then revoked, or never granted when the deletion was applied first.
    const held = await membership();
    if (held) expect(held).toMatchObject({ status: 'revoked', reference: 'sub_1' });
    expect(await count(engine, 'stripe_events')).toBe(3);
    expect(await count(engine, 'memberships')).toBeLessThanOrEqual(1);
  });

  it('a subscription and an admin grant of the same mark at once leave one membership, the longer access', async () => {
    const created = subscriptionEvent('evt_c', 'created', NOW.getTime(), subscription({}));
    await Promise.all([
      store().handleStripeEvent(created, eventOnly),
      engine.stores.members.grantMark({
        userId: 'alice',
        markId: 'pro',
        days: 60,
        source: 'admin',
        actorUserId: null,
        now: NOW,
      }),
    ]);
    expect(await count(engine, 'memberships')).toBe(1);
    // Either order: the admin's 60 days are never cut by the subscription's shorter access.
    expect((await membership())?.expires_at).toBeGreaterThanOrEqual(NOW.getTime() + 60 * DAY);
    expect(await notice()).toEqual({ notice: null, status: 'active' });
  });

  it("Checkout in subscription mode applies the retrieved state for the session's user", async () => {
    const session = {
      id: 'evt_cs',
      type: 'checkout.session.completed',
      created: sec(NOW.getTime()),
      object: {
        id: 'cs_1',
        mode: 'subscription',
        payment_status: 'paid',
        client_reference_id: 'alice',
        customer: 'cus_1',
        subscription: 'sub_1',
        payment_intent: null,
        metadata: {},
      },
    };
    // Without the retrieved subscription nothing can be applied: the event fails whole, no record.
    await expect(store().handleStripeEvent(session, eventOnly)).rejects.toThrow(
      /could not retrieve subscription sub_1/,
    );
    expect(await store().isKnownStripeEvent('evt_cs')).toBe(false);
    // The plan found by its Stripe price, the user by the session.
    const state = subscription({ metadata: {} });
    expect(await store().handleStripeEvent(session, retrieved(state, NOW.getTime()))).toMatchObject(
      { outcome: 'applied', note: `active; access until ${iso(END + GRACE * DAY)}` },
    );
    expect(await membership()).toMatchObject({ status: 'active', reference: 'sub_1' });
  });

  it('an invoice of a subscription not seen yet fails whole, so Stripe delivers it again', async () => {
    const paid = invoiceEvent('evt_early', 'paid', 'in_1', NOW.getTime());
    await expect(store().handleStripeEvent(paid, eventOnly)).rejects.toThrow(
      /unknown subscription sub_1/,
    );
    expect(await store().isKnownStripeEvent('evt_early')).toBe(false);
    expect(await count(engine, 'payments')).toBe(0);
  });
}
