// The fake's public surface: how it is started, and what tests can read and script on it.
import type { FormObject } from './form.ts';
import type { Interval, Price, StripeEvent, Subscription } from './objects.ts';
import type { FakeStripeStore } from './store.ts';

export interface FakeStripeOptions {
  /** The key callers must present as `Authorization: Bearer …` (default `sk_test_fakestripe`). */
  secretKey?: string;
  /** Signs webhook deliveries (default `whsec_fakestripe`). */
  webhookSecret?: string;
  /** Where events are POSTed; without it they are only recorded in `events`. */
  webhookUrl?: string;
  port?: number;
  /** The fake's clock: `created`, periods and signature timestamps (default: real time). */
  now?: () => Date;
}

export interface Delivery {
  eventId: string;
  type: string;
  status: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  body: FormObject;
  /** GET parameters (`customer`, `limit` …). */
  query: Record<string, string>;
  idempotencyKey: string | null;
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`: what STRIPE_API_BASE is set to. */
  readonly url: string;
  readonly secretKey: string;
  readonly webhookSecret: string;
  webhookUrl: string | undefined;
  readonly store: FakeStripeStore;
  /** Every event emitted, oldest first. */
  readonly events: StripeEvent[];
  /** Every webhook delivery attempt and the status it got. */
  readonly deliveries: Delivery[];
  /** Every `/v1` request, decoded, oldest first (what the app asked Stripe for). */
  readonly requests: ReceivedRequest[];
  createPrice(input: { unitAmount: number; currency?: string; interval?: Interval }): Price;
  /** Pays a Checkout Session as the hosted page would; resolves once its events are delivered. */
  completeCheckout(id: string): Promise<void>;
  updateSubscription(id: string, patch: Partial<Subscription>): Promise<Subscription>;
  cancelSubscription(id: string): Promise<Subscription>;
  /** The next billing cycle (paid, or with `fail` a failed payment), delivered as Stripe would. */
  renewSubscription(id: string, options?: { fail?: boolean }): Promise<Subscription>;
  /** Refunds a charge (whole, or `amount`) and delivers `charge.refunded`. */
  refund(chargeId: string, amount?: number): Promise<void>;
  /** Delivers an event (again) `times` times, concurrently when asked; resolves to the statuses. */
  deliver(
    event: StripeEvent,
    options?: { times?: number; concurrently?: boolean },
  ): Promise<number[]>;
  /** Resolves when every delivery started so far has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}
