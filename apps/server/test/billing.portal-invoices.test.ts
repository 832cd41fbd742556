// The Customer Portal opens for the caller's own customer and returns to Account; invoices come
// from Stripe after a payment (none before the first checkout); status lists the packs on sale.
import { describe, expect, it } from 'vitest';
import { billingHarness } from './billing-harness.ts';

const b = billingHarness();

describe('billing.portal and billing.invoices', () => {
  it('opens the portal for the user’s customer, returning to Account; lists invoices after a payment', async () => {
    await b.start();
    const yearly = b.fake.createPrice({ unitAmount: 20_000, interval: 'year' });
    const pro = await b.linkPlan('Pro yearly', yearly.id);
    const ada = await b.member('ada@example.com');
    expect(await ada.client.billing.invoices.query()).toEqual([]); // no customer yet
    expect(b.fake.requests).toEqual([]);

    await ada.client.billing.checkout.mutate({ planId: pro.id });
    const [sessionId] = [...b.fake.store.checkoutSessions.keys()];
    await b.fake.completeCheckout(sessionId!);
    const invoices = await ada.client.billing.invoices.query();
    expect(invoices).toEqual([
      {
        id: expect.stringMatching(/^in_/),
        number: 'FAKE-0001',
        createdAt: expect.any(String), // a Date on the server, ISO text on the wire
        amountMinor: 20_000,
        currency: 'usd',
        status: 'paid',
        hostedInvoiceUrl: expect.stringMatching(new RegExp(`^${b.fake.url}/invoice/in_`)),
      },
    ]);
    // Another user's invoices are not ada's, and theirs are not hers.
    const bob = await b.member('bob@example.com');
    expect(await bob.client.billing.invoices.query()).toEqual([]);

    const { url } = await ada.client.billing.portal.mutate();
    expect(url).toMatch(new RegExp(`^${b.fake.url}/portal/bps_`));
    const [row] = await b.customerRows();
    expect(b.fake.requests.at(-1)).toMatchObject({
      path: '/v1/billing_portal/sessions',
      body: { customer: row!.stripe_customer_id, return_url: `${b.server.url}/account` },
    });
    const page = await (await fetch(url)).text();
    expect(page).toContain('data-testid="fake-portal-cancel"');
    expect(page).toContain(pro.key);
  });

  it('status lists the active packs that have a Stripe price', async () => {
    await b.start();
    const packId = await b.pack(b.fake.createPrice({ unitAmount: 300 }).id);
    await b.pack(null);
    await b.pack(b.fake.createPrice({ unitAmount: 300 }).id, false);
    const ada = await b.member('ada@example.com');
    expect(await ada.client.billing.status.query()).toEqual({
      enabled: true,
      packs: [{ id: packId, name: 'Starter', credits: 500, priceMinor: 300, currency: 'usd' }],
    });
  });
});
