import type { Db } from '@tessera/db';
import { plans, trialRedemptions } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { grantMark } from './grant-mark.ts';
import { listActiveMemberships } from './list-active-memberships.ts';

/**
 * Starts a plan's trial: once per user per mark, ever. The redemption row's primary key is the
 * guard (a second attempt, even in parallel, hits the unique index), and it shares the
 * transaction with the grant.
 */
export function startTrial(db: Db, input: { userId: string; planId: string; now: Date }) {
  return db.transaction((tx) => {
    const plan = tx
      .select({ id: plans.id, markId: plans.markId, trialDays: plans.trialDays, name: plans.name })
      .from(plans)
      .where(and(eq(plans.id, input.planId), eq(plans.active, true)))
      .get();
    if (!plan) throw new DomainError('NOT_FOUND', 'No such plan.');
    if (plan.trialDays <= 0) throw new DomainError('CONFLICT', 'This plan has no trial.');
    if (listActiveMemberships(db, input.userId, input.now).some((m) => m.markId === plan.markId)) {
      throw new DomainError('CONFLICT', 'You already hold what this plan grants.');
    }
    const redeemed = tx
      .insert(trialRedemptions)
      .values({ userId: input.userId, markId: plan.markId, planId: plan.id, createdAt: input.now })
      .onConflictDoNothing()
      .returning({ planId: trialRedemptions.planId })
      .get();
    if (!redeemed)
      throw new DomainError('TRIAL_USED', 'You have already used the trial for this plan.');
    return grantMark(tx, {
      userId: input.userId,
      markId: plan.markId,
      days: plan.trialDays,
      source: 'trial',
      reference: plan.id,
      actorUserId: input.userId,
      reason: 'trial',
      now: input.now,
    });
  }, IMMEDIATE);
}
