// The whole loop with the real stripe SDK both ways: the member's Checkout is created on the fake
// Stripe on loopback, paid there, and its signed events come back to our webhook, which retrieves
// each subscription's state from the fake (decision 018: Stripe's state wins). Redelivering every
// event of a subscription — in reverse, concurrently, several times — after Stripe ended it
// changes nothing; a failed renewal leaves the grace period and a notice; a pack bought and then
// refunded gives back only what is unspent.
import { describe, expect, it } from 'vitest';
import { billingHarness } from './billing-harness.ts';

const b = billingHarness();
const DAY = 86_400_000;

const sessionIdOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe('Stripe through the fake, end to end', () => {
  it('a trial bought through Checkout grants Pro and takes the tenant’s trial; a failed renewal is grace then Free; a cancel ends it for good', async () => {
    await b.start();
    const price = b.fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = await b.linkPlan('Pro monthly', price.id);
    const ada = await b.member('ada@example.com');
    const { url } = await ada.client.billing.checkout.mutate({ planId: pro.id });
    await b.fake.completeCheckout(sessionIdOf(url));
    await b.fake.settled();

    const [sub] = [...b.fake.store.subscriptions.values()];
    expect(sub).toMatchObject({ status: 'trialing' });
    // The webhook asked Stripe for the subscription's state rather than trusting the payloads.
    const retrievals = () =>
      b.fake.requests.filter((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${sub!.id}`)
        .length;
    expect(retrievals()).toBeGreaterThan(0);
    const mine = await ada.client.membership.mine.query();
    expect(mine.marks.map((m) => m.markKey).sort()).toEqual(['free', 'pro']);
    const row = async () => {
      const [found] = await b.sql<{
        status: string;
        access_until: number | string;
        notice: string | null;
      }>('select status, access_until, notice from stripe_subscriptions where id = $1', [sub!.id]);
      return { ...found!, access_until: Number(found!.access_until) };
    };
    const periodEnd = () =>
      (b.fake.store.subscriptions.get(sub!.id)!.items.data[0]!.current_period_end as number) * 1000;
    expect(await row()).toMatchObject({ status: 'trialing', access_until: periodEnd() + 3 * DAY });
    // The Stripe trial is the platform's one trial: no second trial in Checkout or without a card.
    const [trials] = await b.sql<{ n: number | string }>(
      'select count(*) as n from trial_redemptions where user_id = $1',
      [ada.userId],
    );
    expect(Number(trials!.n)).toBe(1);

    // The renewal fails: past due, access until the renewal's start + 3 days, and a notice.
    await b.fake.renewSubscription(sub!.id, { fail: true });
    await b.fake.settled();
    const renewed = b.fake.store.subscriptions.get(sub!.id)!;
    const renewalStart = (renewed.items.data[0]!.current_period_start as number) * 1000;
    expect(await row()).toMatchObject({
      status: 'past_due',
      notice: 'payment_failed',
      access_until: renewalStart + 3 * DAY,
    });
    const notices = await ada.client.membership.subscriptions.query();
    expect(notices).toEqual([
      expect.objectContaining({ planKey: pro.key, notice: 'payment_failed' }),
    ]);

    // Stripe gives up and deletes it: Pro ends now.
    await b.fake.cancelSubscription(sub!.id);
    await b.fake.settled();
    expect(await row()).toMatchObject({ status: 'canceled', notice: 'ended' });
    const proNow = async () => {
      const [held] = await b.sql<{ status: string; expires_at: number | string }>(
        "select m.status, m.expires_at from memberships m join marks k on k.id = m.mark_id where m.user_id = $1 and k.key = 'pro'",
        [ada.userId],
      );
      return { status: held!.status, expires_at: Number(held!.expires_at) };
    };
    expect((await proNow()).status).toBe('revoked');
    expect((await proNow()).expires_at).toBeLessThanOrEqual(Date.now());

    // Every event of its life again, newest first, each three times at once: still ended.
    const ofSub = b.fake.events.filter((event) => JSON.stringify(event).includes(sub!.id));
    expect(ofSub.length).toBeGreaterThanOrEqual(5);
    for (const event of [...ofSub].reverse()) {
      const statuses = await b.fake.deliver(event, { times: 3, concurrently: true });
      expect(statuses.every((status) => status === 200)).toBe(true);
    }
    expect(await row()).toMatchObject({ status: 'canceled' });
    expect((await proNow()).status).toBe('revoked');
    const mineAfter = await ada.client.membership.mine.query();
    expect(mineAfter.marks.map((m) => m.markKey)).toEqual(['free']);
  });

  it('a credit pack bought through Checkout adds purchased credits once; a refund takes back only what is unspent', async () => {
    await b.start();
    const packPrice = b.fake.createPrice({ unitAmount: 300 });
    const packId = await b.pack(packPrice.id); // 500 credits
    const ada = await b.member('ada@example.com');
    const { url } = await ada.client.billing.checkout.mutate({ packId });
    await b.fake.completeCheckout(sessionIdOf(url));
    await b.fake.settled();
    const summary = await ada.client.usage.summary.query();
    expect(summary.credits).toMatchObject({ purchased: 500 });

    // Everything delivered again, concurrently: nothing more.
    for (const event of b.fake.events)
      await b.fake.deliver(event, { times: 2, concurrently: true });
    expect((await ada.client.usage.summary.query()).credits.purchased).toBe(500);

    // 200 spent (as chats would, from purchased once the allowance is empty), then refunded in full.
    await b.server.storage.stores.money.moveCredits({
      userId: ada.userId,
      pot: 'purchased',
      mode: 'add',
      amount: -200,
      kind: 'charge',
      idempotencyKey: 'charge:x:purchased',
      reference: 'tessera-mini',
      actorUserId: null,
      audit: { action: 'credits.charged' },
      now: new Date(),
    });
    const [charge] = [...b.fake.store.charges.values()];
    await b.fake.refund(charge!.id);
    await b.fake.settled();
    expect((await ada.client.usage.summary.query()).credits.purchased).toBe(0);
    const [payment] = await b.sql<{ refunded_minor: number | string }>(
      'select refunded_minor from payments where pack_id = $1',
      [packId],
    );
    expect(Number(payment!.refunded_minor)).toBe(300);
    expect((await b.server.storage.stores.money.checkInvariants()).ok).toBe(true);
  });
});
