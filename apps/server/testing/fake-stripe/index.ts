// A Stripe-compatible fake on loopback for server tests, the browser suite and `pnpm stripe:fake`
// (docs/decisions/016-stripe-checkout.md).
export type { FormObject } from './form.ts';
export type {
  CheckoutSession,
  Customer,
  Invoice,
  Price,
  StripeEvent,
  Subscription,
} from './objects.ts';
export { startFakeStripe } from './server.ts';
export type { Delivery, FakeStripe, FakeStripeOptions, ReceivedRequest } from './types.ts';
