import type Stripe from 'stripe';
import { DomainError } from '../../errors.ts';

/** The Stripe client, or the refusal that tells the SPA to offer codes and admins instead. */
export function requireStripe(stripe: Stripe | undefined): Stripe {
  if (!stripe) {
    throw new DomainError(
      'PAYMENTS_UNAVAILABLE',
      'Online payments are not set up here: redeem a code or ask an admin.',
    );
  }
  return stripe;
}
