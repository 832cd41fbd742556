// Mail notifications that come from Stripe's subscription events (a subscription set to cancel is
// ending, one that renews is not; a failed invoice mails once however often Stripe retries it), on
// either engine (tests-on-postgres.ts). The ending sweep's SQLite query plan is checked in
// notifications.ending-plan.test.ts.
import { describe, expect, it } from 'vitest';
import { DAY, notificationsServer, PUBLIC_URL } from './notifications-support.ts';
import { days, deliverAll, invoiceObject, subscriptionObject } from './stripe-support.ts';

const { mailbox, server, person, outbox, sweep } = notificationsServer();

describe('membership ending (the scheduler sweep)', () => {
  it('a Stripe subscription that renews by itself is not ending; one set to cancel is', async () => {
    const ivy = await person();
    const start = Math.floor(Date.now() / 1000) - days(28);
    const subscription = (cancelAtPeriodEnd: boolean, n: number) => ({
      id: `evt_renew_${n}`,
      type: 'customer.subscription.updated',
      created: start + n,
      object: subscriptionObject({
        id: 'sub_renews',
        status: 'active',
        periodStart: start,
        periodEnd: start + days(30),
        cancelAtPeriodEnd,
        metadata: { plan: 'pro-monthly', tenant: 'platform', user: ivy.userId },
      }),
    });
    await deliverAll(server().url, [subscription(false, 1)]);
    // Within 3 days of its end (period end + 3 days' grace, 5 days away), yet it renews: nothing.
    await sweep(new Date(Date.now() + 3 * DAY));
    expect(await outbox(ivy.email, 'membership_ending')).toEqual([]);
    await deliverAll(server().url, [subscription(true, 2)]);
    await sweep(new Date(Date.now() + DAY));
    expect(await outbox(ivy.email, 'membership_ending')).toHaveLength(1);
  });
});

describe('a failed payment (Stripe invoice.payment_failed)', () => {
  const start = Math.floor(Date.now() / 1000) - 60;
  const events = (userId: string, n: number) => {
    const sub = `sub_fail_${n}`;
    const object = (status: string) =>
      subscriptionObject({
        id: sub,
        status,
        periodStart: start,
        periodEnd: start + days(30),
        metadata: { plan: 'pro-monthly', tenant: 'platform', user: userId },
      });
    const failed = (id: string, at: number) => ({
      id,
      type: 'invoice.payment_failed',
      created: at,
      object: {
        ...invoiceObject({ id: `in_fail_${n}`, subscription: sub, amountPaid: 0, paidAt: at }),
        status_transitions: { paid_at: null },
      },
    });
    return [
      {
        id: `evt_fail_${n}_0`,
        type: 'customer.subscription.created',
        created: start,
        object: object('active'),
      },
      // Stripe retries the invoice: each retry is a new event about the same invoice.
      failed(`evt_fail_${n}_1`, start + 10),
      failed(`evt_fail_${n}_2`, start + 20),
    ];
  };

  it('mails once per invoice, however many retries fail', async () => {
    const gus = await person();
    await deliverAll(server().url, events(gus.userId, 1), { times: 2 });
    expect(await outbox(gus.email, 'payment_failed')).toHaveLength(1);
    const mail = await mailbox.waitFor(gus.email);
    expect(mail.subject).toBe('A payment for your Tessera plan failed');
    expect(mail.text).toContain(`${PUBLIC_URL}/account`);
  });

  it('sends nothing when turned off', async () => {
    const hal = await person();
    await hal.client.notifications.update.mutate({ paymentFailed: false });
    await deliverAll(server().url, events(hal.userId, 2));
    expect(await outbox(hal.email, 'payment_failed')).toEqual([]);
  });
});
