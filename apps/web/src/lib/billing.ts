// Buying through Stripe, as the SPA decides it: what a plan card offers, and the notice shown when
// Checkout sends the member back (`/plans?checkout=success|cancelled`).

/** What a plan card offers the member. */
export type PlanOffer =
  /** They hold what it grants. */
  | 'held'
  /** Stripe Checkout (with the plan's trial when it is still theirs to take). */
  | 'checkout'
  /** The free no-card trial of a plan not sold through Stripe. */
  | 'trial'
  /** Stripe is not set up here: redeem a code or ask an admin. */
  | 'offline'
  /** Stripe is set up, but this plan has no Stripe price yet. */
  | 'notLinked';

export function planOffer(
  plan: { held: boolean; trialAvailable: boolean; stripePriceId: string | null },
  stripeEnabled: boolean,
): PlanOffer {
  if (plan.held) return 'held';
  if (stripeEnabled && plan.stripePriceId) return 'checkout';
  if (plan.trialAvailable) return 'trial';
  return stripeEnabled ? 'notLinked' : 'offline';
}

export type CheckoutReturn = 'success' | 'cancelled';

/** The outcome Checkout reported in the URL's query, or null when the page was not a return. */
export function checkoutReturn(search: string): CheckoutReturn | null {
  const value = new URLSearchParams(search).get('checkout');
  return value === 'success' || value === 'cancelled' ? value : null;
}
