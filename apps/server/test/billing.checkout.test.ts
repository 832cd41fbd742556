// Checkout, the Customer Portal and invoices over real HTTP, with the real stripe SDK talking to
// the fake Stripe on loopback: what the fake received (mode, price, customer, client_reference_id,
// metadata on the session and on subscription_data / payment_intent_data, trial days only while
// the tenant's trial is unused), every refusal writing nothing anywhere, one customer per user
// under concurrent first checkouts, and Stripe's errors arriving as clean typed errors.
import {
  createStripeClient,
  ensureBillingCustomer,
  grantMark,
  setVendorSuspended,
} from '@tessera/api';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../testing/fake-stripe/index.ts';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

let fake: FakeStripe | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await fake?.close();
  await server?.stop();
  fake = undefined;
  server = undefined;
});

async function start(options: { stripe?: boolean; secretKey?: string; publicUrl?: string } = {}) {
  fake = await startFakeStripe();
  server = await startTestServer({
    seedDemo: true,
    publicUrl: options.publicUrl,
    stripe:
      options.stripe === false
        ? { graceDays: 3 }
        : {
            secretKey: options.secretKey ?? fake.secretKey,
            apiBase: fake.url,
            webhookSecret: fake.webhookSecret,
            graceDays: 3,
          },
  });
  fake.webhookUrl = `${server.url}/api/stripe/webhook`;
  return { fake, server };
}

const sql = () => server!.database.sqlite;

async function member(email: string) {
  const client = trpcClient(server!.url, new CookieFetch(server!.url));
  const { user } = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
  return { client, userId: user.id };
}

function plan(name: string) {
  return sql().prepare('select id, key, tenant_id from plans where name = ?').get(name) as {
    id: string;
    key: string;
    tenant_id: string;
  };
}

function linkPlan(name: string, priceId: string) {
  sql().prepare('update plans set stripe_price_id = ? where name = ?').run(priceId, name);
  return plan(name);
}

/** A fixed-term platform plan (30 days, paid once) granting Pro, linked to `priceId`. */
function fixedTermPlan(priceId: string | null) {
  const pro = sql().prepare("select id from marks where key = 'pro'").get() as { id: string };
  const now = Date.now();
  sql()
    .prepare(
      `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency, interval,
         duration_days, trial_days, stripe_price_id, active, sort_order, created_at, updated_at)
       values ('plan_pass', 'platform', ?, 'pro-pass', 'pro-pass', 'Pro 30-day pass', 2500, 'usd',
         'once', 30, 5, ?, 1, 5, ?, ?)`,
    )
    .run(pro.id, priceId, now, now);
  return plan('Pro 30-day pass');
}

function pack(priceId: string | null, active = true) {
  const id = `pack_${Math.random().toString(36).slice(2, 10)}`;
  const now = Date.now();
  sql()
    .prepare(
      `insert into credit_packs (id, name, credits, price_minor, currency, stripe_price_id, active,
         created_at, updated_at) values (?, 'Starter', 500, 300, 'usd', ?, ?, ?, ?)`,
    )
    .run(id, priceId, active ? 1 : 0, now, now);
  return id;
}

const sessionsCreated = () =>
  fake!.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
const customerRows = () => sql().prepare('select * from billing_customers').all();

async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<never>).data as unknown as {
    domainCode: string;
    httpStatus: number;
    details: Record<string, unknown> | null;
    stack?: string;
  };
  expect(data.stack).toBeUndefined();
  return { message: (error as Error).message, ...data };
}

