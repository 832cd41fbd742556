/** What one Checkout Session sells, decided from our database before Stripe is called. */
export interface CheckoutTerms {
  mode: 'payment' | 'subscription';
  priceId: string;
  /** The plan's key for a plan (its live subscriptions are looked up by it), null for a pack. */
  planKey: string | null;
  /**
   * `plan` (plan key) or `pack` (pack id), `tenant` and `user`: on the session and on the
   * subscription / PaymentIntent, so webhook handlers, Payment Links and Stripe's own tools all
   * find who bought what.
   */
  metadata: Record<string, string>;
  /** 0 = no trial. */
  trialDays: number;
}
