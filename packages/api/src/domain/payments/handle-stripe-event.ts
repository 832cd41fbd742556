// One verified Stripe event, handled in one write transaction with its record (decision 018): the
// `stripe_events` row and every effect (subscription state, membership, purchased credits,
// payments, audit, member events) commit together or not at all. A redelivery finds the row and
// does nothing; an error rolls everything back and the route answers 500, so Stripe retries.
import type { DbOrTx, Payment, StripeEventOutcome } from '@tessera/db';
import {
  creditPacks,
  PLATFORM_TENANT_ID,
  payments,
  plans,
  stripeEvents,
  stripeSubscriptions,
  users,
} from '@tessera/db';
import { eq } from 'drizzle-orm';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { grantPurchasedCredits, takeBackPurchasedCredits } from '../credits/purchased-credits.ts';
import { grantMark } from '../memberships/grant-mark.ts';
import { noticePaymentFailed } from '../notifications/notice-payment-failed.ts';
import { planTermDays } from '../plans/plan-input.ts';
import { applySubscriptionState } from './apply-subscription.ts';
import {
  type CheckoutSession,
  readCharge,
  readCheckoutSession,
  readInvoice,
  readSubscription,
  type SubscriptionState,
} from './stripe-objects.ts';
import {
  invoicePaidEffect,
  invoicePaymentOf,
  paymentFailedEffect,
  stateFor,
  subscriptionNote,
} from './subscription-rules.ts';

export interface StripeEventInput {
  id: string;
  type: string;
  /** Stripe's `created`, in seconds. */
  created: number;
  /** `data.object`. */
  object: unknown;
}

export interface HandleOptions {
  /** The subscription as Stripe holds it now, retrieved before the transaction; null if not. */
  fresh: { subscription: SubscriptionState; retrievedAt: Date } | null;
  graceDays: number;
  now: Date;
  /** PUBLIC_URL's origin, for links in the mails an event causes (a failed payment). */
  baseUrl?: string;
}

export interface HandleResult {
  duplicate: boolean;
  outcome: StripeEventOutcome;
  note?: string;
}

export type Effect = { outcome: 'applied' | 'ignored'; note?: string };
export const ignored = (note: string): Effect => ({ outcome: 'ignored', note });

/** The subscription an event is about, so the route can retrieve its state first. */
export function subscriptionIdOf(event: Pick<StripeEventInput, 'type' | 'object'>): string | null {
  if (event.type.startsWith('customer.subscription.'))
    return readSubscription(event.object)?.id ?? null;
  if (event.type.startsWith('invoice.')) return readInvoice(event.object)?.subscriptionId ?? null;
  if (event.type.startsWith('checkout.session.')) {
    const session = readCheckoutSession(event.object);
    return session?.mode === 'subscription' ? session.subscription : null;
  }
  return null;
}

export function isKnownStripeEvent(db: DbOrTx, id: string): boolean {
  return !!db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, id))
    .get();
}

export function handleStripeEvent(
  db: DbOrTx,
  event: StripeEventInput,
  options: HandleOptions,
): HandleResult {
  return db.transaction((tx) => {
    const inserted = tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        created: new Date(event.created * 1000),
        receivedAt: options.now,
        outcome: 'ignored',
        error: null,
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id })
      .get();
    if (!inserted) {
      const seen = tx
        .select({ outcome: stripeEvents.outcome })
        .from(stripeEvents)
        .where(eq(stripeEvents.id, event.id))
        .get();
      return { duplicate: true, outcome: seen?.outcome ?? 'ignored' };
    }
    const effect = dispatch(tx, event, options);
    tx.update(stripeEvents)
      .set({ outcome: effect.outcome, error: effect.note ?? null })
      .where(eq(stripeEvents.id, event.id))
      .run();
    return { duplicate: false, ...effect };
  }, IMMEDIATE);
}

function dispatch(tx: DbOrTx, event: StripeEventInput, options: HandleOptions): Effect {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutPaid(tx, event, options);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'invoice.payment_failed':
      return paymentFailed(tx, event, options);
    case 'invoice.paid':
      return invoicePaid(tx, event, options);
    case 'charge.refunded':
      return chargeRefunded(tx, event, options);
    default:
      return ignored(`not handled: ${event.type}`);
  }
}

