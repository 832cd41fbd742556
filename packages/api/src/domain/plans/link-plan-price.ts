import type { DbOrTx } from '@tessera/db';
import { plans } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertPriceFree } from '../payments/assert-price-free.ts';
import { stripePriceIdSchema } from '../payments/stripe-ids.ts';

/**
 * Links a plan, found by its key, to a Stripe price (or unlinks it with null): what Checkout will
 * sell for this plan and how a webhook's price is traced back to it. Audited with the old value.
 */
export function linkPlanPrice(
  db: DbOrTx,
  input: {
    planKey: string;
    priceId: string | null;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  const priceId =
    input.priceId === null ? null : validate(stripePriceIdSchema, input.priceId, 'priceId');
  return db.transaction((tx) => {
    const before = tx.select().from(plans).where(eq(plans.key, input.planKey)).get();
    if (!before) {
      throw new DomainError('NOT_FOUND', `No plan with key "${input.planKey}".`, {
        fieldErrors: { planKey: ['NOT_FOUND'] },
      });
    }
    assertPriceFree(tx, priceId, { planId: before.id });
    const plan = tx
      .update(plans)
      .set({ stripePriceId: priceId, updatedAt: input.now })
      .where(eq(plans.id, before.id))
      .returning()
      .get();
    recordAudit(tx, {
      tenantId: plan.tenantId,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'plan.price_linked',
      subjectType: 'plan',
      subjectId: plan.id,
      data: { key: plan.key, from: before.stripePriceId, to: priceId },
      ip: null,
      createdAt: input.now,
    });
    return plan;
  }, IMMEDIATE);
}
