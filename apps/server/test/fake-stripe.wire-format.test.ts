// The fake Stripe speaks Stripe's wire format: the real `stripe` SDK, pointed at it through
// STRIPE_API_BASE, creates and reads objects, gets Stripe's error shape and status codes, has its
// idempotency keys honoured, and receives webhooks the SDK's own verifier accepts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeClient } from '@tessera/api';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../testing/fake-stripe/index.ts';

let fake: FakeStripe | undefined;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const close of closers.splice(0)) await close();
});

const sdk = (f: FakeStripe, key = f.secretKey) =>
  createStripeClient({ secretKey: key, apiBase: f.url });

describe('fake Stripe, driven by the real stripe SDK', () => {
  it('creates and retrieves customers and prices with prefixed ids and bracket-nested params', async () => {
    fake = await startFakeStripe();
    const stripe = sdk(fake);
    const customer = await stripe.customers.create({
      email: 'ada@example.com',
      metadata: { user: 'u1' },
    });
    expect(customer).toMatchObject({ object: 'customer', metadata: { user: 'u1' } });
    expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{24}$/);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);

    const monthly = await stripe.prices.create({
      unit_amount: 2000,
      currency: 'usd',
      recurring: { interval: 'month' },
      product_data: { name: 'Pro' },
    });
    expect(monthly).toMatchObject({
      object: 'price',
      unit_amount: 2000,
      recurring: { interval: 'month' },
      type: 'recurring',
    });
    expect(fake.requests.at(-1)?.body).toMatchObject({ recurring: { interval: 'month' } });
    const once = await stripe.prices.retrieve(fake.createPrice({ unitAmount: 500 }).id);
    expect(once.recurring).toBeNull();
  });

  it('answers in Stripe’s error shape: 404 resource_missing, 400 with the param, 401 for a wrong key', async () => {
    fake = await startFakeStripe();
    const stripe = sdk(fake);
    const notFound = await stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(notFound).toMatchObject({
      statusCode: 404,
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      param: 'id',
      message: "No such customer: 'cus_nope'",
    });

    const badPrice = await stripe.checkout.sessions
      .create({
        mode: 'payment',
        line_items: [{ price: 'price_missing', quantity: 1 }],
        success_url: 'http://localhost/ok',
      })
      .catch((e: unknown) => e);
    expect(badPrice).toMatchObject({ statusCode: 404, param: 'line_items[0][price]' });

    const recurring = fake.createPrice({ unitAmount: 100, interval: 'month' });
    const wrongMode = await stripe.checkout.sessions
      .create({
        mode: 'payment',
        line_items: [{ price: recurring.id, quantity: 1 }],
        success_url: 'http://localhost/ok',
      })
      .catch((e: unknown) => e);
    expect(wrongMode).toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });

    const raw = await fetch(`${fake.url}/v1/customers/cus_nope`, {
      headers: { authorization: `Bearer ${fake.secretKey}` },
    });
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: "No such customer: 'cus_nope'",
        param: 'id',
        code: 'resource_missing',
      },
    });

    const wrongKey = await sdk(fake, 'sk_test_wrong')
      .customers.create({})
      .catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(wrongKey).toMatchObject({ statusCode: 401 });
    expect(fake.store.customers.size).toBe(0);
  });

  it('honours Idempotency-Key: the same key gives the same object, different params are refused', async () => {
    fake = await startFakeStripe();
    const stripe = sdk(fake);
    const [a, b] = await Promise.all([
      stripe.customers.create({ metadata: { user: 'u1' } }, { idempotencyKey: 'customer:u1' }),
      stripe.customers.create({ metadata: { user: 'u1' } }, { idempotencyKey: 'customer:u1' }),
    ]);
    expect(a.id).toBe(b.id);
    expect(fake.store.customers.size).toBe(1);
    const changed = await stripe.customers
      .create({ metadata: { user: 'u2' } }, { idempotencyKey: 'customer:u1' })
      .catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('completes a subscription checkout: trialing subscription with copied metadata, a paid invoice, signed events', async () => {
    const received: { type: string; event: Stripe.Event }[] = [];
    const hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // The SDK's own verifier accepts what the fake signed.
        const event = Stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          req.headers['stripe-signature'] as string,
          'whsec_fakestripe',
        );
        received.push({ type: event.type, event });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => hook.close(() => r())));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    fake = await startFakeStripe({ webhookUrl: hookUrl });
    const stripe = sdk(fake);
    const customer = await stripe.customers.create({});
    await fake.settled(); // customer.created, delivered after the API answered
    const price = fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      client_reference_id: 'u1',
      metadata: { plan: 'pro' },
      subscription_data: { metadata: { plan: 'pro' }, trial_period_days: 7 },
      success_url: 'http://app.test/plans?checkout=success&session={CHECKOUT_SESSION_ID}',
    });
    expect(session.url).toBe(`${fake.url}/checkout/${session.id}`);
    expect(session.id).toMatch(/^cs_test_/);

    // The hosted page's Pay button: completes, delivers, then redirects to success_url.
    const page = await fetch(session.url!);
    expect(await page.text()).toContain('data-testid="fake-checkout-pay"');
    const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(
      `http://app.test/plans?checkout=success&session=${session.id}`,
    );
    expect(received.map((r) => r.type)).toEqual([
      'customer.created',
      'checkout.session.completed',
      'customer.subscription.created',
      'invoice.paid',
    ]);

    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const subscription = await stripe.subscriptions.retrieve(done.subscription as string);
    expect(subscription).toMatchObject({
      status: 'trialing',
      customer: customer.id,
      metadata: { plan: 'pro' },
    });
    const item = subscription.items.data[0]!;
    expect(item.current_period_end - item.current_period_start).toBe(7 * 86_400);

    const invoices = await stripe.invoices.list({ customer: customer.id });
    expect(invoices.object).toBe('list');
    expect(invoices.data).toHaveLength(1);
    expect(invoices.data[0]).toMatchObject({
      status: 'paid',
      amount_paid: 0,
      customer: customer.id,
    });

    const updated = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: true,
    });
    expect(updated.cancel_at_period_end).toBe(true);
    await fake.settled();
    expect(received.at(-1)?.type).toBe('customer.subscription.updated');
    expect(received.at(-1)?.event.data.previous_attributes).toEqual({
      cancel_at_period_end: false,
    });
  });

  it('completes a payment checkout into a paid PaymentIntent and charge that can be refunded', async () => {
    fake = await startFakeStripe();
    const stripe = sdk(fake);
    const price = fake.createPrice({ unitAmount: 300, currency: 'eur' });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      payment_intent_data: { metadata: { pack: 'p1' } },
      success_url: 'http://app.test/ok',
    });
    await fake.completeCheckout(session.id);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    const intent = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 300, metadata: { pack: 'p1' } });
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 100 });
    expect(refund).toMatchObject({ object: 'refund', amount: 100 });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 100, refunded: false });
    expect(fake.events.map((e) => e.type)).toEqual([
      'customer.created',
      'checkout.session.completed',
      'charge.refunded',
    ]);
  });

  it('scripts a lifecycle for webhook tests: renewal, a failed renewal, cancellation, redelivery', async () => {
    const statuses: number[] = [];
    const hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        statuses.push(200);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => hook.close(() => r())));
    let clock = new Date('2026-03-31T12:00:00Z');
    fake = await startFakeStripe({
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
      now: () => clock,
    });
    const stripe = sdk(fake);
    const price = fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://app.test/ok',
    });
    await fake.completeCheckout(session.id);
    const id = fake.store.checkoutSessions.get(session.id)!.subscription!;
    const first = await stripe.subscriptions.retrieve(id);
    // Calendar months, as Stripe bills: 31 March → 30 April (end of the shorter month).
    expect(new Date(first.items.data[0]!.current_period_end * 1000).toISOString()).toBe(
      '2026-04-30T12:00:00.000Z',
    );

    clock = new Date('2026-04-30T12:00:00Z');
    await fake.renewSubscription(id);
    const renewed = await stripe.subscriptions.retrieve(id);
    expect(renewed.items.data[0]!.current_period_start).toBe(
      first.items.data[0]!.current_period_end,
    );
    // Still anchored on the 31st: 30 April → 31 May.
    expect(new Date(renewed.items.data[0]!.current_period_end * 1000).toISOString()).toBe(
      '2026-05-31T12:00:00.000Z',
    );
    expect(fake.events.slice(-2).map((e) => e.type)).toEqual([
      'customer.subscription.updated',
      'invoice.paid',
    ]);

    await fake.renewSubscription(id, { fail: true });
    expect((await stripe.subscriptions.retrieve(id)).status).toBe('past_due');
    expect(fake.events.at(-1)?.type).toBe('invoice.payment_failed');
    expect(fake.events.at(-1)?.data.object).toMatchObject({ status: 'open', amount_paid: 0 });

    await stripe.subscriptions.cancel(id);
    await fake.settled();
    const deleted = fake.events.at(-1)!;
    expect(deleted.type).toBe('customer.subscription.deleted');
    const before = statuses.length;
    expect(await fake.deliver(deleted, { times: 3, concurrently: true })).toEqual([200, 200, 200]);
    expect(statuses.length).toBe(before + 3);
    expect(
      (await stripe.invoices.list({ customer: renewed.customer as string })).data,
    ).toHaveLength(3);
  });
});
