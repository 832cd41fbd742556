// A subscription's lifecycle through POST /api/stripe/webhook, events signed with the real stripe
// SDK and delivered over real HTTP in every order, each 2–5 times and some concurrently, with
// Stripe's retries for anything answered 500. Here no Stripe API is configured, so each event's
// own payload, ordered by its `created`, is the state applied (decision 018's fallback): whatever
// the order, the membership ends as Stripe's final state says.
import { createAccount } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';
import {
  days,
  deliverAll,
  invoiceObject,
  permutations,
  type StripeTestEvent,
  subscriptionObject,
  WEBHOOK_SECRET,
} from './stripe-support.ts';

const GRACE_DAYS = 3;
let server: TestServer;
let proMarkId: string;

beforeAll(async () => {
  server = await startTestServer({
    seedDemo: true,
    stripe: { webhookSecret: WEBHOOK_SECRET, graceDays: GRACE_DAYS },
  });
  proMarkId = (await server.storage.stores.catalog.getMarkByKey('pro')).id;
});
afterAll(() => server.stop());

let users = 0;
async function newMember() {
  users += 1;
  const user = await createAccount(server.storage.stores, {
    email: `sub${users}@example.com`,
    password: 'a sturdy passphrase',
    now: new Date(),
  });
  return user.id;
}

// Rows through the run's engine; PostgreSQL's bigint columns come back as text, hence Number().
const ms = (value: number | string | null) => (value === null ? null : Number(value));
const membership = async (userId: string) => {
  const [row] = await server.storage.sql<{
    status: string;
    expires_at: number | string;
    source: string;
    reference: string;
  }>(
    'select status, expires_at, source, reference from memberships where user_id = $1 and mark_id = $2',
    [userId, proMarkId],
  );
  return row && { ...row, expires_at: Number(row.expires_at) };
};
const subscriptionRow = async (id: string) => {
  const [row] = await server.storage.sql<{
    status: string;
    ended_at: number | string | null;
    access_until: number | string;
    notice: string;
  }>('select status, ended_at, access_until, notice from stripe_subscriptions where id = $1', [id]);
  return { ...row!, ended_at: ms(row!.ended_at), access_until: Number(row!.access_until) };
};
const paymentsOf = async (userId: string) =>
  (
    await server.storage.sql<{ id: string; kind: string; amount_minor: number | string }>(
      'select id, kind, amount_minor from payments where user_id = $1 order by id',
      [userId],
    )
  ).map((row) => ({ ...row, amount_minor: Number(row.amount_minor) }));

