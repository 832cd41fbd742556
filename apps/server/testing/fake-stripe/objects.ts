// The objects the fake hands out, shaped like Stripe's own (API version 2026-10-28): an `object`
// name, a prefixed id, seconds since the epoch in `created`, `livemode: false`. Only the fields
// Tessera reads, or that a realistic webhook payload carries, are modelled.
import { randomBytes } from 'node:crypto';

export const API_VERSION = '2026-10-28.endive';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `cus_…`, `cs_test_…`: a prefix and 24 random letters and digits, as Stripe's ids look. */
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let tail = '';
  for (const byte of bytes) tail += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${tail}`;
}

/** Stripe's error shape; `status` is the HTTP status it travels with. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
    readonly code?: string,
    readonly type: string = 'invalid_request_error',
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...(this.code ? { code: this.code } : {}),
      },
    };
  }
}

export const missing = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, `No such ${kind}: '${id}'`, param, 'resource_missing');

export const invalid = (param: string, message: string) =>
  new StripeApiError(400, message, param, 'parameter_invalid_empty');

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface Customer {
  id: string;
  object: 'customer';
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Price {
  id: string;
  object: 'price';
  active: boolean;
  currency: string;
  unit_amount: number;
  product: string;
  recurring: { interval: Interval; interval_count: number } | null;
  type: 'recurring' | 'one_time';
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: 'payment' | 'subscription';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  customer: string | null;
  customer_email: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  subscription: string | null;
  payment_intent: string | null;
  invoice: string | null;
  created: number;
  expires_at: number;
  livemode: false;
}

/** What a session was created with beyond its public fields (Stripe keeps these too). */
export interface SessionExtras {
  lineItems: { price: Price; quantity: number }[];
  subscriptionData: { metadata: Record<string, string>; trialPeriodDays: number | null };
  paymentIntentData: { metadata: Record<string, string> };
}

export interface Subscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'incomplete';
  metadata: Record<string, string>;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: false; url: string };
  current_period_start: number;
  current_period_end: number;
  /** Where billing periods are counted from (the start, or the trial's end). */
  billing_cycle_anchor: number;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  trial_start: number | null;
  trial_end: number | null;
  latest_invoice: string | null;
  start_date: number;
  created: number;
  livemode: false;
}

export interface SubscriptionItem {
  id: string;
  object: 'subscription_item';
  price: Price;
  quantity: number;
  current_period_start: number;
  current_period_end: number;
}

export interface Invoice {
  id: string;
  object: 'invoice';
  number: string;
  customer: string;
  subscription: string | null;
  parent: {
    subscription_details: { subscription: string; metadata: Record<string, string> };
  } | null;
  status: 'draft' | 'open' | 'paid' | 'void';
  billing_reason: 'subscription_create' | 'subscription_cycle' | 'manual';
  currency: string;
  amount_due: number;
  amount_paid: number;
  total: number;
  hosted_invoice_url: string;
  period_start: number;
  period_end: number;
  lines: { object: 'list'; data: unknown[]; has_more: false; url: string };
  status_transitions: { paid_at: number | null };
  created: number;
  livemode: false;
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  latest_charge: string;
  created: number;
  livemode: false;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  refunded: boolean;
  paid: true;
  status: 'succeeded';
  currency: string;
  customer: string | null;
  payment_intent: string;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  payment_intent: string;
  currency: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export interface PortalSession {
  id: string;
  object: 'billing_portal.session';
  customer: string;
  return_url: string | null;
  url: string;
  created: number;
  livemode: false;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  type: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

export function list<T>(data: T[], url: string, hasMore = false) {
  return { object: 'list' as const, data, has_more: hasMore, url };
}

/**
 * The end of the billing period that starts at `start` (seconds), as Stripe bills: whole calendar
 * months or years from the billing cycle anchor, clamped to the end of a shorter month (an anchor
 * on the 31st bills on 30 April, then 31 May).
 */
export function periodEnd(start: number, interval: Interval, count = 1, anchor = start): number {
  const date = new Date(start * 1000);
  if (interval === 'day' || interval === 'week') {
    date.setUTCDate(date.getUTCDate() + (interval === 'week' ? 7 : 1) * count);
    return Math.floor(date.getTime() / 1000);
  }
  const anchored = new Date(anchor * 1000);
  const months = interval === 'year' ? 12 * count : count;
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(anchored.getUTCDate(), lastDay));
  target.setUTCHours(anchored.getUTCHours(), anchored.getUTCMinutes(), anchored.getUTCSeconds());
  return Math.floor(target.getTime() / 1000);
}

/** A deep copy, so an event's payload is the object as it was when the event happened. */
export const snapshot = <T>(value: T): T => structuredClone(value);
