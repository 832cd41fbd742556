// Payments: credit packs the platform sells, and the log of Stripe webhook events.
//
// Money is integer minor units (cents) with a lowercase ISO currency; credits are integer credits.
// Times are integer milliseconds. credit_packs.stripe_price_id NULL = not sold through Stripe yet.
// stripe_events.error: what the handler did, or why it did nothing (NULL = nothing to say).
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const creditPacks = sqliteTable(
  'credit_packs',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    credits: integer().notNull(),
    priceMinor: integer().notNull(),
    currency: text().notNull(),
    stripePriceId: text(),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check('credit_packs_credits_check', sql`${t.credits} > 0`),
    check('credit_packs_price_check', sql`${t.priceMinor} >= 0`),
  ],
);
export type CreditPack = typeof creditPacks.$inferSelect;

export const stripeEventOutcomes = ['ignored', 'applied', 'failed'] as const;
export type StripeEventOutcome = (typeof stripeEventOutcomes)[number];

// One row per Stripe event id, written in the same transaction as the event's effects: the primary
// key turns every redelivery into a no-op (docs/decisions/014-stripe-webhooks.md).
export const stripeEvents = sqliteTable(
  'stripe_events',
  {
    // Stripe's event id (`evt_…`).
    id: text().primaryKey(),
    type: text().notNull(),
    // When Stripe created the event (its `created`, seconds, stored as ms): orders events of one
    // object when no fresher state can be retrieved.
    created: integer({ mode: 'timestamp_ms' }).notNull(),
    receivedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    outcome: text({ enum: stripeEventOutcomes }).notNull(),
    error: text(),
  },
  (t) => [
    index('stripe_events_received_idx').on(t.receivedAt, t.id),
    check('stripe_events_outcome_check', sql`${t.outcome} in ('ignored', 'applied', 'failed')`),
  ],
);
export type StripeEvent = typeof stripeEvents.$inferSelect;

// A Stripe subscription as Tessera last applied it (decision 018). `state_at` orders states: a
// state retrieved from Stripe counts as of when it was retrieved, one taken from an event payload
// as of the event's `created`; an older state never overwrites a newer one, and once `ended_at`
// is set (Stripe deleted or ended it) nothing re-opens it.
export const stripeSubscriptions = sqliteTable(
  'stripe_subscriptions',
  {
    // Stripe's subscription id (`sub_…`).
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: text().notNull(),
    markId: text().notNull(),
    tenantId: text().notNull(),
    customerId: text(),
    // Stripe's status: trialing, active, past_due, unpaid, canceled, incomplete, …
    status: text().notNull(),
    currentPeriodStart: integer({ mode: 'timestamp_ms' }).notNull(),
    currentPeriodEnd: integer({ mode: 'timestamp_ms' }).notNull(),
    cancelAtPeriodEnd: integer({ mode: 'boolean' }).notNull().default(false),
    // When access through it ends: the period end plus grace, or sooner (see apply-subscription).
    accessUntil: integer({ mode: 'timestamp_ms' }).notNull(),
    endedAt: integer({ mode: 'timestamp_ms' }),
    // Why the member's access is at risk or ended, shown to them (`payment_failed`, `canceled`).
    notice: text(),
    stateAt: integer({ mode: 'timestamp_ms' }).notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('stripe_subscriptions_user_idx').on(t.userId),
    index('stripe_subscriptions_plan_idx').on(t.planId, t.status),
  ],
);
export type StripeSubscription = typeof stripeSubscriptions.$inferSelect;

export const paymentKinds = ['subscription', 'plan', 'pack'] as const;
export type PaymentKind = (typeof paymentKinds)[number];

// Money received through Stripe, one row per paid invoice (subscriptions) or paid Checkout
// Session (fixed-term plans, credit packs): what the revenue views add up. The id is Stripe's
// (`in_…`, `cs_…`), so an invoice or session is counted once however often its events arrive.
export const payments = sqliteTable(
  'payments',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: paymentKinds }).notNull(),
    tenantId: text().notNull(),
    planId: text(),
    packId: text(),
    subscriptionId: text(),
    // The PaymentIntent (or charge) Stripe refunds against: `charge.refunded` finds the row by it.
    paymentIntentId: text(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    refundedMinor: integer().notNull().default(0),
    // Purchased credits this payment granted (packs), and how many a refund took back.
    credits: integer().notNull().default(0),
    creditsTakenBack: integer().notNull().default(0),
    paidAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('payments_paid_idx').on(t.paidAt),
    index('payments_tenant_paid_idx').on(t.tenantId, t.paidAt),
    index('payments_intent_idx').on(t.paymentIntentId),
    check('payments_amount_check', sql`${t.amountMinor} >= 0 and ${t.refundedMinor} >= 0`),
    check('payments_kind_check', sql`${t.kind} in ('subscription', 'plan', 'pack')`),
  ],
);
export type Payment = typeof payments.$inferSelect;

// One Stripe customer per user, created on the user's first Checkout or portal visit (decision
// 016). The primary key on the user and the unique customer id make two concurrent first
// checkouts end with one row: the loser's INSERT OR IGNORE finds the winner's.
export const billingCustomers = sqliteTable('billing_customers', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  // Stripe's customer id (`cus_…`).
  stripeCustomerId: text().notNull().unique(),
  createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
});
export type BillingCustomer = typeof billingCustomers.$inferSelect;
