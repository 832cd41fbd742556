// The rules of a Stripe subscription's state (decision 018), as pure functions both storage
// engines call: when access ends, which notice the member sees, the subscription row, what the
// membership of its mark becomes, and how the webhook words what it did. The engines only read
// and write (apply-subscription.ts on SQLite, storage/pg/payments/subscriptions.ts on PostgreSQL).
import type { MemberEventKind } from '../../events/outbox.ts';
import type { HandleOptions, StripeEventInput } from './handle-stripe-event.ts';
import { type InvoiceFacts, readSubscription, type SubscriptionState } from './stripe-objects.ts';

const DAY_MS = 86_400_000;
/** Statuses that still grant access (past_due within its grace period). */
const LIVE = new Set(['active', 'trialing', 'past_due']);

export type ApplyOutcome =
  | { applied: true; userId: string; accessUntil: Date; membershipChanged: boolean }
  | { applied: false; reason: string };

/** The plan a subscription pays for, as the engines read it. */
export interface SubscribedPlan {
  id: string;
  markId: string;
  tenantId: string;
}

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

/**
 * The `stripe_subscriptions` row for this state, and the columns a newer state replaces (not its
 * id, payer or creation time). The engines upsert it under one guard: the stored `state_at` is not
 * newer, and an ended subscription is never re-opened.
 */
export function subscriptionRowOf(input: {
  state: SubscriptionState;
  userId: string;
  plan: SubscribedPlan;
  stateAt: Date;
  graceDays: number;
  now: Date;
}) {
  const { state, plan } = input;
  const accessUntil = accessUntilOf(state, input.graceDays);
  const row = {
    id: state.id,
    userId: input.userId,
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
  return { row, changes, accessUntil };
}

/** The membership of the subscription's mark as it is held now (any source). */
export interface HeldMembership {
  id: string;
  startsAt: Date;
  expiresAt: Date | null;
  source: string;
  reference: string | null;
}

export interface MembershipChange {
  /** The held row to update, or null to insert one. */
  heldId: string | null;
  kind: Extract<
    MemberEventKind,
    'membership.granted' | 'membership.extended' | 'membership.revoked'
  >;
  live: boolean;
  startsAt: Date;
  expiresAt: Date;
  status: 'active' | 'revoked';
}

/**
 * What the membership of the subscription's mark becomes, or null when it stays as it is. A
 * membership of the same mark from elsewhere (an admin grant, a code) that lasts longer is left
 * alone: a subscription adds access, it never cuts what was given another way. An ended
 * subscription only ends what it granted and is still running.
 */
export function membershipChangeOf(
  held: HeldMembership | null,
  input: { subscriptionId: string; accessUntil: number; now: Date },
): MembershipChange | null {
  const now = input.now.getTime();
  const heldEnd = held ? (held.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) : null;
  const ours = held?.source === 'stripe' && held.reference === input.subscriptionId;
  const heldLive = heldEnd !== null && heldEnd > now;
  if (held && !ours && heldLive && heldEnd >= input.accessUntil) return null;
  if (ours && heldEnd === input.accessUntil) return null;
  const live = input.accessUntil > now;
  if (!live && !(ours && heldLive)) return null;
  return {
    heldId: held?.id ?? null,
    kind: !live ? 'membership.revoked' : heldLive ? 'membership.extended' : 'membership.granted',
    live,
    startsAt: held && heldLive ? held.startsAt : input.now,
    expiresAt: new Date(input.accessUntil),
    status: live ? 'active' : 'revoked',
  };
}

/** The audit row's data for a membership change a subscription made. */
export function membershipAuditData(
  change: MembershipChange,
  input: { markKey: string; subscriptionId: string; status: string },
) {
  return {
    markKey: input.markKey,
    source: 'stripe',
    subscription: input.subscriptionId,
    status: input.status,
    expiresAt: change.expiresAt.toISOString(),
  };
}

/** The allowance lapse's ledger key: one lapse per subscription end, however often it is sent. */
export function lapseKeyOf(input: {
  userId: string;
  markId: string;
  subscriptionId: string;
  accessUntil: number;
}) {
  return `lapse:${input.userId}:${input.markId}:${input.subscriptionId}:${input.accessUntil}`;
}

/** Stripe's state when it could be retrieved, else the state the event itself carries. */
export function stateFor(event: StripeEventInput, options: HandleOptions) {
  if (options.fresh) return { state: options.fresh.subscription, at: options.fresh.retrievedAt };
  const state = event.type.startsWith('customer.subscription.')
    ? readSubscription(event.object)
    : null;
  return state ? { state, at: new Date(event.created * 1000) } : null;
}

/** The webhook's note for an applied subscription state. */
export function subscriptionNote(state: SubscriptionState, accessUntil: Date) {
  return `${state.status}; access until ${accessUntil.toISOString()}`;
}

/** The payment row a paid subscription invoice records, attributed through its subscription. */
export function invoicePaymentOf(
  invoice: InvoiceFacts,
  sub: { id: string; userId: string; tenantId: string; planId: string },
) {
  return {
    id: invoice.id,
    userId: sub.userId,
    kind: 'subscription' as const,
    tenantId: sub.tenantId,
    planId: sub.planId,
    subscriptionId: sub.id,
    paymentIntentId: invoice.paymentIntentId,
    amountMinor: invoice.amountPaid,
    currency: invoice.currency,
    paidAt: new Date(invoice.paidAt),
  };
}

/** invoice.paid's outcome: applied when the state moved or the payment was new. */
export function invoicePaidEffect(
  effect: { outcome: 'applied' | 'ignored'; note?: string },
  recorded: boolean,
): { outcome: 'applied' | 'ignored'; note?: string } {
  if (effect.outcome !== 'applied' && !recorded) return effect;
  return {
    outcome: 'applied',
    note: [effect.note, recorded ? 'payment recorded' : null].filter(Boolean).join('; '),
  };
}

/** invoice.payment_failed's outcome: the state's, plus "member told" when the mail went out. */
export function paymentFailedEffect(
  effect: { outcome: 'applied' | 'ignored'; note?: string },
  told: string,
): { outcome: 'applied' | 'ignored'; note?: string } {
  if (told !== 'sent') return effect;
  return { outcome: 'applied', note: effect.note ? `${effect.note}; member told` : 'member told' };
}
