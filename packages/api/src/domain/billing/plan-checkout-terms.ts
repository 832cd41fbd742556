import type { Db } from '@tessera/db';
import { plans, trialRedemptions } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { listActiveMemberships } from '../memberships/list-active-memberships.ts';
import { readTenantLimits, type TenantLimits } from '../tenancy/tenant-ceiling.ts';
import type { CheckoutTerms } from './checkout-terms.ts';

/**
 * What Checkout sells for a plan, or why it cannot be sold: an inactive plan is not found; a
 * suspended vendor's plan or one without a Stripe price is not for sale; a member who already
 * pays for it through Stripe manages it in the portal instead. Monthly and yearly plans are
 * subscriptions; fixed-term (`once`) plans are one payment. Trial days ride along only while the
 * member has not used this tenant's one trial, never longer than the vendor's ceiling allows.
 */
export function planCheckoutTerms(
  db: Db,
  input: { userId: string; planId: string; now: Date },
): CheckoutTerms {
  const plan = db
    .select({
      id: plans.id,
      key: plans.key,
      tenantId: plans.tenantId,
      markId: plans.markId,
      interval: plans.interval,
      trialDays: plans.trialDays,
      stripePriceId: plans.stripePriceId,
    })
    .from(plans)
    .where(and(eq(plans.id, input.planId), eq(plans.active, true)))
    .get();
  if (!plan) return planTermsOf(input.userId, null);
  const tenant = readTenantLimits(db, plan.tenantId);
  return planTermsOf(input.userId, {
    plan,
    tenant,
    heldThroughStripe:
      plan.interval !== 'once' &&
      listActiveMemberships(db, input.userId, input.now).some(
        (m) => m.markId === plan.markId && m.source === 'stripe',
      ),
    trialTaken: !!db
      .select({ planId: trialRedemptions.planId })
      .from(trialRedemptions)
      .where(
        and(
          eq(trialRedemptions.userId, input.userId),
          eq(trialRedemptions.tenantId, plan.tenantId),
        ),
      )
      .get(),
  });
}

/** What the store found for a plan's checkout (each engine reads it its own way). */
export interface PlanCheckoutFacts {
  plan: {
    id: string;
    key: string;
    tenantId: string;
    markId: string;
    interval: 'month' | 'year' | 'once';
    trialDays: number;
    stripePriceId: string | null;
  };
  tenant: Pick<TenantLimits, 'ceiling' | 'suspended'>;
  /** The member holds the plan's mark now, granted by Stripe (a live subscription). */
  heldThroughStripe: boolean;
  /** The member has used this tenant's one trial. */
  trialTaken: boolean;
}

/** The terms, or why the plan cannot be sold (null facts: no such active plan). */
export function planTermsOf(userId: string, facts: PlanCheckoutFacts | null): CheckoutTerms {
  if (!facts) throw new DomainError('NOT_FOUND', 'No such plan.');
  const { plan, tenant } = facts;
  if (tenant.suspended) {
    throw new DomainError('NOT_FOR_SALE', 'This seller is suspended; its plans cannot be bought.', {
      reason: 'VENDOR_SUSPENDED',
    });
  }
  if (!plan.stripePriceId) {
    throw new DomainError('NOT_FOR_SALE', 'This plan is not sold online yet.', {
      reason: 'NO_STRIPE_PRICE',
    });
  }
  const mode = plan.interval === 'once' ? 'payment' : 'subscription';
  if (mode === 'subscription' && facts.heldThroughStripe) {
    throw new DomainError('ALREADY_SUBSCRIBED', 'You already subscribe to this plan.');
  }
  const trialDays =
    mode === 'subscription' && !facts.trialTaken
      ? Math.min(plan.trialDays, tenant.ceiling?.trialDays ?? plan.trialDays)
      : 0;
  return {
    mode,
    priceId: plan.stripePriceId,
    planKey: plan.key,
    metadata: { plan: plan.key, tenant: plan.tenantId, user: userId },
    trialDays,
  };
}
