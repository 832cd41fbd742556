import type { DbOrTx } from '@tessera/db';
import { creditPacks, plans } from '@tessera/db';
import { and, eq, ne } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';

/**
 * A Stripe price sells exactly one thing: a webhook naming it must resolve to one plan or one
 * credit pack. Refuses a price already linked elsewhere (`except` is the row being edited).
 */
export function assertPriceFree(
  tx: DbOrTx,
  priceId: string | null | undefined,
  except: { planId?: string; packId?: string } = {},
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
  const pack = tx
    .select({ id: creditPacks.id })
    .from(creditPacks)
    .where(
      and(
        eq(creditPacks.stripePriceId, priceId),
        except.packId ? ne(creditPacks.id, except.packId) : undefined,
      ),
    )
    .get();
  assertPriceOwner(priceId, plan ? `plan ${plan.key}` : pack ? `credit pack ${pack.id}` : null);
}

/** Refuses `priceId` when it already sells something (`owner`: `plan pro`, `credit pack x`). */
export function assertPriceOwner(priceId: string, owner: string | null): void {
  if (owner) {
    throw new DomainError('CONFLICT', `Stripe price ${priceId} is already linked to ${owner}.`, {
      fieldErrors: { stripePriceId: ['STRIPE_PRICE_TAKEN'] },
    });
  }
}
