import type { Db } from '@tessera/db';
import { billingCustomers } from '@tessera/db';
import type Stripe from 'stripe';
import { callStripe } from './call-stripe.ts';
import { findBillingCustomer } from './find-billing-customer.ts';

/**
 * The user's one Stripe customer, created on first need. The Stripe call runs outside any
 * transaction (better-sqlite3 transactions are synchronous and must never wait on the network).
 * Two concurrent first checkouts both send idempotency key `customer:<userId>`, so Stripe answers
 * both with the same customer; the INSERT OR IGNORE and the read-back then leave one row either way.
 * Should Stripe's 24-hour key window ever hand the loser a second customer, the row keeps the
 * first and the second stays unused in Stripe.
 */
export async function ensureBillingCustomer(
  db: Db,
  stripe: Stripe,
  input: { userId: string; email: string; now: Date },
): Promise<string> {
  const existing = findBillingCustomer(db, input.userId);
  if (existing) return existing;
  const customer = await callStripe('create your billing account', () =>
    stripe.customers.create(
      { email: input.email, metadata: { user: input.userId } },
      { idempotencyKey: `customer:${input.userId}` },
    ),
  );
  db.insert(billingCustomers)
    .values({ userId: input.userId, stripeCustomerId: customer.id, createdAt: input.now })
    .onConflictDoNothing()
    .run();
  return findBillingCustomer(db, input.userId) ?? customer.id;
}
