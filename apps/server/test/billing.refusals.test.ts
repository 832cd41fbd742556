// Every refusal of billing.checkout (and of the portal and invoices without Stripe) is a typed
// error decided before Stripe is called: nothing is written here or in Stripe. Stripe's own errors
// arrive as a clean PAYMENT_PROVIDER_ERROR, without its message, a stack or the key.
import { describe, expect, it } from 'vitest';
import { billingHarness, refusal } from './billing-harness.ts';

const b = billingHarness();

describe('billing.checkout refusals', () => {
  it('refuses with a typed error and writes nothing, here or in Stripe', async () => {
    await b.start();
    const monthly = b.fake.createPrice({ unitAmount: 900, interval: 'month' });
    const ada = await b.member('ada@example.com');
    const unpriced = await b.plan('Enterprise');
    const inactive = await b.linkPlan(
      'Pro yearly',
      b.fake.createPrice({ unitAmount: 1, interval: 'year' }).id,
    );
    await b.sql('update plans set active = false where id = $1', [inactive.id]);
    const acme = await b.linkPlan('Acme Writer', monthly.id);
    await b.server.storage.stores.catalog.setVendorSuspended({
      tenantId: 'acme',
      suspended: true,
      actorUserId: null,
      now: new Date(),
    });
    const cases: [unknown, string, Record<string, unknown> | null][] = [
      [{ planId: unpriced.id }, 'NOT_FOR_SALE', { reason: 'NO_STRIPE_PRICE' }],
      [{ planId: inactive.id }, 'NOT_FOUND', null],
      [{ planId: acme.id }, 'NOT_FOR_SALE', { reason: 'VENDOR_SUSPENDED' }],
      [{ packId: await b.pack(null) }, 'NOT_FOR_SALE', { reason: 'NO_STRIPE_PRICE' }],
      [
        { packId: await b.pack(b.fake.createPrice({ unitAmount: 1 }).id, false) },
        'NOT_FOUND',
        null,
      ],
      [{ planId: 'no-such-plan' }, 'NOT_FOUND', null],
    ];
    for (const [input, code, details] of cases) {
      const error = await refusal(ada.client.billing.checkout.mutate(input as { planId: string }));
      expect([JSON.stringify(input), error.domainCode, error.details]).toEqual([
        JSON.stringify(input),
        code,
        details,
      ]);
    }
    expect(b.fake.requests).toEqual([]);
    expect(await b.customerRows()).toEqual([]);
  });

  it('refuses a plan the member already subscribes to: from its membership, and from Stripe before the webhook lands', async () => {
    await b.start();
    const price = b.fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = await b.linkPlan('Pro monthly', price.id);
    const ada = await b.member('ada@example.com');
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    await b.fake.completeCheckout([...b.fake.store.checkoutSessions.keys()][0]!);
    // Paid in Stripe; whether or not a handler has granted it yet, a second Checkout is refused.
    const fromStripe = await refusal(ada.client.billing.checkout.mutate({ planId: pro.id }));
    expect(fromStripe.domainCode).toBe('ALREADY_SUBSCRIBED');
    expect(b.sessionsCreated()).toHaveLength(1);

    const bob = await b.member('bob@example.com');
    const [proMark] = await b.sql<{ id: string }>("select id from marks where key = 'pro'");
    await b.server.storage.stores.members.grantMark({
      userId: bob.userId,
      markId: proMark!.id,
      days: 30,
      source: 'stripe',
      actorUserId: null,
      now: new Date(),
    });
    const before = b.fake.requests.length;
    const fromMembership = await refusal(bob.client.billing.checkout.mutate({ planId: pro.id }));
    expect(fromMembership.domainCode).toBe('ALREADY_SUBSCRIBED');
    expect(b.fake.requests.length).toBe(before);
    expect(await b.customerRows()).toHaveLength(1); // ada's only
  });

  it('without STRIPE_SECRET_KEY: status says so, and checkout, portal and invoices refuse, writing nothing', async () => {
    await b.start({ stripe: false });
    const ada = await b.member('ada@example.com');
    expect(await ada.client.billing.status.query()).toEqual({ enabled: false, packs: [] });
    const pro = await b.plan('Pro monthly');
    // One call at a time: a call started early could reject before anything awaits it.
    for (const call of [
      () => ada.client.billing.checkout.mutate({ planId: pro.id }),
      () => ada.client.billing.portal.mutate(),
      () => ada.client.billing.invoices.query(),
    ]) {
      expect((await refusal(call())).domainCode).toBe('PAYMENTS_UNAVAILABLE');
    }
    expect(b.fake.requests).toEqual([]);
    expect(await b.customerRows()).toEqual([]);
  });

  it('Stripe’s own errors arrive as a clean PAYMENT_PROVIDER_ERROR: no stack, no key, no Stripe message', async () => {
    await b.start({ secretKey: 'sk_test_notTheFakesKey1234' });
    const ada = await b.member('ada@example.com');
    const pro = await b.linkPlan('Pro monthly', 'price_doesNotExist');
    const error = await refusal(ada.client.billing.checkout.mutate({ planId: pro.id }));
    expect(error.domainCode).toBe('PAYMENT_PROVIDER_ERROR');
    expect(error.httpStatus).toBe(502);
    expect(error.details).toMatchObject({ stripeType: 'StripeAuthenticationError' });
    expect(JSON.stringify(error)).not.toMatch(/sk_test|1234|Invalid API Key/);
    expect(await b.customerRows()).toEqual([]);
  });
});
