// POST /api/stripe/webhook: Stripe's events, verified on the raw body with STRIPE_WEBHOOK_SECRET
// by the stripe SDK, then handled once per event id, effects and record in one transaction
// (docs/decisions/014-stripe-webhooks.md, 018-stripe-event-handlers.md). Nothing is written
// unless the signature holds and is fresh; a redelivery answers 200 and changes nothing, so
// Stripe stops retrying; a failure answers 500 with nothing written, so Stripe retries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  readSubscription,
  type Stores,
  type StripeEventInput,
  subscriptionIdOf,
} from '@tessera/api';
import Stripe from 'stripe';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

/** Stripe's own payloads are a few KB; anything near this is not from Stripe. */
const MAX_BODY_BYTES = 512 * 1024;

// The signature proves Stripe sent it; the shape is still checked, so a signed body without these
// (e.g. a misconfigured test sender) is a 400 rather than a crash.
const eventShape = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.unknown() }),
});

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The raw bytes: a signature is over exactly what was sent, so nothing may parse or re-encode it. */
async function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit the rest is read and dropped, so the 413 reaches the sender.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
}

export function createStripeWebhookHandler(options: {
  /** The event log and every effect of an event go through the payments store. */
  stores: Pick<Stores, 'payments'>;
  /** STRIPE_WEBHOOK_SECRET; without it the route answers 503 and says what to set. */
  webhookSecret: string | undefined;
  /** The API client, to retrieve a subscription's current state; null without STRIPE_SECRET_KEY. */
  stripe: Stripe | null;
  graceDays: number;
  now: () => Date;
  logger: Logger;
  /** PUBLIC_URL's origin, for links in mails (a failed payment). */
  baseUrl?: string;
}) {
  /**
   * The subscription as Stripe holds it now (decision 018: Stripe's state wins over the event's),
   * fetched before the transaction — a transaction never waits on the network. Null when there
   * is no client or the call fails; the event's own `created` then orders its payload.
   */
  async function freshState(event: StripeEventInput) {
    const id = subscriptionIdOf(event);
    if (!id || !options.stripe) return null;
    try {
      const retrievedAt = options.now();
      const subscription = readSubscription(await options.stripe.subscriptions.retrieve(id));
      return subscription ? { subscription, retrievedAt } : null;
    } catch (error) {
      options.logger.warn({ err: error, subscription: id }, 'stripe subscription retrieve failed');
      return null;
    }
  }

  return async function handleStripeWebhook(req: IncomingMessage, res: ServerResponse) {
    if (!options.webhookSecret) {
      // Drain the body so the connection can be reused, then say what is missing.
      for await (const _ of req);
      send(res, 503, {
        error: { message: 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET.' },
      });
      return;
    }
    const body = await readRaw(req);
    if (!body) {
      send(res, 413, { error: { message: 'Payload too large.' } });
      return;
    }
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || signature.length === 0) {
      send(res, 400, { error: { message: 'Missing Stripe-Signature header.' } });
      return;
    }
    const now = options.now();
    let parsed: z.infer<typeof eventShape>;
    try {
      // The default tolerance (300 s) refuses replays; the app clock decides what "now" is.
      const event = Stripe.webhooks.constructEvent(
        body,
        signature,
        options.webhookSecret,
        undefined,
        undefined,
        now.getTime(),
      );
      parsed = eventShape.parse(event);
    } catch (error) {
      const message =
        error instanceof Stripe.errors.StripeSignatureVerificationError
          ? 'Signature verification failed.'
          : 'Not a Stripe event.';
      options.logger.warn({ err: error }, `stripe webhook refused: ${message}`);
      send(res, 400, { error: { message } });
      return;
    }
    const event: StripeEventInput = {
      id: parsed.id,
      type: parsed.type,
      created: parsed.created,
      object: parsed.data.object,
    };
    // A redelivery of a handled event needs no call to Stripe: the transaction will find it too.
    try {
      const known = await options.stores.payments.isKnownStripeEvent(event.id);
      const fresh = known ? null : await freshState(event);
      const result = await options.stores.payments.handleStripeEvent(event, {
        fresh,
        graceDays: options.graceDays,
        now: options.now(),
        baseUrl: options.baseUrl,
      });
      options.logger.info({ eventId: event.id, type: event.type, ...result }, 'stripe webhook');
      send(res, 200, { received: true, ...result });
    } catch (error) {
      options.logger.error(
        { err: error, eventId: event.id, type: event.type },
        'stripe webhook failed',
      );
      send(res, 500, { error: { message: 'Not handled; Stripe will retry.' } });
    }
  };
}
