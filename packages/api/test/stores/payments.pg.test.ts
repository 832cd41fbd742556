import { describe } from 'vitest';
import { openPgEngine } from './engine-pg.ts';
import { paymentsBillingContract } from './payments.billing.contract.ts';
import { paymentsCodesContract } from './payments.codes.contract.ts';
import { paymentsContract } from './payments.contract.ts';
import { paymentsStripeContract } from './payments.stripe.contract.ts';
import { paymentsSubscriptionEventsContract } from './payments.subscription-events.contract.ts';
import { paymentsSubscriptionsContract } from './payments.subscriptions.contract.ts';

describe('payments', () => paymentsContract(() => openPgEngine('payments')));
describe('redemption codes', () => paymentsCodesContract(() => openPgEngine('payments')));
describe('checkout', () => paymentsBillingContract(() => openPgEngine('payments')));
describe('Stripe', () => paymentsStripeContract(() => openPgEngine('payments')));
describe('Stripe subscription events', () =>
  paymentsSubscriptionEventsContract(() => openPgEngine('payments')));
describe('my subscriptions', () => paymentsSubscriptionsContract(() => openPgEngine('payments')));