/** The subscription's state as any change, then the member is told (once per invoice). */
function paymentFailed(tx: DbOrTx, event: StripeEventInput, options: HandleOptions): Effect {
  const effect = subscriptionChanged(tx, event, options, null);
  const invoice = readInvoice(event.object);
  if (!invoice) return effect;
  const told = noticePaymentFailed(tx, {
    invoiceId: invoice.id,
    subscriptionId: invoice.subscriptionId,
    baseUrl: options.baseUrl ?? 'http://localhost:3000',
    now: options.now,
  });
  return paymentFailedEffect(effect, told);
}

function subscriptionChanged(
  tx: DbOrTx,
  event: StripeEventInput,
  options: HandleOptions,
  userId: string | null,
): Effect {
  const found = stateFor(event, options);
  if (!found) return ignored('the subscription could not be read or retrieved');
  const result = applySubscriptionState(tx, {
    state: found.state,
    stateAt: found.at,
    userId,
    graceDays: options.graceDays,
    now: options.now,
  });
  if (!result.applied) return ignored(result.reason);
  return { outcome: 'applied', note: subscriptionNote(found.state, result.accessUntil) };
}

/** The Tessera user a Checkout Session was opened for (client_reference_id), if it exists. */
function sessionUser(tx: DbOrTx, session: CheckoutSession): string | null {
  const id = session.client_reference_id ?? session.metadata.user ?? null;
  if (!id) return null;
  return tx.select({ id: users.id }).from(users).where(eq(users.id, id)).get()?.id ?? null;
}

function checkoutPaid(tx: DbOrTx, event: StripeEventInput, options: HandleOptions): Effect {
  const session = readCheckoutSession(event.object);
  if (!session) return ignored('not a Checkout Session');
  const userId = sessionUser(tx, session);
  if (!userId) return ignored('no Tessera user on the session (client_reference_id)');
  if (session.mode === 'subscription') {
    // The retrieved subscription is the truth; the session only says whose it is. Without it
    // nothing can be applied yet: fail, so Stripe redelivers once Stripe can be reached again.
    if (!options.fresh) throw new Error(`could not retrieve subscription ${session.subscription}`);
    return subscriptionChanged(tx, event, options, userId);
  }
  // Payment mode: wait for the money (async methods complete later with their own event).
  if (session.payment_status !== 'paid') return ignored(`payment ${session.payment_status}`);
  if (session.metadata.pack) return packPaid(tx, session, userId, options);
  if (session.metadata.plan) return fixedTermPlanPaid(tx, session, userId, options);
  return ignored('the session names neither a plan nor a pack');
}

/** Records the payment once; false when it was recorded before (its effects happened then). */
function recordPayment(tx: DbOrTx, payment: typeof payments.$inferInsert): boolean {
  return !!tx
    .insert(payments)
    .values(payment)
    .onConflictDoNothing()
    .returning({ id: payments.id })
    .get();
}

function packPaid(
  tx: DbOrTx,
  session: CheckoutSession,
  userId: string,
  options: HandleOptions,
): Effect {
  const pack = tx
    .select()
    .from(creditPacks)
    .where(eq(creditPacks.id, session.metadata.pack!))
    .get();
  if (!pack) return ignored(`unknown pack ${session.metadata.pack}`);
  const fresh = recordPayment(tx, {
    id: session.id,
    userId,
    kind: 'pack',
    tenantId: PLATFORM_TENANT_ID, // packs are the platform's to sell
    packId: pack.id,
    paymentIntentId: session.payment_intent,
    amountMinor: session.amount_total ?? pack.priceMinor,
    currency: session.currency ?? pack.currency,
    credits: pack.credits,
    paidAt: options.now,
  });
  if (!fresh) return ignored('this payment was applied before');
  grantPurchasedCredits(tx, {
    userId,
    amount: pack.credits,
    idempotencyKey: `pack:${session.id}`,
    reason: pack.name,
    actorUserId: null,
    actorLabel: 'stripe',
    now: options.now,
  });
  return { outcome: 'applied', note: `${pack.credits} purchased credits` };
}

