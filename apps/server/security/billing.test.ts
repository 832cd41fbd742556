// Buying is always for oneself: billing.* acts on the caller's own Stripe customer only, takes no
// user or customer id, refuses a leaked API key, and refuses bad input before Stripe hears of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './http.ts';
import { dumpDatabase, startWorld, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.server.stop());

const customerOf = (userId: string) =>
  (
    w.server.database.sqlite
      .prepare('select stripe_customer_id as id from billing_customers where user_id = ?')
      .get(userId) as { id: string } | undefined
  )?.id;

describe('billing.*', () => {
  it('a leaked API key as Bearer is no session: 401, nothing written, Stripe never called', async () => {
    const before = dumpDatabase(w.server);
    const calls = w.stripe.requests.length;
    const headers = {
      authorization: `Bearer ${w.alice.apiKey}`,
      'content-type': 'application/json',
    };
    for (const [path, method, body] of [
      ['billing.status', 'GET', undefined],
      ['billing.invoices', 'GET', undefined],
      ['billing.checkout', 'POST', JSON.stringify({ planId: w.proPlanId })],
      ['billing.portal', 'POST', undefined],
    ] as const) {
      const response = await fetch(`${w.server.url}/trpc/${path}`, {
        method,
        headers: method === 'POST' ? { ...headers, origin: w.server.url } : headers,
        body,
      });
      expect(response.status, path).toBe(401);
      expect(
        ((await response.json()) as { error: { data: { domainCode: string } } }).error.data,
      ).toMatchObject({ domainCode: 'UNAUTHENTICATED' });
    }
    expect(w.stripe.requests.length).toBe(calls);
    expect(dumpDatabase(w.server)).toEqual(before);
  });

  it('each caller gets their own customer: bob’s checkout, portal and invoices never reach alice’s', async () => {
    const alicePortal = await call(w.server, w.alice, 'billing.portal', 'mutation');
    expect(alicePortal.status).toBe(200);
    const alices = customerOf(w.alice.userId)!;
    expect(alices).toMatch(/^cus_/);
    const bobCheckout = await call(w.server, w.bob, 'billing.checkout', 'mutation', {
      planId: w.proPlanId,
    });
    expect(bobCheckout.status).toBe(200);
    const bobs = customerOf(w.bob.userId)!;
    expect(bobs).not.toBe(alices);
    const session = w.stripe.requests.findLast((r) => r.path === '/v1/checkout/sessions')!;
    expect(session.body).toMatchObject({ customer: bobs, client_reference_id: w.bob.userId });
    await call(w.server, w.bob, 'billing.portal', 'mutation');
    const portal = w.stripe.requests.findLast((r) => r.path === '/v1/billing_portal/sessions')!;
    expect(portal.body.customer).toBe(bobs);
    await call(w.server, w.bob, 'billing.invoices', 'query');
    const listed = w.stripe.requests.findLast((r) => r.path === '/v1/invoices');
    expect(listed?.query.customer).toBe(bobs);
  });

  it('input naming a customer or user, both a plan and a pack, or neither: 400, nothing written', async () => {
    const before = dumpDatabase(w.server);
    const calls = w.stripe.requests.length;
    for (const input of [
      { planId: w.proPlanId, customer: 'cus_someoneElse' },
      { planId: w.proPlanId, userId: w.alice.userId },
      { planId: w.proPlanId, packId: w.packId },
      {},
    ]) {
      const reply = await call(w.server, w.carol, 'billing.checkout', 'mutation', input);
      expect(reply.status, JSON.stringify(input)).toBe(400);
      expect(reply.body.error.data.domainCode).toBe('VALIDATION');
    }
    expect(w.stripe.requests.length).toBe(calls);
    expect(dumpDatabase(w.server)).toEqual(before);
  });
});
