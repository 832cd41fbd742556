// Checkout over real HTTP, with the real stripe SDK talking to the fake Stripe on loopback: what
// the fake received (mode, price, customer, client_reference_id, metadata on the session and on
// subscription_data / payment_intent_data, trial days only while the tenant's trial is unused,
// where buyers come back to), and one customer per user under concurrent first checkouts.
import { createStripeClient, ensureBillingCustomer } from '@tessera/api';
import { describe, expect, it } from 'vitest';
import { billingHarness } from './billing-harness.ts';

const b = billingHarness();

describe('billing.checkout', () => {
  it('a monthly plan: subscription mode, the plan key and tenant on session and subscription, trial days only while the tenant trial is unused', async () => {
    await b.start();
    const price = b.fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = await b.linkPlan('Pro monthly', price.id);
    const ada = await b.member('ada@example.com');

    const { url } = await ada.client.billing.checkout.mutate({ planId: pro.id });
    const [created] = b.sessionsCreated();
    expect(url).toMatch(new RegExp(`^${b.fake.url}/checkout/cs_test_`));
    const [row] = await b.customerRows();
    expect(row?.user_id).toBe(ada.userId);
    const customerCall = b.fake.requests.find((r) => r.path === '/v1/customers');
    expect(customerCall).toMatchObject({
      idempotencyKey: `customer:${ada.userId}`,
      body: { email: 'ada@example.com', metadata: { user: ada.userId } },
    });
    const metadata = { plan: pro.key, tenant: 'platform', user: ada.userId };
    expect(created!.body).toEqual({
      mode: 'subscription',
      customer: row!.stripe_customer_id,
      client_reference_id: ada.userId,
      line_items: [{ price: price.id, quantity: '1' }],
      metadata,
      subscription_data: { metadata, trial_period_days: '7' },
      success_url: `${b.server.url}/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${b.server.url}/plans?checkout=cancelled`,
    });

    // Once the platform's one trial is taken (any platform plan), Checkout offers none.
    await b.sql(
      "insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at) select $1, 'platform', mark_id, id, 0 from plans where id = $2",
      [ada.userId, pro.id],
    );
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    const second = b.sessionsCreated()[1]!.body;
    expect(second.subscription_data).toEqual({ metadata });
    expect(second.customer).toBe(row!.stripe_customer_id); // the same customer, not a new one
    expect(b.fake.store.customers.size).toBe(1);
  });

  it('a fixed-term plan and a credit pack: payment mode with the metadata on the PaymentIntent', async () => {
    await b.start();
    const once = b.fake.createPrice({ unitAmount: 2500 });
    const pass = await b.fixedTermPlan(once.id);
    const packPrice = b.fake.createPrice({ unitAmount: 300 });
    const packId = await b.pack(packPrice.id);
    const ada = await b.member('ada@example.com');

    await ada.client.billing.checkout.mutate({ planId: pass.id });
    await ada.client.billing.checkout.mutate({ packId });
    const [planSession, packSession] = b.sessionsCreated().map((r) => r.body);
    const planMeta = { plan: 'pro-pass', tenant: 'platform', user: ada.userId };
    expect(planSession).toMatchObject({
      mode: 'payment',
      client_reference_id: ada.userId,
      line_items: [{ price: once.id, quantity: '1' }],
      metadata: planMeta,
      payment_intent_data: { metadata: planMeta },
    });
    // A trial belongs to subscriptions: a one-off purchase never carries one.
    expect(planSession).not.toHaveProperty('subscription_data');
    const packMeta = { pack: packId, tenant: 'platform', user: ada.userId };
    expect(packSession).toMatchObject({
      mode: 'payment',
      line_items: [{ price: packPrice.id, quantity: '1' }],
      metadata: packMeta,
      payment_intent_data: { metadata: packMeta },
    });
    expect(packSession).not.toHaveProperty('subscription_data');

    // Paying the pack's session yields a PaymentIntent carrying the pack, for the webhook.
    const session = [...b.fake.store.checkoutSessions.values()].find((s) => s.metadata.pack)!;
    await b.fake.completeCheckout(session.id);
    const intent = b.fake.store.paymentIntents.get(session.payment_intent!)!;
    expect(intent).toMatchObject({ amount: 300, metadata: packMeta });
  });

  it('sends buyers back to PUBLIC_URL when it is set, not to the address the request came from', async () => {
    await b.start({ publicUrl: 'http://chat.example.test' });
    const pro = await b.linkPlan(
      'Pro monthly',
      b.fake.createPrice({ unitAmount: 2000, interval: 'month' }).id,
    );
    const ada = await b.member('ada@example.com');
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    await ada.client.billing.portal.mutate();
    expect(b.sessionsCreated()[0]!.body).toMatchObject({
      success_url:
        'http://chat.example.test/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://chat.example.test/plans?checkout=cancelled',
    });
    expect(b.fake.requests.at(-1)?.body.return_url).toBe('http://chat.example.test/account');
  });

  it('concurrent first checkouts of one user end with one Stripe customer and one row', async () => {
    await b.start();
    const pro = await b.linkPlan(
      'Pro monthly',
      b.fake.createPrice({ unitAmount: 2000, interval: 'month' }).id,
    );
    const packId = await b.pack(b.fake.createPrice({ unitAmount: 300 }).id);
    const ada = await b.member('ada@example.com');
    await Promise.all([
      ada.client.billing.checkout.mutate({ planId: pro.id }),
      ada.client.billing.checkout.mutate({ packId }),
      ada.client.billing.checkout.mutate({ packId }),
      ada.client.billing.portal.mutate(),
    ]);
    expect(b.fake.store.customers.size).toBe(1);
    const rows = await b.customerRows();
    expect(rows).toHaveLength(1);
    const customers = new Set(b.sessionsCreated().map((r) => r.body.customer));
    expect([...customers]).toEqual([rows[0]!.stripe_customer_id]);
  });

  it('two first calls that both miss the row (both ask Stripe) still end with one customer and one row', async () => {
    await b.start();
    const ada = await b.member('ada@example.com');
    const stripe = createStripeClient({ secretKey: b.fake.secretKey, apiBase: b.fake.url });
    const input = { userId: ada.userId, email: 'ada@example.com', now: new Date() };
    // Each reads "no customer", then waits until all three have read before asking Stripe: the
    // race, every time, on either engine.
    const payments = b.server.storage.stores.payments;
    let reads = 0;
    let allRead!: () => void;
    const barrier = new Promise<void>((resolve) => {
      allRead = resolve;
    });
    const racing: Parameters<typeof ensureBillingCustomer>[0] = {
      async findBillingCustomer(userId) {
        const found = await payments.findBillingCustomer(userId);
        reads += 1;
        if (reads === 3) allRead();
        await barrier;
        return found;
      },
      saveBillingCustomer: (row) => payments.saveBillingCustomer(row),
    };
    const ids = await Promise.all([
      ensureBillingCustomer(racing, stripe, input),
      ensureBillingCustomer(racing, stripe, input),
      ensureBillingCustomer(racing, stripe, input),
    ]);
    expect(b.fake.requests.filter((r) => r.path === '/v1/customers')).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(b.fake.store.customers.size).toBe(1);
    expect(await b.customerRows()).toEqual([
      { user_id: ada.userId, stripe_customer_id: ids[0], created_at: expect.any(Number) },
    ]);
  });
});
