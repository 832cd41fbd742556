// The parts of Stripe's objects the handlers use, read tolerantly: Stripe adds fields all the
// time, and API versions moved some (since 2025-03-31 a subscription's current period lives on
// its items and an invoice names its subscription under `parent.subscription_details`). Both
// shapes are accepted; anything else unknown is ignored. Times become milliseconds.
import { z } from 'zod';

const metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});
const seconds = z.number().int().nonnegative();
const idOf = z
  .union([z.string(), z.object({ id: z.string() }).passthrough()])
  .nullish()
  .transform((v) => (v == null ? null : typeof v === 'string' ? v : v.id));

const subscriptionShape = z
  .object({
    id: z.string().startsWith('sub_'),
    status: z.string(),
    customer: idOf,
    metadata,
    cancel_at_period_end: z.boolean().nullish(),
    ended_at: seconds.nullish(),
    current_period_start: seconds.nullish(),
    current_period_end: seconds.nullish(),
    items: z
      .object({
        data: z.array(
          z
            .object({
              price: z.object({ id: z.string() }).passthrough().nullish(),
              current_period_start: seconds.nullish(),
              current_period_end: seconds.nullish(),
            })
            .passthrough(),
        ),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();

export interface SubscriptionState {
  id: string;
  status: string;
  customerId: string | null;
  metadata: Record<string, string>;
  priceId: string | null;
  cancelAtPeriodEnd: boolean;
  endedAt: number | null;
  currentPeriodStart: number;
  currentPeriodEnd: number;
}

/** A Stripe subscription object, or null when it is not one we can read. */
export function readSubscription(value: unknown): SubscriptionState | null {
  const parsed = subscriptionShape.safeParse(value);
  if (!parsed.success) return null;
  const sub = parsed.data;
  const item = sub.items?.data[0];
  const start = item?.current_period_start ?? sub.current_period_start;
  const end = item?.current_period_end ?? sub.current_period_end;
  if (start == null || end == null) return null;
  return {
    id: sub.id,
    status: sub.status,
    customerId: sub.customer,
    metadata: sub.metadata,
    priceId: item?.price?.id ?? null,
    cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
    endedAt: sub.ended_at == null ? null : sub.ended_at * 1000,
    currentPeriodStart: start * 1000,
    currentPeriodEnd: end * 1000,
  };
}

const checkoutShape = z
  .object({
    id: z.string().startsWith('cs_'),
    mode: z.enum(['payment', 'subscription', 'setup']),
    payment_status: z.string(),
    client_reference_id: z.string().nullish(),
    customer: idOf,
    subscription: idOf,
    payment_intent: idOf,
    amount_total: z.number().int().nullish(),
    currency: z.string().nullish(),
    metadata,
  })
  .passthrough();
export type CheckoutSession = z.infer<typeof checkoutShape>;

export function readCheckoutSession(value: unknown): CheckoutSession | null {
  const parsed = checkoutShape.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const invoiceShape = z
  .object({
    id: z.string().startsWith('in_'),
    customer: idOf,
    subscription: idOf,
    parent: z
      .object({
        subscription_details: z.object({ subscription: idOf, metadata }).passthrough().nullish(),
      })
      .passthrough()
      .nullish(),
    amount_paid: z.number().int().nullish(),
    currency: z.string(),
    payment_intent: idOf,
    status_transitions: z.object({ paid_at: seconds.nullish() }).passthrough().nullish(),
    created: seconds,
  })
  .passthrough();

export interface InvoiceFacts {
  id: string;
  subscriptionId: string | null;
  customerId: string | null;
  amountPaid: number;
  currency: string;
  paymentIntentId: string | null;
  paidAt: number;
}

export function readInvoice(value: unknown): InvoiceFacts | null {
  const parsed = invoiceShape.safeParse(value);
  if (!parsed.success) return null;
  const invoice = parsed.data;
  return {
    id: invoice.id,
    subscriptionId:
      invoice.subscription ?? invoice.parent?.subscription_details?.subscription ?? null,
    customerId: invoice.customer,
    amountPaid: invoice.amount_paid ?? 0,
    currency: invoice.currency,
    paymentIntentId: invoice.payment_intent,
    paidAt: (invoice.status_transitions?.paid_at ?? invoice.created) * 1000,
  };
}

const chargeShape = z
  .object({
    id: z.string(),
    payment_intent: idOf,
    amount: z.number().int().nonnegative(),
    amount_refunded: z.number().int().nonnegative(),
    currency: z.string(),
  })
  .passthrough();
export type ChargeFacts = z.infer<typeof chargeShape>;

export function readCharge(value: unknown): ChargeFacts | null {
  const parsed = chargeShape.safeParse(value);
  return parsed.success ? parsed.data : null;
}
