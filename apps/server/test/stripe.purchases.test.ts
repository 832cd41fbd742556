// One-time purchases through POST /api/stripe/webhook (signed with the real stripe SDK, real HTTP):
// a credit pack's Checkout grants purchased credits once however often and however concurrently
// Stripe delivers it; an async payment grants when it succeeds, not before; a fixed-term plan
// grants its mark for its term; a refund takes back what is unspent of the pack, never below
// zero, audited; and the credit invariants hold for each pot throughout.
import { createAccount } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';
import { deliver, deliverAll, type StripeTestEvent, WEBHOOK_SECRET } from './stripe-support.ts';

let server: TestServer;
let n = 0;

beforeAll(async () => {
  server = await startTestServer({
    seedDemo: true,
    stripe: { webhookSecret: WEBHOOK_SECRET, graceDays: 3 },
  });
  const now = Date.now();
  await server.storage.sql(
    `insert into credit_packs (id, name, credits, price_minor, currency, stripe_price_id, active, created_at, updated_at)
     values ('pack_big', 'Big pack', 50000, 1000, 'usd', 'price_big', true, $1, $1)`,
    [now],
  );
  await server.storage.sql(
    `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency, interval, duration_days, created_at, updated_at)
     select 'plan_pro30', 'platform', id, 'pro-30-days', 'pro-30-days', 'Pro for 30 days', 2500, 'usd', 'once', 30, $1, $1 from marks where key = 'pro'`,
    [now],
  );
});
afterAll(() => server.stop());

async function member() {
  n += 1;
  return (
    await createAccount(server.storage.stores, {
      email: `buyer${n}@example.com`,
      password: 'a sturdy passphrase',
      now: new Date(),
    })
  ).id;
}

function checkout(
  userId: string,
  metadata: Record<string, string>,
  options: { paid?: boolean; type?: string; session?: string } = {},
): StripeTestEvent {
  n += 1;
  const session = options.session ?? `cs_test_${n}`;
  return {
    id: `evt_${n}`,
    type: options.type ?? 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    object: {
      id: session,
      object: 'checkout.session',
      mode: 'payment',
      payment_status: options.paid === false ? 'unpaid' : 'paid',
      client_reference_id: userId,
      customer: `cus_${userId}`,
      payment_intent: `pi_${session}`,
      amount_total: 1000,
      currency: 'usd',
      metadata,
    },
  };
}

const pots = async (userId: string) => {
  const [row] = await server.storage.sql<{ balance: number | string; purchased: number | string }>(
    'select balance, purchased from credit_accounts where user_id = $1',
    [userId],
  );
  const [balance, purchased] = [Number(row!.balance), Number(row!.purchased)];
  return { allowance: balance - purchased, purchased };
};
const invariantsHold = async () => (await server.storage.stores.money.checkInvariants()).ok;

describe('one-time purchases', () => {
  it('a credit pack grants its purchased credits once, however often and concurrently delivered', async () => {
    const userId = await member();
    const event = checkout(userId, { pack: 'pack_big' });
    const replies = await Promise.all(Array.from({ length: 5 }, () => deliver(server.url, event)));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = (await Promise.all(replies.map((reply) => reply.json()))) as {
      duplicate: boolean;
    }[];
    expect(bodies.filter((body) => !body.duplicate)).toEqual([
      expect.objectContaining({ outcome: 'applied', note: '50000 purchased credits' }),
    ]);
    expect(await pots(userId)).toEqual({ allowance: 0, purchased: 50_000 });
    // The same session again under another event id (Stripe's async_payment_succeeded after a
    // paid completion): the payment row makes it one purchase.
    await deliverAll(server.url, [
      checkout(userId, { pack: 'pack_big' }, { session: event.object.id as string }),
    ]);
    expect(await pots(userId)).toEqual({ allowance: 0, purchased: 50_000 });
    expect(await invariantsHold()).toBe(true);
  });

  it('an async payment grants when it succeeds, not when the session completes unpaid', async () => {
    const userId = await member();
    const session = `cs_async_${userId}`;
    await deliverAll(server.url, [
      checkout(userId, { pack: 'pack_big' }, { paid: false, session }),
    ]);
    expect((await pots(userId)).purchased).toBe(0);
    await deliverAll(server.url, [
      checkout(
        userId,
        { pack: 'pack_big' },
        { session, type: 'checkout.session.async_payment_succeeded' },
      ),
    ]);
    expect((await pots(userId)).purchased).toBe(50_000);
  });

  it('a fixed-term plan grants its mark for its term', async () => {
    const userId = await member();
    const before = Date.now();
    await deliverAll(server.url, [checkout(userId, { plan: 'pro-30-days', tenant: 'platform' })], {
      times: 3,
    });
    const [held] = await server.storage.sql<{
      status: string;
      expires_at: number | string;
      source: string;
    }>(
      "select m.status, m.expires_at, m.source from memberships m join marks k on k.id = m.mark_id where m.user_id = $1 and k.key = 'pro'",
      [userId],
    );
    expect(held).toMatchObject({ status: 'active', source: 'stripe' });
    expect(Number(held!.expires_at)).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(Number(held!.expires_at)).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
  });

  it('a refund takes back what is unspent of the pack, never below zero, audited', async () => {
    const userId = await member();
    const event = checkout(userId, { pack: 'pack_big' });
    const session = event.object.id as string;
    await deliverAll(server.url, [event]);
    // 30,000 of the 50,000 are spent (as chats would: the settlement takes purchased credits
    // once the allowance is empty).
    await server.storage.stores.money.moveCredits({
      userId,
      pot: 'purchased',
      mode: 'add',
      amount: -30_000,
      kind: 'charge',
      idempotencyKey: `charge:spent-${userId}:purchased`,
      reference: 'tessera-mini',
      actorUserId: null,
      audit: { action: 'credits.charged' },
      now: new Date(),
    });
    const refund = (amountRefunded: number, id: string): StripeTestEvent => ({
      id,
      type: 'charge.refunded',
      created: Math.floor(Date.now() / 1000),
      object: {
        id: `ch_${session}`,
        object: 'charge',
        payment_intent: `pi_${session}`,
        amount: 1000,
        amount_refunded: amountRefunded,
        currency: 'usd',
      },
    });
    // Half refunded: 25,000 asked back, 20,000 unspent → all 20,000 taken, none below zero.
    await deliverAll(server.url, [refund(500, `evt_refund_half_${userId}`)], { times: 3 });
    expect(await pots(userId)).toEqual({ allowance: 0, purchased: 0 });
    // The rest refunded later: nothing left to take; the payment says all was refunded.
    await deliverAll(server.url, [refund(1000, `evt_refund_full_${userId}`)]);
    expect(await pots(userId)).toEqual({ allowance: 0, purchased: 0 });
    const [payment] = await server.storage.sql<{
      refunded_minor: number | string;
      credits_taken_back: number | string;
    }>('select refunded_minor, credits_taken_back from payments where id = $1', [session]);
    expect([Number(payment!.refunded_minor), Number(payment!.credits_taken_back)]).toEqual([
      1000, 50_000,
    ]);
    const audit = await server.storage.sql<{ data: unknown }>(
      "select data from audit_events where action = 'credits.refunded' and subject_id = $1",
      [userId],
    );
    // JSON text on SQLite, jsonb (already parsed) on PostgreSQL.
    const data = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
    expect(audit.map((row) => data(row.data))).toEqual([
      expect.objectContaining({ amount: 25_000, delta: -20_000, purchased: 0 }),
    ]);
    expect(await invariantsHold()).toBe(true);
  });
});
