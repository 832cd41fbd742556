// Payments: credit packs the platform sells, and the log of Stripe webhook events.
//
// Money is integer minor units (cents) with a lowercase ISO currency; credits are integer credits.
// Times are integer milliseconds. credit_packs.stripe_price_id NULL = not sold through Stripe yet.
// stripe_events.error NULL = handled without a fault.
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