/** The events of one subscription's life, `created` ascending in the order given. */
function lifecycle(subscription: string, userId: string, start: number) {
  const metadata = { plan: 'pro-monthly', tenant: 'platform', user: userId };
  const period1 = { periodStart: start - days(1), periodEnd: start + days(29) };
  const period2 = { periodStart: start + days(29), periodEnd: start + days(59) };
  let n = 0;
  const event = (type: string, object: Record<string, unknown>): StripeTestEvent => {
    n += 1;
    return { id: `evt_${subscription}_${n}`, type, created: start + n, object };
  };
  const sub = (status: string, period: typeof period1, extra = {}) =>
    subscriptionObject({ id: subscription, status, metadata, ...period, ...extra });
  return {
    period1,
    period2,
    created: event('customer.subscription.created', sub('active', period1)),
    paid: event(
      'invoice.paid',
      invoiceObject({ id: `in_${subscription}_1`, subscription, amountPaid: 2000, paidAt: start }),
    ),
    renewed: event('customer.subscription.updated', sub('active', period2)),
    renewalPaid: event(
      'invoice.paid',
      invoiceObject({
        id: `in_${subscription}_2`,
        subscription,
        amountPaid: 2000,
        paidAt: start + days(29),
      }),
    ),
    pastDue: event('customer.subscription.updated', sub('past_due', period2)),
    paymentFailed: event('invoice.payment_failed', {
      ...invoiceObject({
        id: `in_${subscription}_2`,
        subscription,
        amountPaid: 0,
        paidAt: start + days(29),
      }),
      status_transitions: { paid_at: null },
    }),
    deleted: event(
      'customer.subscription.deleted',
      sub('canceled', period2, { endedAt: start + 30 }),
    ),
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('a subscription lifecycle, in every order', () => {
  it('created, paid, updated (past due), payment failed, deleted: every one of the 120 orders ends with Pro revoked, never resurrected', async () => {
    const orders = permutations([
      'created',
      'paid',
      'pastDue',
      'paymentFailed',
      'deleted',
    ] as const);
    expect(orders).toHaveLength(120);
    for (const [index, order] of orders.entries()) {
      const userId = await newMember();
      const subscription = `sub_order${index}`;
      const life = lifecycle(subscription, userId, nowSeconds() - 60);
      // Every event twice or more; every fourth order delivers its copies concurrently.
      await deliverAll(
        server.url,
        order.map((name) => life[name]),
        { times: 2 + (index % 4), concurrent: index % 4 === 0 },
      );
      const row = await subscriptionRow(subscription);
      expect(row, `order ${order.join(' → ')}`).toMatchObject({
        status: 'canceled',
        notice: 'ended',
      });
      expect(row.ended_at).not.toBeNull();
      // No live Pro: revoked, or never granted when the deletion came first.
      const held = await membership(userId);
      if (held) {
        expect(held, `order ${order.join(' → ')}`).toMatchObject({
          status: 'revoked',
          source: 'stripe',
          reference: subscription,
        });
        expect(held.expires_at).toBeLessThanOrEqual(Date.now());
      }
      expect(await paymentsOf(userId)).toEqual([
        { id: `in_${subscription}_1`, kind: 'subscription', amount_minor: 2000 },
      ]);
    }
  }, 120_000);

  it('created, paid, renewed, renewal paid: every order ends with Pro until the second period’s end plus grace, paid twice', async () => {
    for (const [index, order] of permutations([
      'created',
      'paid',
      'renewed',
      'renewalPaid',
    ] as const).entries()) {
      const userId = await newMember();
      const subscription = `sub_renew${index}`;
      const life = lifecycle(subscription, userId, nowSeconds() - 60);
      await deliverAll(
        server.url,
        order.map((name) => life[name]),
        { times: 2 },
      );
      const expected = (life.period2.periodEnd + days(GRACE_DAYS)) * 1000;
      expect(await membership(userId), `order ${order.join(' → ')}`).toMatchObject({
        status: 'active',
        expires_at: expected,
      });
      expect(await subscriptionRow(subscription)).toMatchObject({
        status: 'active',
        access_until: expected,
      });
      expect(await paymentsOf(userId)).toHaveLength(2);
    }
  }, 60_000);

  it('a failed renewal keeps access for the grace period from the renewal, then Free; the member sees why', async () => {
    const userId = await newMember();
    const life = lifecycle('sub_grace', userId, nowSeconds() - 60);
    await deliverAll(server.url, [life.created, life.paid, life.pastDue]);
    expect(await membership(userId)).toMatchObject({
      status: 'active',
      expires_at: (life.period2.periodStart + days(GRACE_DAYS)) * 1000,
    });
    expect(await subscriptionRow('sub_grace')).toMatchObject({
      status: 'past_due',
      notice: 'payment_failed',
    });
  });

  it('a trial ends at its end plus grace; cancel at period end ends it exactly then; a converted trial runs to the paid period', async () => {
    const userId = await newMember();
    const start = nowSeconds() - 60;
    const metadata = { plan: 'pro-monthly', tenant: 'platform', user: userId };
    const trialEnd = start + days(7);
    const trial = subscriptionObject({
      id: 'sub_trial',
      status: 'trialing',
      metadata,
      periodStart: start,
      periodEnd: trialEnd,
    });
    await deliverAll(server.url, [
      { id: 'evt_trial_1', type: 'customer.subscription.created', created: start, object: trial },
    ]);
    expect(await membership(userId)).toMatchObject({
      status: 'active',
      expires_at: (trialEnd + days(GRACE_DAYS)) * 1000,
    });
    const cancelling = subscriptionObject({
      id: 'sub_trial',
      status: 'trialing',
      metadata,
      periodStart: start,
      periodEnd: trialEnd,
      cancelAtPeriodEnd: true,
    });
    await deliverAll(server.url, [
      {
        id: 'evt_trial_2',
        type: 'customer.subscription.updated',
        created: start + 5,
        object: cancelling,
      },
    ]);
    expect(await membership(userId)).toMatchObject({
      status: 'active',
      expires_at: trialEnd * 1000,
    });
    expect(await subscriptionRow('sub_trial')).toMatchObject({ notice: 'cancels_at_period_end' });
    // An older `updated` (still renewing) arriving late changes nothing.
    await deliverAll(server.url, [
      {
        id: 'evt_trial_0',
        type: 'customer.subscription.updated',
        created: start + 1,
        object: trial,
      },
    ]);
    expect(await membership(userId)).toMatchObject({ expires_at: trialEnd * 1000 });
    // The member resumes before the trial ends, and it converts: active, the first paid month.
    const converted = subscriptionObject({
      id: 'sub_trial',
      status: 'active',
      metadata,
      periodStart: trialEnd,
      periodEnd: trialEnd + days(30),
    });
    await deliverAll(server.url, [
      {
        id: 'evt_trial_3',
        type: 'customer.subscription.updated',
        created: start + 9,
        object: converted,
      },
    ]);
    expect(await membership(userId)).toMatchObject({
      status: 'active',
      expires_at: (trialEnd + days(30) + days(GRACE_DAYS)) * 1000,
    });
  });

  it('a subscription ending cuts the membership through the member events (what stops a live chat)', async () => {
    const userId = await newMember();
    const life = lifecycle('sub_events', userId, nowSeconds() - 60);
    await deliverAll(server.url, [life.created, life.deleted]);
    const kinds = (
      await server.storage.sql<{ kind: string }>(
        "select kind from member_events where user_id = $1 and mark_key = 'pro' order by id",
        [userId],
      )
    ).map((row) => row.kind);
    expect(kinds, JSON.stringify(kinds)).toEqual(['membership.granted', 'membership.revoked']);
  });
});
