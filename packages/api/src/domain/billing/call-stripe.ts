import Stripe from 'stripe';
import { DomainError } from '../../errors.ts';

/**
 * Runs one Stripe call and turns its failure into a DomainError the SPA can show. Stripe's own
 * message stays out of it: it can quote part of the API key ("Invalid API Key provided:
 * sk_test_****abcd") or ids of other objects; its code and request id are enough to look it up.
 */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new DomainError('PAYMENT_PROVIDER_ERROR', `Stripe could not ${what}.`, {
        stripeType: error.type,
        stripeCode: error.code ?? null,
        stripeRequestId: error.requestId ?? null,
      });
    }
    throw error;
  }
}
