// A Stripe subscription's state, applied to Tessera on SQLite (decision 018): the subscription row,
// then the membership its plan grants, with the member event that lets a live chat see the change.
// Order safety lives in one guarded upsert: an older state never replaces a newer one, and an
// ended subscription is never re-opened — so any order of events ends in Stripe's final state.
// The rules (access end, notice, membership change) are subscription-rules.ts, shared with
// PostgreSQL (storage/pg/payments/subscriptions.ts).
import type { DbOrTx } from '@tessera/db';
import {
  billingCustomers,
  marks,
  memberships,
  plans,
  stripeSubscriptions,
  trialRedemptions,
} from '@tessera/db';
import { and, eq, sql } from 'drizzle-orm';
import { appendMemberEvent } from '../../events/outbox.ts';
import { randomId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lapseAllowance } from '../credits/lapse-allowance.ts';
import type { SubscriptionState } from './stripe-objects.ts';
import {
  type ApplyOutcome,
  lapseKeyOf,
  membershipAuditData,
  membershipChangeOf,
  subscriptionRowOf,
} from './subscription-rules.ts';

export type { ApplyOutcome } from './subscription-rules.ts';

/** The user a Stripe customer was made for (one customer per user, billing_customers). */
function customerUser(tx: DbOrTx, customerId: string | null): string | null {
  if (!customerId) return null;
  return (
    tx
      .select({ userId: billingCustomers.userId })
      .from(billingCustomers)
      .where(eq(billingCustomers.stripeCustomerId, customerId))
      .get()?.userId ?? null
  );
}

/** The plan a subscription pays for: our row, else `metadata.plan`, else its price. */
function findPlan(tx: DbOrTx, state: SubscriptionState) {
  const columns = { id: plans.id, markId: plans.markId, tenantId: plans.tenantId };
  const byKey = state.metadata.plan
    ? tx.select(columns).from(plans).where(eq(plans.key, state.metadata.plan)).get()
    : undefined;
  if (byKey || !state.priceId) return byKey;
  return tx.select(columns).from(plans).where(eq(plans.stripePriceId, state.priceId)).get();
}

export function applySubscriptionState(
  tx: DbOrTx,
  input: {
    state: SubscriptionState;
    /** When this state held: retrieval time for a state read from Stripe, else the event's. */
    stateAt: Date;
    /** Who pays, when the caller knows (Checkout's client_reference_id). */
    userId?: string | null;
    graceDays: number;
    now: Date;
  },
): ApplyOutcome {
  const { state } = input;
  const known = tx
    .select({ userId: stripeSubscriptions.userId, planId: stripeSubscriptions.planId })
    .from(stripeSubscriptions)
    .where(eq(stripeSubscriptions.id, state.id))
    .get();
  const userId =
    known?.userId ?? input.userId ?? state.metadata.user ?? customerUser(tx, state.customerId);
  // Without a user the Checkout event will apply the subscription: it carries the user and
  // retrieves this same state, so nothing is lost by waiting for it.
  if (!userId) return { applied: false, reason: 'no Tessera user for this subscription yet' };
  const plan = known
    ? tx
        .select({ id: plans.id, markId: plans.markId, tenantId: plans.tenantId })
        .from(plans)
        .where(eq(plans.id, known.planId))
        .get()
    : findPlan(tx, state);
  if (!plan) return { applied: false, reason: 'no plan matches this subscription' };

  const { row, changes, accessUntil } = subscriptionRowOf({ ...input, userId, plan });
  const saved = tx
    .insert(stripeSubscriptions)
    .values(row)
    .onConflictDoUpdate({
      target: stripeSubscriptions.id,
      set: changes,
      // The order guard: only a state at least as new, and never re-opening an ended one.
      setWhere: sql`${stripeSubscriptions.stateAt} <= ${input.stateAt.getTime()}
        and (${stripeSubscriptions.endedAt} is null or ${row.endedAt?.getTime() ?? null} is not null)`,
    })
    .returning({ id: stripeSubscriptions.id })
    .get();
  if (!saved) return { applied: false, reason: 'an equally new or newer state was applied before' };
  if (state.status === 'trialing') {
    // A Stripe trial is the tenant's one trial, as a no-card trial is (trials once per tenant).
    tx.insert(trialRedemptions)
      .values({
        userId,
        tenantId: plan.tenantId,
        markId: plan.markId,
        planId: plan.id,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .run();
  }

  const membershipChanged = syncMembership(tx, {
    userId,
    markId: plan.markId,
    subscriptionId: state.id,
    accessUntil,
    now: input.now,
    status: state.status,
  });
  return { applied: true, userId, accessUntil: new Date(accessUntil), membershipChanged };
}

/**
 * The membership of the subscription's mark follows `accessUntil` (membershipChangeOf). Runs under
 * the write lock of the event's transaction, so the row read here cannot change before it is
 * written.
 */
function syncMembership(
  tx: DbOrTx,
  input: {
    userId: string;
    markId: string;
    subscriptionId: string;
    accessUntil: number;
    now: Date;
    status: string;
  },
): boolean {
  const mark = tx
    .select({ key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.id, input.markId))
    .get();
  if (!mark) return false;
  const held = tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, input.userId), eq(memberships.markId, input.markId)))
    .get();
  const change = membershipChangeOf(held ?? null, input);
  if (!change) return false;

  if (change.heldId) {
    tx.update(memberships)
      .set({
        expiresAt: change.expiresAt,
        status: change.status,
        startsAt: change.startsAt,
        source: 'stripe',
        reference: input.subscriptionId,
        updatedAt: input.now,
      })
      .where(eq(memberships.id, change.heldId))
      .run();
  } else {
    tx.insert(memberships)
      .values({
        id: randomId(),
        userId: input.userId,
        markId: input.markId,
        startsAt: change.startsAt,
        expiresAt: change.expiresAt,
        status: 'active',
        source: 'stripe',
        reference: input.subscriptionId,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .run();
  }
  appendMemberEvent(tx, {
    userId: input.userId,
    kind: change.kind,
    markKey: mark.key,
    now: input.now,
  });
  recordAudit(tx, {
    tenantId: mark.tenantId,
    actorUserId: null,
    actorLabel: 'stripe',
    action: change.kind,
    subjectType: 'user',
    subjectId: input.userId,
    data: membershipAuditData(change, { ...input, markKey: mark.key }),
    ip: null,
    createdAt: input.now,
  });
  if (!change.live) {
    lapseAllowance(tx, {
      userId: input.userId,
      markKey: mark.key,
      tenantId: mark.tenantId,
      key: lapseKeyOf(input),
      actorUserId: null,
      actorLabel: 'stripe',
      now: input.now,
    });
  }
  return true;
}
