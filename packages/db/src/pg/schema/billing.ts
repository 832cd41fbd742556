// PostgreSQL mirror of ../../schema/billing.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { paymentKinds, stripeEventOutcomes } from '../../schema/billing.ts';
import { users } from './auth.ts';
import { int, timestampMs } from './columns.ts';

export const creditPacks = pgTable(
  'credit_packs',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    credits: int().notNull(),
    priceMinor: int().notNull(),
    currency: text().notNull(),
    stripePriceId: text(),
    active: boolean().notNull().default(true),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    check('credit_packs_credits_check', sql`${t.credits} > 0`),
    check('credit_packs_price_check', sql`${t.priceMinor} >= 0`),
  ],
);

export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: text().primaryKey(),
    type: text().notNull(),
    created: timestampMs().notNull(),
    receivedAt: timestampMs().notNull(),
    outcome: text({ enum: stripeEventOutcomes }).notNull(),
    error: text(),
  },
  (t) => [
    index('stripe_events_received_idx').on(t.receivedAt, t.id),
    check('stripe_events_outcome_check', sql`${t.outcome} in ('ignored', 'applied', 'failed')`),
  ],
);

export const stripeSubscriptions = pgTable(
  'stripe_subscriptions',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: text().notNull(),
    markId: text().notNull(),
    tenantId: text().notNull(),
    customerId: text(),
    status: text().notNull(),
    currentPeriodStart: timestampMs().notNull(),
    currentPeriodEnd: timestampMs().notNull(),
    cancelAtPeriodEnd: boolean().notNull().default(false),
    accessUntil: timestampMs().notNull(),
    endedAt: timestampMs(),
    notice: text(),
    stateAt: timestampMs().notNull(),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    index('stripe_subscriptions_user_idx').on(t.userId),
    index('stripe_subscriptions_plan_idx').on(t.planId, t.status),
  ],
);

export const payments = pgTable(
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
    paymentIntentId: text(),
    amountMinor: int().notNull(),
    currency: text().notNull(),
    refundedMinor: int().notNull().default(0),
    credits: int().notNull().default(0),
    creditsTakenBack: int().notNull().default(0),
    paidAt: timestampMs().notNull(),
  },
  (t) => [
    index('payments_paid_idx').on(t.paidAt),
    index('payments_tenant_paid_idx').on(t.tenantId, t.paidAt),
    index('payments_intent_idx').on(t.paymentIntentId),
    check('payments_amount_check', sql`${t.amountMinor} >= 0 and ${t.refundedMinor} >= 0`),
    check('payments_kind_check', sql`${t.kind} in ('subscription', 'plan', 'pack')`),
  ],
);

export const billingCustomers = pgTable('billing_customers', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  stripeCustomerId: text().notNull().unique(),
  createdAt: timestampMs().notNull(),
});
