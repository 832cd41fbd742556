import type Stripe from 'stripe';
import { DomainError } from '../../errors.ts';
import type { BillingStorage, CheckoutItem } from './billing-storage.ts';
import { callStripe } from './call-stripe.ts';
import { ensureBillingCustomer } from './ensure-billing-customer.ts';

/** Subscription states in which the member still holds (or is about to hold) the plan. */
const LIVE = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete']);

/**
 * Opens a Stripe Checkout Session for a plan or a credit pack and returns its URL. Every refusal
 * (unknown, inactive, not for sale, already subscribed) is decided from our database before any
 * Stripe call, so a refusal writes nothing, here or in Stripe. Nothing is granted here: the
 * webhook grants once Stripe says it is paid. The buyer comes back to the Plans page with
 * `?checkout=success` or `?checkout=cancelled`. An unverified address gets EMAIL_NOT_VERIFIED first.
 */
export async function startCheckout(
  store: BillingStorage,
  stripe: Stripe,
  input: {
    userId: string;
    email: string;
    item: CheckoutItem;
    /** Where the SPA lives (PUBLIC_URL's origin, else the request's checked origin). */
    origin: string;
    now: Date;
  },
): Promise<{ url: string }> {
  // A purchase is tied to the address Stripe mails receipts to: it must be the buyer's (decision
  // 022); the store checks that first, then the item's terms.
  const { terms, customerId: known } = await store.prepareCheckout(input);

  // A subscription paid for but not yet reported by its webhook is not a membership yet: ask
  // Stripe too, so a double click or a second tab cannot start a second subscription.
  if (terms.mode === 'subscription' && known) {
    const subscriptions = await callStripe('check your subscriptions', () =>
      stripe.subscriptions.list({ customer: known, status: 'all', limit: 100 }),
    );
    if (subscriptions.data.some((s) => LIVE.has(s.status) && s.metadata.plan === terms.planKey)) {
      throw new DomainError('ALREADY_SUBSCRIBED', 'You already subscribe to this plan.');
    }
  }

  const customer = known ?? (await ensureBillingCustomer(store, stripe, input));
  const back = `${input.origin}/plans?checkout=`;
  const session = await callStripe('start checkout', () =>
    stripe.checkout.sessions.create({
      mode: terms.mode,
      customer,
      client_reference_id: input.userId,
      line_items: [{ price: terms.priceId, quantity: 1 }],
      metadata: terms.metadata,
      ...(terms.mode === 'subscription'
        ? {
            subscription_data: {
              metadata: terms.metadata,
              ...(terms.trialDays > 0 ? { trial_period_days: terms.trialDays } : {}),
            },
          }
        : { payment_intent_data: { metadata: terms.metadata } }),
      success_url: `${back}success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${back}cancelled`,
    }),
  );
  if (!session.url) {
    throw new DomainError('PAYMENT_PROVIDER_ERROR', 'Stripe returned no Checkout page.');
  }
  return { url: session.url };
}
