// POST /api/stripe/webhook over real HTTP, signed with the real stripe SDK's test helper (no network):
// a good signature records the event once however often Stripe redelivers it, concurrently too;
// a bad, stale or missing signature or a modified body is a 400 with nothing written; no secret
// configured is a 503 that says what to set.
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

const SECRET = 'whsec_test_tessera_webhook_secret';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function event(id: string, type = 'customer.subscription.updated', created = 1_780_000_000) {
  return JSON.stringify({
    id,
    object: 'event',
    type,
    created,
    api_version: '2026-01-28.clover',
    livemode: false,
    data: { object: { id: 'sub_123', object: 'subscription', status: 'active' } },
  });
}

function post(payload: string, signature?: string) {
  return fetch(`${server!.url}/api/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'stripe-signature': signature }),
    },
    body: payload,
  });
}

const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp,
  });

/** The recorded events, timestamps as numbers on either engine (PostgreSQL's bigint is text). */
const rows = async () =>
  (
    await server!.storage.sql<{
      id: string;
      type: string;
      created: number | string;
      received_at: number | string;
      outcome: string;
      error: string | null;
    }>('select id, type, created, received_at, outcome, error from stripe_events order by id')
  ).map((row) => ({
    ...row,
    created: Number(row.created),
    received_at: Number(row.received_at),
  }));

describe('Stripe webhook', () => {
  it('records a signed event once, however many times and however concurrently it is delivered', async () => {
    server = await startTestServer({ stripe: { webhookSecret: SECRET, graceDays: 3 } });
    const payload = event('evt_1');
    const first = await post(payload, sign(payload));
    expect(first.status).toBe(200);
    // A payload without a period, and no API to retrieve it from: recorded, ignored, saying why.
    expect(await first.json()).toEqual({
      received: true,
      duplicate: false,
      outcome: 'ignored',
      note: 'the subscription could not be read or retrieved',
    });

    // Redeliveries: sequential and concurrent, each freshly signed as Stripe does.
    const again = await Promise.all(Array.from({ length: 5 }, () => post(payload, sign(payload))));
    for (const reply of again) {
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ duplicate: true });
    }
    const other = event('evt_2', 'invoice.paid', 1_780_000_100);
    expect((await post(other, sign(other))).status).toBe(200);

    expect(await rows()).toEqual([
      {
        id: 'evt_1',
        type: 'customer.subscription.updated',
        created: 1_780_000_000_000,
        received_at: expect.any(Number),
        outcome: 'ignored',
        error: 'the subscription could not be read or retrieved',
      },
      expect.objectContaining({ id: 'evt_2', type: 'invoice.paid', created: 1_780_000_100_000 }),
    ]);
  });

  it('refuses a wrong secret, a stale or missing signature, a modified body and a non-event with 400, writing nothing', async () => {
    server = await startTestServer({ stripe: { webhookSecret: SECRET, graceDays: 3 } });
    const payload = event('evt_bad');
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const cases: [string, string, string | undefined][] = [
      ['no signature', payload, undefined],
      ['an empty signature', payload, ''],
      ['garbage', payload, 't=1,v1=deadbeef'],
      ['another secret', payload, sign(payload, { secret: 'whsec_someone_else' })],
      ['a stale replay', payload, sign(payload, { timestamp: tenMinutesAgo })],
      ['a modified body', payload.replace('"active"', '"canceled"'), sign(payload)],
      ['signed non-JSON', 'not json', sign('not json')],
      ['a signed body without an id', '{"object":"event"}', sign('{"object":"event"}')],
    ];
    for (const [label, body, signature] of cases) {
      const reply = await post(body, signature);
      expect(reply.status, label).toBe(400);
      expect(
        ((await reply.json()) as { error: { message: string } }).error.message,
        label,
      ).toBeTruthy();
    }
    expect(await rows()).toEqual([]);
    const big = JSON.stringify({ id: 'evt_big', pad: 'x'.repeat(600_000) });
    expect((await post(big, sign(big))).status).toBe(413);
    expect(await rows()).toEqual([]);
  });

  it('answers 503 with what to set when no webhook secret is configured', async () => {
    server = await startTestServer();
    const payload = event('evt_3');
    const reply = await post(payload, sign(payload));
    expect(reply.status).toBe(503);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toMatch(
      /STRIPE_WEBHOOK_SECRET/,
    );
    expect(await rows()).toEqual([]);
    // The SPA's catch-all never answers under /api/.
    expect((await fetch(`${server.url}/api/stripe/webhook`)).status).toBe(405);
    expect((await fetch(`${server.url}/api/other`)).status).toBe(404);
  });
});
