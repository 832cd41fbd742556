// Checkout's reads and the Stripe customer on PostgreSQL (decision 016). Each checkout read is a
// plain read: nothing is written before Stripe answers, so nothing needs a transaction here.
import {
  billingCustomers,
  creditPacks,
  memberships,
  type PgDb,
  plans,
  tenants,
  trialRedemptions,
  users,
} from '@tessera/db/pg';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { emailNotVerified } from '../../../auth/email-verification.ts';
import { packTermsOf } from '../../../domain/billing/pack-checkout-terms.ts';
import { planTermsOf } from '../../../domain/billing/plan-checkout-terms.ts';
import { parseStoredCeiling } from '../../../domain/tenancy/ceiling.ts';
import type { PaymentsStore } from '../../payments-store.ts';

type BillingMethods = Pick<
  PaymentsStore,
  'prepareCheckout' | 'findBillingCustomer' | 'saveBillingCustomer'
>;

export function createPgBilling(db: PgDb): BillingMethods {
  async function findBillingCustomer(userId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.userId, userId));
    return row?.id ?? null;
  }

  async function planTerms(userId: string, planId: string, now: Date) {
    const [plan] = await db
      .select({
        id: plans.id,
        key: plans.key,
        tenantId: plans.tenantId,
        markId: plans.markId,
        interval: plans.interval,
        trialDays: plans.trialDays,
        stripePriceId: plans.stripePriceId,
        tenantKind: tenants.kind,
        ceiling: tenants.ceiling,
        suspendedAt: tenants.suspendedAt,
      })
      .from(plans)
      .innerJoin(tenants, eq(tenants.id, plans.tenantId))
      .where(and(eq(plans.id, planId), eq(plans.active, true)));
    if (!plan) return planTermsOf(userId, null);
    // Held now through Stripe: the access rule of listActiveMemberships (not expired; the vendor
    // not suspended, which planTermsOf refuses first anyway) for this plan's mark.
    const [held] =
      plan.interval === 'once'
        ? []
        : await db
            .select({ id: memberships.id })
            .from(memberships)
            .where(
              and(
                eq(memberships.userId, userId),
                eq(memberships.markId, plan.markId),
                eq(memberships.source, 'stripe'),
                or(isNull(memberships.expiresAt), gt(memberships.expiresAt, now)),
              ),
            )
            .limit(1);
    const [trial] = await db
      .select({ planId: trialRedemptions.planId })
      .from(trialRedemptions)
      .where(and(eq(trialRedemptions.userId, userId), eq(trialRedemptions.tenantId, plan.tenantId)))
      .limit(1);
    return planTermsOf(userId, {
      plan,
      tenant: {
        ceiling: plan.tenantKind === 'vendor' ? parseStoredCeiling(plan.ceiling) : null,
        suspended: plan.suspendedAt !== null,
      },
      heldThroughStripe: !!held,
      trialTaken: !!trial,
    });
  }

  return {
    async prepareCheckout(input) {
      const [user] = await db
        .select({ verifiedAt: users.emailVerifiedAt })
        .from(users)
        .where(eq(users.id, input.userId));
      if (user?.verifiedAt == null) throw emailNotVerified();
      let terms: Awaited<ReturnType<typeof planTerms>>;
      if ('planId' in input.item) {
        terms = await planTerms(input.userId, input.item.planId, input.now);
      } else {
        const [pack] = await db
          .select({ id: creditPacks.id, stripePriceId: creditPacks.stripePriceId })
          .from(creditPacks)
          .where(and(eq(creditPacks.id, input.item.packId), eq(creditPacks.active, true)));
        terms = packTermsOf(input.userId, pack ?? null);
      }
      return { terms, customerId: await findBillingCustomer(input.userId) };
    },

    findBillingCustomer,

    async saveBillingCustomer(input) {
      // One statement: insert unless recorded, and read back whichever row is there.
      const result = await db.execute<{ id: string }>(
        sql`with added as (
              insert into ${billingCustomers} (user_id, stripe_customer_id, created_at)
              values (${input.userId}, ${input.customerId}, ${input.now.getTime()}::bigint)
              on conflict do nothing
              returning stripe_customer_id as id
            )
            select id from added
            union all
            select stripe_customer_id as id from ${billingCustomers} where user_id = ${input.userId}
            limit 1`,
      );
      return result.rows[0]?.id ?? input.customerId;
    },
  };
}
