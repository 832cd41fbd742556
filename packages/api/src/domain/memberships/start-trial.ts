import type { Db } from '@tessera/db';
import { plans, trialRedemptions } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { requireVerifiedEmail } from '../../auth/email-verification.ts';
import { DomainError } from '../../errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { readTenantLimits, type TenantLimits } from '../tenancy/tenant-ceiling.ts';
import { grantMark } from './grant-mark.ts';
import { type ActiveMembership, listActiveMemberships } from './list-active-memberships.ts';

/**
 * Starts a plan's trial: once per user per tenant, ever (one on the platform, one per vendor),
 * whatever the number of marks or plans. The redemption row's unique (user, tenant) index is the
 * guard (a second attempt, even in parallel, hits it), and it shares the transaction with the
 * grant. A vendor's trial is never longer than its ceiling allows, nor offered while suspended.
 * Only a verified address gets one (decision 022): throwaway addresses farmed trials before.
 */
export function startTrial(db: Db, input: { userId: string; planId: string; now: Date }) {
  return db.transaction((tx) => {
    requireVerifiedEmail(tx, input.userId);
    const plan = tx
      .select({
        id: plans.id,
        tenantId: plans.tenantId,
        markId: plans.markId,
        trialDays: plans.trialDays,
        name: plans.name,
      })
      .from(plans)
      .where(and(eq(plans.id, input.planId), eq(plans.active, true)))
      .get();
    if (!plan) throw noSuchPlan();
    const trialDays = trialDaysOf(plan.trialDays, readTenantLimits(tx, plan.tenantId));
    assertNotHeld(listActiveMemberships(db, input.userId, input.now), plan.markId);
    const redeemed = tx
      .insert(trialRedemptions)
      .values({
        userId: input.userId,
        tenantId: plan.tenantId,
        markId: plan.markId,
        planId: plan.id,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning({ planId: trialRedemptions.planId })
      .get();
    if (!redeemed) throw trialUsed();
    return grantMark(tx, {
      userId: input.userId,
      markId: plan.markId,
      days: trialDays,
      source: 'trial',
      reference: plan.id,
      actorUserId: input.userId,
      reason: 'trial',
      now: input.now,
    });
  }, IMMEDIATE);
}

// The trial's rules as pure functions, so every engine refuses with the same words.

export function noSuchPlan(): DomainError {
  return new DomainError('NOT_FOUND', 'No such plan.');
}

export function trialUsed(): DomainError {
  return new DomainError('TRIAL_USED', 'You have already used your trial with this seller.');
}

/** The trial's length: a suspended seller offers none, and a vendor's ceiling bounds it. */
export function trialDaysOf(
  planTrialDays: number,
  tenant: Pick<TenantLimits, 'ceiling' | 'suspended'>,
): number {
  if (tenant.suspended) throw noSuchPlan();
  const trialDays = Math.min(planTrialDays, tenant.ceiling?.trialDays ?? planTrialDays);
  if (trialDays <= 0) throw new DomainError('CONFLICT', 'This plan has no trial.');
  return trialDays;
}

/** No trial of what the member already holds. */
export function assertNotHeld(held: readonly ActiveMembership[], markId: string): void {
  if (held.some((m) => m.markId === markId)) {
    throw new DomainError('CONFLICT', 'You already hold what this plan grants.');
  }
}
