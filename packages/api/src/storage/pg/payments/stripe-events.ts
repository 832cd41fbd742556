// Stripe events on PostgreSQL (decision 018): the event's record and its effects in one
// transaction, a redelivery a no-op, as handle-stripe-event.ts on SQLite. Handled here: one-off
// purchases (a credit pack, a fixed-term plan) and refunds; subscription events (Checkout in
// subscription mode, customer.subscription.*, invoice.*) in subscriptions.ts. An error rolls the
// whole event back, its record included, so the route answers 500 and Stripe delivers it again.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import {
  creditPacks,
  type PgDb,
  type PgTx,
  payments,
  plans,
  stripeEvents,
  users,
} from '@tessera/db/pg';
import { eq } from 'drizzle-orm';
import {
  type Effect,
  type HandleOptions,
  ignored,
  refundShare,
  type StripeEventInput,
} from '../../../domain/payments/handle-stripe-event.ts';
import {
  type CheckoutSession,
  readCharge,
  readCheckoutSession,
} from '../../../domain/payments/stripe-objects.ts';
import { planTermDays } from '../../../domain/plans/plan-input.ts';
import type { PaymentsStore } from '../../payments-store.ts';
import { withRetry } from '../retry.ts';
import { grantMarkPg, lockCreditAccount, movePurchasedCreditsPg } from './grants.ts';
import { recordPaymentPg } from './shared.ts';
import { invoicePaidPg, paymentFailedPg, subscriptionChangedPg } from './subscriptions.ts';

type EventMethods = Pick<PaymentsStore, 'isKnownStripeEvent' | 'handleStripeEvent'>;

async function packPaid(
  tx: PgTx,
  session: CheckoutSession,
  userId: string,
  options: HandleOptions,
): Promise<Effect> {
  const [pack] = await tx
    .select()
    .from(creditPacks)
    .where(eq(creditPacks.id, session.metadata.pack!));
  if (!pack) return ignored(`unknown pack ${session.metadata.pack}`);
  // The buyer's credits move below: their account is locked before anything is written (028).
  await lockCreditAccount(tx, userId);
  const fresh = await recordPaymentPg(tx, {
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
  await movePurchasedCreditsPg(tx, {
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

async function fixedTermPlanPaid(
  tx: PgTx,
  session: CheckoutSession,
  userId: string,
  options: HandleOptions,
): Promise<Effect> {
  const [plan] = await tx.select().from(plans).where(eq(plans.key, session.metadata.plan!));
  if (!plan) return ignored(`unknown plan ${session.metadata.plan}`);
  const fresh = await recordPaymentPg(tx, {
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
  await grantMarkPg(tx, {
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

async function checkoutPaid(
  tx: PgTx,
  event: StripeEventInput,
  options: HandleOptions,
): Promise<Effect> {
  const session = readCheckoutSession(event.object);
  if (!session) return ignored('not a Checkout Session');
  const id = session.client_reference_id ?? session.metadata.user ?? null;
  const [user] = id ? await tx.select({ id: users.id }).from(users).where(eq(users.id, id)) : [];
  if (!user) return ignored('no Tessera user on the session (client_reference_id)');
  if (session.mode === 'subscription') {
    // The retrieved subscription is the truth; the session only says whose it is. Without it
    // nothing can be applied yet: fail, so Stripe redelivers once Stripe can be reached again.
    if (!options.fresh) throw new Error(`could not retrieve subscription ${session.subscription}`);
    return subscriptionChangedPg(tx, event, options, user.id);
  }
  // Payment mode: wait for the money (async methods complete later with their own event).
  if (session.payment_status !== 'paid') return ignored(`payment ${session.payment_status}`);
  if (session.metadata.pack) return packPaid(tx, session, user.id, options);
  if (session.metadata.plan) return fixedTermPlanPaid(tx, session, user.id, options);
  return ignored('the session names neither a plan nor a pack');
}

async function chargeRefunded(
  tx: PgTx,
  event: StripeEventInput,
  options: HandleOptions,
): Promise<Effect> {
  const charge = readCharge(event.object);
  if (!charge?.payment_intent) return ignored('not a charge with a PaymentIntent');
  const [found] = await tx
    .select({ id: payments.id, userId: payments.userId })
    .from(payments)
    .where(eq(payments.paymentIntentId, charge.payment_intent))
    .limit(1);
  if (!found) return ignored(`no payment for ${charge.payment_intent}`);
  // The account first (028), then the payment row, read again under its lock: two refund events
  // of one charge queue here, and the second sees what the first took back.
  await lockCreditAccount(tx, found.userId);
  const [payment] = await tx.select().from(payments).where(eq(payments.id, found.id)).for('update');
  const share = refundShare(payment!, charge.amount_refunded);
  if (!share) return ignored('no new refund');
  await tx
    .update(payments)
    .set({ refundedMinor: share.refunded, creditsTakenBack: share.target })
    .where(eq(payments.id, found.id));
  if (share.ask === 0) return { outcome: 'applied', note: `refund of ${share.refunded} recorded` };
  const taken = await movePurchasedCreditsPg(
    tx,
    {
      userId: found.userId,
      amount: share.ask,
      idempotencyKey: `refund:${charge.id}:${share.refunded}`,
      reason: `refund of ${found.id}`,
      actorUserId: null,
      actorLabel: 'stripe',
      now: options.now,
    },
    { mode: 'takeBack' },
  );
  const took = taken.applied ? -taken.delta : 0;
  return { outcome: 'applied', note: `took back ${took} of ${share.ask} credits (unspent only)` };
}

function dispatch(tx: PgTx, event: StripeEventInput, options: HandleOptions): Promise<Effect> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutPaid(tx, event, options);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'invoice.payment_failed':
      return paymentFailedPg(tx, event, options);
    case 'invoice.paid':
      return invoicePaidPg(tx, event, options);
    case 'charge.refunded':
      return chargeRefunded(tx, event, options);
    default:
      return Promise.resolve(ignored(`not handled: ${event.type}`));
  }
}

export function createPgStripeEvents(db: PgDb): EventMethods {
  return {
    async isKnownStripeEvent(id) {
      const rows = await db
        .select({ id: stripeEvents.id })
        .from(stripeEvents)
        .where(eq(stripeEvents.id, id));
      return rows.length > 0;
    },

    async handleStripeEvent(event, options) {
      return withRetry(() =>
        db.transaction(async (tx) => {
          const inserted = await tx
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
            .returning({ id: stripeEvents.id });
          if (inserted.length === 0) {
            // A redelivery: the first delivery's transaction committed its row (a concurrent
            // one waited on the key and sees it now).
            const [seen] = await tx
              .select({ outcome: stripeEvents.outcome })
              .from(stripeEvents)
              .where(eq(stripeEvents.id, event.id));
            return { duplicate: true, outcome: seen?.outcome ?? 'ignored' };
          }
          const effect = await dispatch(tx, event, options);
          await tx
            .update(stripeEvents)
            .set({ outcome: effect.outcome, error: effect.note ?? null })
            .where(eq(stripeEvents.id, event.id));
          return { duplicate: false, ...effect };
        }),
      );
    },
  };
}
