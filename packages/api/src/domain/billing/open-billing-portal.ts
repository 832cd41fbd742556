import type Stripe from 'stripe';
import type { BillingStorage } from './billing-storage.ts';
import { callStripe } from './call-stripe.ts';
import { ensureBillingCustomer } from './ensure-billing-customer.ts';

/**
 * A Stripe Customer Portal session for the user (change or cancel, payment methods, invoices),
 * returning to the Account page. A user who never paid gets their customer created here, so the
 * portal always opens.
 */
export async function openBillingPortal(
  store: BillingStorage,
  stripe: Stripe,
  input: { userId: string; email: string; origin: string; now: Date },
): Promise<{ url: string }> {
  const customer = await ensureBillingCustomer(store, stripe, input);
  const session = await callStripe('open the billing portal', () =>
    stripe.billingPortal.sessions.create({ customer, return_url: `${input.origin}/account` }),
  );
  return { url: session.url };
}
