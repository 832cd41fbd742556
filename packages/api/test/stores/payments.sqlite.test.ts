import { describe } from 'vitest';
import { openSqliteEngine } from './engine-sqlite.ts';
import { paymentsBillingContract } from './payments.billing.contract.ts';
import { paymentsCodesContract } from './payments.codes.contract.ts';
import { paymentsContract } from './payments.contract.ts';
import { paymentsStripeContract } from './payments.stripe.contract.ts';
import { paymentsSubscriptionEventsContract } from './payments.subscription-events.contract.ts';
import { paymentsSubscriptionsContract } from './payments.subscriptions.contract.ts';

describe('payments', () => paymentsContract(openSqliteEngine));
describe('redemption codes', () => paymentsCodesContract(openSqliteEngine));
describe('checkout', () => paymentsBillingContract(openSqliteEngine));
describe('Stripe', () => paymentsStripeContract(openSqliteEngine));
describe('Stripe subscription events', () => paymentsSubscriptionEventsContract(openSqliteEngine));
describe('my subscriptions', () => paymentsSubscriptionsContract(openSqliteEngine));