describe('billing.checkout', () => {
  it('a monthly plan: subscription mode, the plan key and tenant on session and subscription, trial days only while the tenant trial is unused', async () => {
    await start();
    const price = fake!.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = linkPlan('Pro monthly', price.id);
    const ada = await member('ada@example.com');

    const { url } = await ada.client.billing.checkout.mutate({ planId: pro.id });
    const [created] = sessionsCreated();
    expect(url).toMatch(new RegExp(`^${fake!.url}/checkout/cs_test_`));
    const [row] = customerRows() as { user_id: string; stripe_customer_id: string }[];
    expect(row?.user_id).toBe(ada.userId);
    const customerCall = fake!.requests.find((r) => r.path === '/v1/customers');
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
      success_url: `${server!.url}/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${server!.url}/plans?checkout=cancelled`,
    });

    // Once the platform's one trial is taken (any platform plan), Checkout offers none.
    sql()
      .prepare(
        "insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at) select ?, 'platform', mark_id, id, 0 from plans where id = ?",
      )
      .run(ada.userId, pro.id);
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    const second = sessionsCreated()[1]!.body;
    expect(second.subscription_data).toEqual({ metadata });
    expect(second.customer).toBe(row!.stripe_customer_id); // the same customer, not a new one
    expect(fake!.store.customers.size).toBe(1);
  });

  it('a fixed-term plan and a credit pack: payment mode with the metadata on the PaymentIntent', async () => {
    await start();
    const once = fake!.createPrice({ unitAmount: 2500 });
    const pass = fixedTermPlan(once.id);
    const packPrice = fake!.createPrice({ unitAmount: 300 });
    const packId = pack(packPrice.id);
    const ada = await member('ada@example.com');

    await ada.client.billing.checkout.mutate({ planId: pass.id });
    await ada.client.billing.checkout.mutate({ packId });
    const [planSession, packSession] = sessionsCreated().map((r) => r.body);
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
    const session = [...fake!.store.checkoutSessions.values()].find((s) => s.metadata.pack)!;
    await fake!.completeCheckout(session.id);
    const intent = fake!.store.paymentIntents.get(session.payment_intent!)!;
    expect(intent).toMatchObject({ amount: 300, metadata: packMeta });
  });

  it('refuses with a typed error and writes nothing, here or in Stripe', async () => {
    await start();
    const monthly = fake!.createPrice({ unitAmount: 900, interval: 'month' });
    const ada = await member('ada@example.com');
    const unpriced = plan('Enterprise');
    const inactive = linkPlan(
      'Pro yearly',
      fake!.createPrice({ unitAmount: 1, interval: 'year' }).id,
    );
    sql().prepare('update plans set active = 0 where id = ?').run(inactive.id);
    const acme = linkPlan('Acme Writer', monthly.id);
    setVendorSuspended(server!.database.db, {
      tenantId: 'acme',
      suspended: true,
      actorUserId: null,
      now: new Date(),
    });
    const cases: [unknown, string, Record<string, unknown> | null][] = [
      [{ planId: unpriced.id }, 'NOT_FOR_SALE', { reason: 'NO_STRIPE_PRICE' }],
      [{ planId: inactive.id }, 'NOT_FOUND', null],
      [{ planId: acme.id }, 'NOT_FOR_SALE', { reason: 'VENDOR_SUSPENDED' }],
      [{ packId: pack(null) }, 'NOT_FOR_SALE', { reason: 'NO_STRIPE_PRICE' }],
      [{ packId: pack(fake!.createPrice({ unitAmount: 1 }).id, false) }, 'NOT_FOUND', null],
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
    expect(fake!.requests).toEqual([]);
    expect(customerRows()).toEqual([]);
  });

  it('refuses a plan the member already subscribes to: from its membership, and from Stripe before the webhook lands', async () => {
    await start();
    const price = fake!.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = linkPlan('Pro monthly', price.id);
    const ada = await member('ada@example.com');
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    await fake!.completeCheckout([...fake!.store.checkoutSessions.keys()][0]!);
    // Paid in Stripe; whether or not a handler has granted it yet, a second Checkout is refused.
    const fromStripe = await refusal(ada.client.billing.checkout.mutate({ planId: pro.id }));
    expect(fromStripe.domainCode).toBe('ALREADY_SUBSCRIBED');
    expect(sessionsCreated()).toHaveLength(1);

    const bob = await member('bob@example.com');
    const proMark = sql().prepare("select id from marks where key = 'pro'").get() as { id: string };
    grantMark(server!.database.db, {
      userId: bob.userId,
      markId: proMark.id,
      days: 30,
      source: 'stripe',
      actorUserId: null,
      now: new Date(),
    });
    const before = fake!.requests.length;
    const fromMembership = await refusal(bob.client.billing.checkout.mutate({ planId: pro.id }));
    expect(fromMembership.domainCode).toBe('ALREADY_SUBSCRIBED');
    expect(fake!.requests.length).toBe(before);
    expect(customerRows()).toHaveLength(1); // ada's only
  });

  it('sends buyers back to PUBLIC_URL when it is set, not to the address the request came from', async () => {
    await start({ publicUrl: 'http://chat.example.test' });
    const pro = linkPlan(
      'Pro monthly',
      fake!.createPrice({ unitAmount: 2000, interval: 'month' }).id,
    );
    const ada = await member('ada@example.com');
    await ada.client.billing.checkout.mutate({ planId: pro.id });
    await ada.client.billing.portal.mutate();
    expect(sessionsCreated()[0]!.body).toMatchObject({
      success_url:
        'http://chat.example.test/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://chat.example.test/plans?checkout=cancelled',
    });
    expect(fake!.requests.at(-1)?.body.return_url).toBe('http://chat.example.test/account');
  });

  it('without STRIPE_SECRET_KEY: status says so, and checkout, portal and invoices refuse, writing nothing', async () => {
    await start({ stripe: false });
    const ada = await member('ada@example.com');
    expect(await ada.client.billing.status.query()).toEqual({ enabled: false, packs: [] });
    const pro = plan('Pro monthly');
    for (const call of [
      ada.client.billing.checkout.mutate({ planId: pro.id }),
      ada.client.billing.portal.mutate(),
      ada.client.billing.invoices.query(),
    ]) {
      expect((await refusal(call)).domainCode).toBe('PAYMENTS_UNAVAILABLE');
    }
    expect(fake!.requests).toEqual([]);
    expect(customerRows()).toEqual([]);
  });

  it('Stripe’s own errors arrive as a clean PAYMENT_PROVIDER_ERROR: no stack, no key, no Stripe message', async () => {
    await start({ secretKey: 'sk_test_notTheFakesKey1234' });
    const ada = await member('ada@example.com');
    const pro = linkPlan('Pro monthly', 'price_doesNotExist');
    const error = await refusal(ada.client.billing.checkout.mutate({ planId: pro.id }));
    expect(error.domainCode).toBe('PAYMENT_PROVIDER_ERROR');
    expect(error.httpStatus).toBe(502);
    expect(error.details).toMatchObject({ stripeType: 'StripeAuthenticationError' });
    expect(JSON.stringify(error)).not.toMatch(/sk_test|1234|Invalid API Key/);
    expect(customerRows()).toEqual([]);
  });

  it('concurrent first checkouts of one user end with one Stripe customer and one row', async () => {
    await start();
    const pro = linkPlan(
      'Pro monthly',
      fake!.createPrice({ unitAmount: 2000, interval: 'month' }).id,
    );
    const packId = pack(fake!.createPrice({ unitAmount: 300 }).id);
    const ada = await member('ada@example.com');
    await Promise.all([
      ada.client.billing.checkout.mutate({ planId: pro.id }),
      ada.client.billing.checkout.mutate({ packId }),
      ada.client.billing.checkout.mutate({ packId }),
      ada.client.billing.portal.mutate(),
    ]);
    expect(fake!.store.customers.size).toBe(1);
    const rows = customerRows() as { stripe_customer_id: string }[];
    expect(rows).toHaveLength(1);
    const customers = new Set(sessionsCreated().map((r) => r.body.customer));
    expect([...customers]).toEqual([rows[0]!.stripe_customer_id]);
  });

  it('two first calls that both miss the row (both ask Stripe) still end with one customer and one row', async () => {
    await start();
    const ada = await member('ada@example.com');
    const stripe = createStripeClient({ secretKey: fake!.secretKey, apiBase: fake!.url });
    const input = { userId: ada.userId, email: 'ada@example.com', now: new Date() };
    // Both read "no customer" before either awaits Stripe: the race, every time.
    const ids = await Promise.all([
      ensureBillingCustomer(server!.database.db, stripe, input),
      ensureBillingCustomer(server!.database.db, stripe, input),
      ensureBillingCustomer(server!.database.db, stripe, input),
    ]);
    expect(fake!.requests.filter((r) => r.path === '/v1/customers')).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(fake!.store.customers.size).toBe(1);
    expect(customerRows()).toEqual([
      { user_id: ada.userId, stripe_customer_id: ids[0], created_at: expect.any(Number) },
    ]);
  });
});

