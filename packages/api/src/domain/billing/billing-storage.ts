// What the billing functions need from storage (the payments store provides it on every engine):
// the reads that decide a checkout before Stripe is called, and the user's one Stripe customer.
import type { CheckoutTerms } from './checkout-terms.ts';

export type CheckoutItem = { planId: string } | { packId: string };

export interface BillingStorage {
  /**
   * Everything a checkout is decided on, read before any Stripe call: EMAIL_NOT_VERIFIED first,
   * then the item's terms (or NOT_FOUND / NOT_FOR_SALE / ALREADY_SUBSCRIBED), and the user's
   * Stripe customer if they have one.
   */
  prepareCheckout(input: {
    userId: string;
    item: CheckoutItem;
    now: Date;
  }): Promise<{ terms: CheckoutTerms; customerId: string | null }>;
  /** The user's Stripe customer id, or null before their first checkout or portal visit. */
  findBillingCustomer(userId: string): Promise<string | null>;
  /**
   * Records the user's Stripe customer unless one is recorded already; returns the recorded one
   * (the first writer's, when two first checkouts raced).
   */
  saveBillingCustomer(input: { userId: string; customerId: string; now: Date }): Promise<string>;
}
