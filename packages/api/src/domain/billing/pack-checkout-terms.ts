import type { DbOrTx } from '@tessera/db';
import { creditPacks, PLATFORM_TENANT_ID } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import type { CheckoutTerms } from './checkout-terms.ts';

/** What Checkout sells for a credit pack (the platform's, one payment), or why it cannot. */
export function packCheckoutTerms(
  db: DbOrTx,
  input: { userId: string; packId: string },
): CheckoutTerms {
  const pack = db
    .select({ id: creditPacks.id, stripePriceId: creditPacks.stripePriceId })
    .from(creditPacks)
    .where(and(eq(creditPacks.id, input.packId), eq(creditPacks.active, true)))
    .get();
  return packTermsOf(input.userId, pack ?? null);
}

/** The terms of an active pack, or why it cannot be sold (null: no such active pack). */
export function packTermsOf(
  userId: string,
  pack: { id: string; stripePriceId: string | null } | null,
): CheckoutTerms {
  if (!pack) throw new DomainError('NOT_FOUND', 'No such credit pack.');
  if (!pack.stripePriceId) {
    throw new DomainError('NOT_FOR_SALE', 'This credit pack is not sold online yet.', {
      reason: 'NO_STRIPE_PRICE',
    });
  }
  return {
    mode: 'payment',
    priceId: pack.stripePriceId,
    planKey: null,
    metadata: { pack: pack.id, tenant: PLATFORM_TENANT_ID, user: userId },
    trialDays: 0,
  };
}
