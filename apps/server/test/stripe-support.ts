// Signed Stripe events for the webhook tests: Stripe's event envelope around an object, signed with
// the real SDK's test helper, posted over real HTTP — and redelivered until answered 2xx, as
// Stripe does.
import Stripe from 'stripe';
import { expect } from 'vitest';

export const WEBHOOK_SECRET = 'whsec_test_tessera_webhook_secret';
const DAY = 86_400;

export interface StripeTestEvent {
  id: string;
  type: string;
  /** Seconds. */
  created: number;
  object: Record<string, unknown>;
}

export function eventPayload(event: StripeTestEvent): string {
  return JSON.stringify({
    id: event.id,
    object: 'event',
    type: event.type,
    created: event.created,
    api_version: '2026-01-28.clover',
    livemode: false,
    pending_webhooks: 1,
    data: { object: event.object },
  });
}

export async function deliver(url: string, event: StripeTestEvent): Promise<Response> {
  const payload = eventPayload(event);
  return fetch(`${url}/api/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
      }),
    },
    body: payload,
  });
}

/**
 * Delivers the events in this order, each `times` times (concurrently when `concurrent`), then —
 * like Stripe's retries — delivers again every event that was not answered 2xx, until all are.
 */
export async function deliverAll(
  url: string,
  events: readonly StripeTestEvent[],
  options: { times?: number; concurrent?: boolean } = {},
): Promise<void> {
  const times = options.times ?? 1;
  let pending: StripeTestEvent[] = [];
  for (const event of events) {
    const attempts = Array.from({ length: times }, () => () => deliver(url, event));
    const replies = options.concurrent
      ? await Promise.all(attempts.map((attempt) => attempt()))
      : await attempts.reduce<Promise<Response[]>>(
          async (done, attempt) => [...(await done), await attempt()],
          Promise.resolve([]),
        );
    for (const reply of replies) expect([200, 500]).toContain(reply.status);
    if (!replies.some((reply) => reply.status === 200)) pending.push(event);
  }
  for (let round = 0; pending.length > 0; round += 1) {
    if (round > events.length) throw new Error(`never accepted: ${pending.map((e) => e.id)}`);
    const retry = pending;
    pending = [];
    for (const event of retry) {
      if ((await deliver(url, event)).status !== 200) pending.push(event);
    }
  }
}

/** A Stripe subscription object (current API shape: the period lives on the item). */
export function subscriptionObject(input: {
  id: string;
  status: string;
  periodStart: number;
  periodEnd: number;
  metadata: Record<string, string>;
  customer?: string;
  cancelAtPeriodEnd?: boolean;
  endedAt?: number | null;
  priceId?: string;
}) {
  return {
    id: input.id,
    object: 'subscription',
    customer: input.customer ?? `cus_${input.id}`,
    status: input.status,
    metadata: input.metadata,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    ended_at: input.endedAt ?? null,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${input.id}`,
          object: 'subscription_item',
          price: { id: input.priceId ?? 'price_pro_monthly', object: 'price' },
          current_period_start: input.periodStart,
          current_period_end: input.periodEnd,
        },
      ],
    },
  };
}

export function invoiceObject(input: {
  id: string;
  subscription: string;
  amountPaid: number;
  paidAt: number;
  customer?: string;
  paymentIntent?: string;
}) {
  return {
    id: input.id,
    object: 'invoice',
    customer: input.customer ?? `cus_${input.subscription}`,
    amount_paid: input.amountPaid,
    currency: 'usd',
    payment_intent: input.paymentIntent ?? `pi_${input.id}`,
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: input.subscription, metadata: {} },
    },
    status_transitions: { paid_at: input.paidAt },
    created: input.paidAt,
  };
}

export const days = (n: number) => n * DAY;

/** Every order of the items. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}