describe('billing.portal and billing.invoices', () => {
  it('opens the portal for the user’s customer, returning to Account; lists invoices after a payment', async () => {
    await start();
    const yearly = fake!.createPrice({ unitAmount: 20_000, interval: 'year' });
    const pro = linkPlan('Pro yearly', yearly.id);
    const ada = await member('ada@example.com');
    expect(await ada.client.billing.invoices.query()).toEqual([]); // no customer yet
    expect(fake!.requests).toEqual([]);

    await ada.client.billing.checkout.mutate({ planId: pro.id });
    const [sessionId] = [...fake!.store.checkoutSessions.keys()];
    await fake!.completeCheckout(sessionId!);
    const invoices = await ada.client.billing.invoices.query();
    expect(invoices).toEqual([
      {
        id: expect.stringMatching(/^in_/),
        number: 'FAKE-0001',
        createdAt: expect.any(String), // a Date on the server, ISO text on the wire
        amountMinor: 20_000,
        currency: 'usd',
        status: 'paid',
        hostedInvoiceUrl: expect.stringMatching(new RegExp(`^${fake!.url}/invoice/in_`)),
      },
    ]);
    // Another user's invoices are not ada's, and theirs are not hers.
    const bob = await member('bob@example.com');
    expect(await bob.client.billing.invoices.query()).toEqual([]);

    const { url } = await ada.client.billing.portal.mutate();
    expect(url).toMatch(new RegExp(`^${fake!.url}/portal/bps_`));
    const [row] = customerRows() as { stripe_customer_id: string }[];
    expect(fake!.requests.at(-1)).toMatchObject({
      path: '/v1/billing_portal/sessions',
      body: { customer: row!.stripe_customer_id, return_url: `${server!.url}/account` },
    });
    const page = await (await fetch(url)).text();
    expect(page).toContain('data-testid="fake-portal-cancel"');
    expect(page).toContain(pro.key);
  });

  it('status lists the active packs that have a Stripe price', async () => {
    await start();
    const packId = pack(fake!.createPrice({ unitAmount: 300 }).id);
    pack(null);
    pack(fake!.createPrice({ unitAmount: 300 }).id, false);
    const ada = await member('ada@example.com');
    expect(await ada.client.billing.status.query()).toEqual({
      enabled: true,
      packs: [{ id: packId, name: 'Starter', credits: 500, priceMinor: 300, currency: 'usd' }],
    });
  });
});
