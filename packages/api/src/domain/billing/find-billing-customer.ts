import type { DbOrTx } from '@tessera/db';
import { billingCustomers } from '@tessera/db';
import { eq } from 'drizzle-orm';

/** The user's Stripe customer id, or null before their first checkout or portal visit. */
export function findBillingCustomer(db: DbOrTx, userId: string): string | null {
  return (
    db
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.userId, userId))
      .get()?.id ?? null
  );
}
