import type { DbOrTx } from '@tessera/db';
import { plans } from '@tessera/db';
import { and, eq, ne } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';

/**
 * A Stripe price sells exactly one thing: a webhook naming it must resolve to one plan. Refuses a
 * price already linked elsewhere (`except` is the row being edited).
 */
export function assertPriceFree(
  tx: DbOrTx,
  priceId: string | null | undefined,
  except: { planId?: string } = {},
): void {
  if (!priceId) return;
  const plan = tx
    .select({ key: plans.key })
    .from(plans)
    .where(
      and(
        eq(plans.stripePriceId, priceId),
        except.planId ? ne(plans.id, except.planId) : undefined,
      ),
    )
    .get();
  if (plan) {
    throw new DomainError(
      'CONFLICT',
      `Stripe price ${priceId} is already linked to plan ${plan.key}.`,
      {
        fieldErrors: { stripePriceId: ['STRIPE_PRICE_TAKEN'] },
      },
    );
  }
}
