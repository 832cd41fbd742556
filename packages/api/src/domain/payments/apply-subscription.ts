// A Stripe subscription's state, applied to Tessera (decision 018): the subscription row, then
// the membership its plan grants, with the member event that lets a live chat see the change.
// Order safety lives in one guarded upsert: an older state never replaces a newer one, and an
// ended subscription is never re-opened — so any order of events ends in Stripe's final state.
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

const DAY_MS = 86_400_000;
/** Statuses that still grant access (past_due within its grace period). */
const LIVE = new Set(['active', 'trialing', 'past_due']);

export type ApplyOutcome =
  | { applied: true; userId: string; accessUntil: Date; membershipChanged: boolean }
  | { applied: false; reason: string };

/**
 * When access through a subscription in this state ends:
 * - active or trialing: the period end plus grace (renewals move it; if no event ever comes,
 *   access still stops on time);
 * - cancelled at period end: the period end, no grace (the member chose to leave);
 * - past_due / unpaid: the failed renewal's start (the new period's start) plus grace — then Free;
 * - ended (canceled, incomplete_expired) or never paid (incomplete, paused): its end, or the
 *   period start, i.e. no further access.
 */
export function accessUntilOf(state: SubscriptionState, graceDays: number): number {
  const grace = graceDays * DAY_MS;
  if (state.endedAt !== null || (!LIVE.has(state.status) && state.status !== 'unpaid'))
    return state.endedAt ?? state.currentPeriodStart;
  if (state.status === 'past_due' || state.status === 'unpaid')
    return state.currentPeriodStart + grace;
  if (state.cancelAtPeriodEnd) return state.currentPeriodEnd;
  return state.currentPeriodEnd + grace;
}

function noticeOf(state: SubscriptionState): string | null {
  if (state.endedAt !== null || state.status === 'canceled') return 'ended';
  if (state.status === 'past_due' || state.status === 'unpaid') return 'payment_failed';
  if (state.cancelAtPeriodEnd) return 'cancels_at_period_end';
  return null;
}

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

  const accessUntil = accessUntilOf(state, input.graceDays);
  const now = input.now.getTime();
  const row = {
    id: state.id,
    userId,
    planId: plan.id,
    markId: plan.markId,
    tenantId: plan.tenantId,
    customerId: state.customerId,
    status: state.status,
    currentPeriodStart: new Date(state.currentPeriodStart),
    currentPeriodEnd: new Date(state.currentPeriodEnd),
    cancelAtPeriodEnd: state.cancelAtPeriodEnd,
    accessUntil: new Date(accessUntil),
    endedAt: state.endedAt === null ? null : new Date(state.endedAt),
    notice: noticeOf(state),
    stateAt: input.stateAt,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const { id: _id, userId: _u, createdAt: _c, ...changes } = row;
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
    now,
    nowDate: input.now,
    status: state.status,
  });
  return { applied: true, userId, accessUntil: new Date(accessUntil), membershipChanged };
}

/**
 * The membership of the subscription's mark follows `accessUntil`. A membership of the same mark
 * from elsewhere (an admin grant, a code) that lasts longer is left as it is: a subscription adds
 * access, it never cuts what was given another way. Runs under the write lock of the event's
 * transaction, so the row read here cannot change before it is written.
 */
function syncMembership(
  tx: DbOrTx,
  input: {
    userId: string;
    markId: string;
    subscriptionId: string;
    accessUntil: number;
    now: number;
    nowDate: Date;
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
  const heldEnd = held ? (held.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) : null;
  const ours = held?.source === 'stripe' && held.reference === input.subscriptionId;
  const heldLive = heldEnd !== null && heldEnd > input.now;
  if (held && !ours && heldLive && heldEnd >= input.accessUntil) return false;
  if (ours && heldEnd === input.accessUntil) return false;
  const live = input.accessUntil > input.now;
  // An ended subscription only ends what it granted and is still running; anything else stays.
  if (!live && !(ours && heldLive)) return false;

  const expiresAt = new Date(input.accessUntil);
  if (held) {
    tx.update(memberships)
      .set({
        expiresAt,
        status: live ? 'active' : 'revoked',
        startsAt: heldLive ? held.startsAt : input.nowDate,
        source: 'stripe',
        reference: input.subscriptionId,
        updatedAt: input.nowDate,
      })
      .where(eq(memberships.id, held.id))
      .run();
  } else {
    tx.insert(memberships)
      .values({
        id: randomId(),
        userId: input.userId,
        markId: input.markId,
        startsAt: input.nowDate,
        expiresAt,
        status: 'active',
        source: 'stripe',
        reference: input.subscriptionId,
        createdAt: input.nowDate,
        updatedAt: input.nowDate,
      })
      .run();
  }
  const kind = !live
    ? 'membership.revoked'
    : heldLive
      ? 'membership.extended'
      : 'membership.granted';
  appendMemberEvent(tx, {
    userId: input.userId,
    kind,
    markKey: mark.key,
    now: input.nowDate,
  });
  recordAudit(tx, {
    tenantId: mark.tenantId,
    actorUserId: null,
    actorLabel: 'stripe',
    action: kind,
    subjectType: 'user',
    subjectId: input.userId,
    data: {
      markKey: mark.key,
      source: 'stripe',
      subscription: input.subscriptionId,
      status: input.status,
      expiresAt: expiresAt.toISOString(),
    },
    ip: null,
    createdAt: input.nowDate,
  });
  if (!live) {
    lapseAllowance(tx, {
      userId: input.userId,
      markKey: mark.key,
      tenantId: mark.tenantId,
      key: `lapse:${input.userId}:${input.markId}:${input.subscriptionId}:${input.accessUntil}`,
      actorUserId: null,
      actorLabel: 'stripe',
      now: input.nowDate,
    });
  }
  return true;
}
