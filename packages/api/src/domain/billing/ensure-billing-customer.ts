import type Stripe from 'stripe';
import type { BillingStorage } from './billing-storage.ts';
import { callStripe } from './call-stripe.ts';

/**
 * The user's one Stripe customer, created on first need. The Stripe call runs outside any
 * transaction (better-sqlite3 transactions are synchronous and must never wait on the network).
 * Two concurrent first checkouts both send idempotency key `customer:<userId>`, so Stripe answers
 * both with the same customer; the store's insert-unless-recorded then leaves one row either way.
 * Should Stripe's 24-hour key window ever hand the loser a second customer, the row keeps the
 * first and the second stays unused in Stripe.
 */
export async function ensureBillingCustomer(
  store: Pick<BillingStorage, 'findBillingCustomer' | 'saveBillingCustomer'>,
  stripe: Stripe,
  input: { userId: string; email: string; now: Date },
): Promise<string> {
  const existing = await store.findBillingCustomer(input.userId);
  if (existing) return existing;
  const customer = await callStripe('create your billing account', () =>
    stripe.customers.create(
      { email: input.email, metadata: { user: input.userId } },
      { idempotencyKey: `customer:${input.userId}` },
    ),
  );
  return store.saveBillingCustomer({
    userId: input.userId,
    customerId: customer.id,
    now: input.now,
  });
}
