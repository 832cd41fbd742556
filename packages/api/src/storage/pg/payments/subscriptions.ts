// Stripe subscription events on PostgreSQL (decision 018), inside the event's transaction: the
// subscription row under its order guard, the membership of its plan's mark, the allowance lapse
// when access ends, the failed-payment notice and a renewal's payment — as apply-subscription.ts
// and handle-stripe-event.ts do on SQLite, with the rules shared (subscription-rules.ts).
//
// SQLite's write lock made "read the membership, then write it" safe; here the payer's
// `credit_accounts` row is locked first (decision 028: an ended subscription lapses the allowance),
// which queues every other money or subscription transaction of that user, and the membership row
// is read `for update`.
import {
  billingCustomers,
  marks,
  memberships,
  type PgTx,
  plans,
  stripeSubscriptions,
  trialRedemptions,
} from '@tessera/db/pg';
import { and, eq, sql } from 'drizzle-orm';
import {
  type Effect,
  type HandleOptions,
  ignored,
  type StripeEventInput,
} from '../../../domain/payments/handle-stripe-event.ts';
import { readInvoice, type SubscriptionState } from '../../../domain/payments/stripe-objects.ts';
import {
  type ApplyOutcome,
  invoicePaidEffect,
  invoicePaymentOf,
  lapseKeyOf,
  membershipAuditData,
  membershipChangeOf,
  paymentFailedEffect,
  stateFor,
  subscriptionNote,
  subscriptionRowOf,
} from '../../../domain/payments/subscription-rules.ts';
import { randomId } from '../../../lib/ids.ts';
import {
  appendMemberEventPg,
  lapseAllowancePg,
  lockCreditAccount,
  recordAuditPg,
} from '../members/in-transaction.ts';
import { noticePaymentFailedPg } from '../ops/in-transaction.ts';
import { recordPaymentPg } from './shared.ts';

const planColumns = { id: plans.id, markId: plans.markId, tenantId: plans.tenantId };

/** The plan a subscription pays for: `metadata.plan`, else its price. */
async function findPlan(tx: PgTx, state: SubscriptionState) {
  if (state.metadata.plan) {
    const [byKey] = await tx
      .select(planColumns)
      .from(plans)
      .where(eq(plans.key, state.metadata.plan));
    if (byKey) return byKey;
  }
  if (!state.priceId) return undefined;
  const [byPrice] = await tx
    .select(planColumns)
    .from(plans)
    .where(eq(plans.stripePriceId, state.priceId));
  return byPrice;
}

/** The user a Stripe customer was made for (one customer per user, billing_customers). */
async function customerUser(tx: PgTx, customerId: string | null) {
  if (!customerId) return null;
  const [row] = await tx
    .select({ userId: billingCustomers.userId })
    .from(billingCustomers)
    .where(eq(billingCustomers.stripeCustomerId, customerId));
  return row?.userId ?? null;
}

/** applySubscriptionState on PostgreSQL, in the caller's transaction. */
export async function applySubscriptionStatePg(
  tx: PgTx,
  input: {
    state: SubscriptionState;
    stateAt: Date;
    userId?: string | null;
    graceDays: number;
    now: Date;
  },
): Promise<ApplyOutcome> {
  const { state } = input;
  const [known] = await tx
    .select({ userId: stripeSubscriptions.userId, planId: stripeSubscriptions.planId })
    .from(stripeSubscriptions)
    .where(eq(stripeSubscriptions.id, state.id));
  const userId =
    known?.userId ??
    input.userId ??
    state.metadata.user ??
    (await customerUser(tx, state.customerId));
  if (!userId) return { applied: false, reason: 'no Tessera user for this subscription yet' };
  const plan = known
    ? (await tx.select(planColumns).from(plans).where(eq(plans.id, known.planId)))[0]
    : await findPlan(tx, state);
  if (!plan) return { applied: false, reason: 'no plan matches this subscription' };
  // Before anything is written: the payer's account (the lock every credit move takes first).
  await lockCreditAccount(tx, userId);

  const { row, changes, accessUntil } = subscriptionRowOf({ ...input, userId, plan });
  const saved = await tx
    .insert(stripeSubscriptions)
    .values(row)
    .onConflictDoUpdate({
      target: stripeSubscriptions.id,
      set: changes,
      // The order guard: only a state at least as new, and never re-opening an ended one.
      setWhere: sql`${stripeSubscriptions.stateAt} <= ${input.stateAt.getTime()}::bigint
        and (${stripeSubscriptions.endedAt} is null or ${row.endedAt?.getTime() ?? null}::bigint is not null)`,
    })
    .returning({ id: stripeSubscriptions.id });
  if (saved.length === 0)
    return { applied: false, reason: 'an equally new or newer state was applied before' };
  if (state.status === 'trialing') {
    // A Stripe trial is the tenant's one trial, as a no-card trial is (trials once per tenant).
    await tx
      .insert(trialRedemptions)
      .values({
        userId,
        tenantId: plan.tenantId,
        markId: plan.markId,
        planId: plan.id,
        createdAt: input.now,
      })
      .onConflictDoNothing();
  }
  const membershipChanged = await syncMembershipPg(tx, {
    userId,
    markId: plan.markId,
    subscriptionId: state.id,
    accessUntil,
    now: input.now,
    status: state.status,
  });
  return { applied: true, userId, accessUntil: new Date(accessUntil), membershipChanged };
}

