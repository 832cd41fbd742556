import type { DbOrTx } from '@tessera/db';
import { plans, stripeSubscriptions } from '@tessera/db';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';

/** How long an ended subscription is still shown to its member ("ended on …"). */
export const SHOW_ENDED_MS = 14 * 86_400_000;

/**
 * A member's Stripe subscriptions as last applied (live ones, and those that ended in the last two
 * weeks), with the notice to show: a failed payment and until when access lasts, a cancellation
 * at period end, an ending.
 */
export function listMySubscriptions(
  db: DbOrTx,
  input: { userId: string; now: Date },
): MySubscription[] {
  return db
    .select({
      id: stripeSubscriptions.id,
      planName: plans.name,
      planKey: plans.key,
      status: stripeSubscriptions.status,
      currentPeriodEnd: stripeSubscriptions.currentPeriodEnd,
      accessUntil: stripeSubscriptions.accessUntil,
      cancelAtPeriodEnd: stripeSubscriptions.cancelAtPeriodEnd,
      endedAt: stripeSubscriptions.endedAt,
      notice: stripeSubscriptions.notice,
    })
    .from(stripeSubscriptions)
    .innerJoin(plans, eq(plans.id, stripeSubscriptions.planId))
    .where(
      and(
        eq(stripeSubscriptions.userId, input.userId),
        or(
          isNull(stripeSubscriptions.endedAt),
          gt(stripeSubscriptions.endedAt, new Date(input.now.getTime() - SHOW_ENDED_MS)),
        ),
      ),
    )
    .orderBy(desc(stripeSubscriptions.updatedAt))
    .limit(20)
    .all();
}

/** One row of `listMySubscriptions` (the same on every engine). */
export interface MySubscription {
  id: string;
  planName: string;
  planKey: string;
  status: string;
  currentPeriodEnd: Date;
  accessUntil: Date;
  cancelAtPeriodEnd: boolean;
  endedAt: Date | null;
  notice: string | null;
}