function fixedTermPlanPaid(
  tx: DbOrTx,
  session: CheckoutSession,
  userId: string,
  options: HandleOptions,
): Effect {
  const plan = tx.select().from(plans).where(eq(plans.key, session.metadata.plan!)).get();
  if (!plan) return ignored(`unknown plan ${session.metadata.plan}`);
  const fresh = recordPayment(tx, {
    id: session.id,
    userId,
    kind: 'plan',
    tenantId: plan.tenantId,
    planId: plan.id,
    paymentIntentId: session.payment_intent,
    amountMinor: session.amount_total ?? plan.priceMinor,
    currency: session.currency ?? plan.currency,
    paidAt: options.now,
  });
  if (!fresh) return ignored('this payment was applied before');
  grantMark(tx, {
    userId,
    markId: plan.markId,
    days: planTermDays(plan),
    source: 'stripe',
    reference: session.id,
    actorUserId: null,
    actorLabel: 'stripe',
    reason: `bought ${plan.name}`,
    now: options.now,
  });
  return { outcome: 'applied', note: `${plan.key} for ${planTermDays(plan) ?? '∞'} days` };
}

function invoicePaid(tx: DbOrTx, event: StripeEventInput, options: HandleOptions): Effect {
  const invoice = readInvoice(event.object);
  if (!invoice?.subscriptionId) return ignored('not a subscription invoice');
  // A renewal moves the end forward: apply the subscription's state first (retrieved, so this and
  // the Checkout event of the same period set the same end — one grant, not two).
  const effect = subscriptionChanged(tx, event, options, null);
  const sub = tx
    .select()
    .from(stripeSubscriptions)
    .where(eq(stripeSubscriptions.id, invoice.subscriptionId))
    .get();
  // Whose invoice this is comes from the subscription's row, written by its Checkout event; until
  // that arrives the payment cannot be attributed: fail, so Stripe delivers it again later.
  if (!sub)
    throw new Error(`invoice ${invoice.id} of unknown subscription ${invoice.subscriptionId}`);
  const recorded = recordPayment(tx, invoicePaymentOf(invoice, sub));
  return invoicePaidEffect(effect, recorded);
}

function chargeRefunded(tx: DbOrTx, event: StripeEventInput, options: HandleOptions): Effect {
  const charge = readCharge(event.object);
  if (!charge?.payment_intent) return ignored('not a charge with a PaymentIntent');
  const payment = tx
    .select()
    .from(payments)
    .where(eq(payments.paymentIntentId, charge.payment_intent))
    .get();
  if (!payment) return ignored(`no payment for ${charge.payment_intent}`);
  const share = refundShare(payment, charge.amount_refunded);
  if (!share) return ignored('no new refund');
  const { refunded, target, ask } = share;
  tx.update(payments)
    .set({ refundedMinor: refunded, creditsTakenBack: target })
    .where(eq(payments.id, payment.id))
    .run();
  if (ask === 0) return { outcome: 'applied', note: `refund of ${refunded} recorded` };
  const taken = takeBackPurchasedCredits(tx, {
    userId: payment.userId,
    amount: ask,
    idempotencyKey: `refund:${charge.id}:${refunded}`,
    reason: `refund of ${payment.id}`,
    actorUserId: null,
    actorLabel: 'stripe',
    now: options.now,
  });
  const took = taken.applied ? -taken.delta : 0;
  return { outcome: 'applied', note: `took back ${took} of ${ask} credits (unspent only)` };
}

/**
 * What a refund newly takes back: the refunded total (capped at the amount paid), the share of the
 * payment's credits it stands for, and what is left to ask after earlier refunds. Null when the
 * refunded total did not grow (a redelivered or older refund event).
 */
export function refundShare(
  payment: Pick<Payment, 'amountMinor' | 'refundedMinor' | 'credits' | 'creditsTakenBack'>,
  amountRefunded: number,
): { refunded: number; target: number; ask: number } | null {
  const refunded = Math.min(amountRefunded, payment.amountMinor);
  if (refunded <= payment.refundedMinor) return null;
  // The share of the pack's credits the refunded share of its price stands for, less what
  // earlier refunds of it already asked back.
  const target =
    payment.amountMinor === 0
      ? payment.credits
      : Math.floor((payment.credits * refunded) / payment.amountMinor);
  return { refunded, target, ask: Math.max(0, target - payment.creditsTakenBack) };
}