/** Another transaction inserted the membership between our read and our insert: run again. */
function membershipRace(): Error {
  return Object.assign(new Error('membership inserted concurrently'), { code: '40001' });
}

async function syncMembershipPg(
  tx: PgTx,
  input: {
    userId: string;
    markId: string;
    subscriptionId: string;
    accessUntil: number;
    now: Date;
    status: string;
  },
): Promise<boolean> {
  const [mark] = await tx
    .select({ key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.id, input.markId));
  if (!mark) return false;
  const [held] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, input.userId), eq(memberships.markId, input.markId)))
    .for('update');
  const change = membershipChangeOf(held ?? null, input);
  if (!change) return false;

  if (change.heldId) {
    await tx
      .update(memberships)
      .set({
        expiresAt: change.expiresAt,
        status: change.status,
        startsAt: change.startsAt,
        source: 'stripe',
        reference: input.subscriptionId,
        updatedAt: input.now,
      })
      .where(eq(memberships.id, change.heldId));
  } else {
    const inserted = await tx
      .insert(memberships)
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
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    // withRetry runs the whole event again; the next attempt reads the other grant and decides.
    if (inserted.length === 0) throw membershipRace();
  }
  await appendMemberEventPg(tx, {
    userId: input.userId,
    kind: change.kind,
    markKey: mark.key,
    now: input.now,
  });
  await recordAuditPg(tx, {
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
    await lapseAllowancePg(tx, {
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

/** The subscription's state (retrieved, else the event's) applied; `userId` from Checkout. */
export async function subscriptionChangedPg(
  tx: PgTx,
  event: StripeEventInput,
  options: HandleOptions,
  userId: string | null,
): Promise<Effect> {
  const found = stateFor(event, options);
  if (!found) return ignored('the subscription could not be read or retrieved');
  const result = await applySubscriptionStatePg(tx, {
    state: found.state,
    stateAt: found.at,
    userId,
    graceDays: options.graceDays,
    now: options.now,
  });
  if (!result.applied) return ignored(result.reason);
  return { outcome: 'applied', note: subscriptionNote(found.state, result.accessUntil) };
}

/** The subscription's state as any change, then the member is told (once per invoice). */
export async function paymentFailedPg(
  tx: PgTx,
  event: StripeEventInput,
  options: HandleOptions,
): Promise<Effect> {
  const effect = await subscriptionChangedPg(tx, event, options, null);
  const invoice = readInvoice(event.object);
  if (!invoice) return effect;
  const told = await noticePaymentFailedPg(tx, {
    invoiceId: invoice.id,
    subscriptionId: invoice.subscriptionId,
    baseUrl: options.baseUrl ?? 'http://localhost:3000',
    now: options.now,
  });
  return paymentFailedEffect(effect, told);
}

/** A renewal: the state moves the end forward, and the invoice's payment is recorded once. */
export async function invoicePaidPg(
  tx: PgTx,
  event: StripeEventInput,
  options: HandleOptions,
): Promise<Effect> {
  const invoice = readInvoice(event.object);
  if (!invoice?.subscriptionId) return ignored('not a subscription invoice');
  const effect = await subscriptionChangedPg(tx, event, options, null);
  const [sub] = await tx
    .select()
    .from(stripeSubscriptions)
    .where(eq(stripeSubscriptions.id, invoice.subscriptionId));
  // Whose invoice this is comes from the subscription's row, written by its Checkout event; until
  // that arrives the payment cannot be attributed: fail, so Stripe delivers it again later.
  if (!sub)
    throw new Error(`invoice ${invoice.id} of unknown subscription ${invoice.subscriptionId}`);
  const recorded = await recordPaymentPg(tx, invoicePaymentOf(invoice, sub));
  return invoicePaidEffect(effect, recorded);
}
