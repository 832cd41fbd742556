import { z } from 'zod';

/**
 * A Stripe price id (`price_1Pq…`). Checked by shape only: whether the price exists is Stripe's to
 * say, and linking must work offline. Test-mode and live-mode ids look alike.
 */
export const stripePriceIdSchema = z
  .string({ error: 'REQUIRED' })
  .trim()
  .max(200, { error: 'TOO_LONG' })
  .regex(/^price_[A-Za-z0-9]+$/, { error: 'STRIPE_PRICE_INVALID' });
