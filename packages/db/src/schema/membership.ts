// Marks, plans, memberships, trials and the member-event outbox.
//
// Times are integer milliseconds (drizzle `timestamp_ms`). Money is integer minor units (cents).
// memberships.expires_at NULL = no end. Access is `expires_at IS NULL OR expires_at > now`, always;
// `status` is bookkeeping for people (a revoke also moves expires_at to the moment of revocation,
// so the one comparison covers it).
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { tenants } from './tenancy.ts';

/** Slugs (tenant and mark) are 1–48 of [a-z0-9-]; never `:`, so `vendor:slug` keys cannot collide. */
const slugCheck = (column: unknown) =>
  sql`length(${column}) between 1 and 48 and ${column} not glob '*[^a-z0-9-]*'`;

export const marks = sqliteTable(
  'marks',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    slug: text().notNull(),
    // Platform-wide unique: platform marks `pro`, vendor marks `acme:pro`.
    key: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull().default(''),
    // Validated by the one entitlements zod schema in packages/api before it is written.
    entitlements: text({ mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('marks_tenant_id_unique').on(t.tenantId, t.id),
    check('marks_slug_check', slugCheck(t.slug)),
  ],
);
export type Mark = typeof marks.$inferSelect;

export const planIntervals = ['month', 'year', 'once'] as const;
export type PlanInterval = (typeof planIntervals)[number];

export const plans = sqliteTable(
  'plans',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    markId: text().notNull(),
    // Stable handle for scripts and Stripe metadata (`plan:link pro-monthly price_…`). Same rule as
    // mark keys: platform plans use the bare slug, vendor plans `vendor:slug`; never changes.
    slug: text().notNull(),
    key: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull().default(''),
    priceMinor: integer().notNull(),
    currency: text().notNull(),
    interval: text({ enum: planIntervals }).notNull(),
    // Fixed-term plans: how long one purchase lasts. NULL = follows the interval (or no end for once).
    durationDays: integer(),
    trialDays: integer().notNull().default(0),
    // Team plans: how many members the buyer may add. NULL = not a team plan.
    seats: integer(),
    stripePriceId: text(),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    sortOrder: integer().notNull().default(0),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    // A plan grants a mark of its own tenant: enforced by the key, not by hope.
    foreignKey({
      columns: [t.tenantId, t.markId],
      foreignColumns: [marks.tenantId, marks.id],
    }).onDelete('restrict'),
    index('plans_tenant_idx').on(t.tenantId, t.sortOrder),
    check('plans_price_check', sql`${t.priceMinor} >= 0`),
    check('plans_interval_check', sql`${t.interval} in ('month', 'year', 'once')`),
    check('plans_trial_check', sql`${t.trialDays} >= 0`),
    check('plans_slug_check', slugCheck(t.slug)),
  ],
);
export type Plan = typeof plans.$inferSelect;

export const membershipStatuses = ['active', 'expired', 'revoked'] as const;
export const membershipSources = ['signup', 'admin', 'trial', 'redeem', 'stripe', 'seat'] as const;
export type MembershipStatus = (typeof membershipStatuses)[number];
export type MembershipSource = (typeof membershipSources)[number];

// One row per (user, mark): granting again re-opens or extends it; history is in audit_events.
export const memberships = sqliteTable(
  'memberships',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    markId: text()
      .notNull()
      .references(() => marks.id, { onDelete: 'cascade' }),
    startsAt: integer({ mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }),
    status: text({ enum: membershipStatuses }).notNull(),
    source: text({ enum: membershipSources }).notNull(),
    // What granted it: a plan id, a Stripe subscription, an admin's reason.
    reference: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('memberships_user_mark_unique').on(t.userId, t.markId),
    // Refill batches walk a mark's holders in user order.
    index('memberships_mark_user_idx').on(t.markId, t.userId),
    // The minute sweep looks for marks still `active` past their end; only those are indexed.
    index('memberships_active_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active' and ${t.expiresAt} is not null`),
    check('memberships_status_check', sql`${t.status} in ('active', 'expired', 'revoked')`),
  ],
);
export type Membership = typeof memberships.$inferSelect;

// A trial can be taken once per user per tenant, ever (one on the platform, one per vendor),
// whatever the number of marks or plans: the unique index is the guard.
export const trialRedemptions = sqliteTable(
  'trial_redemptions',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    markId: text()
      .notNull()
      .references(() => marks.id, { onDelete: 'cascade' }),
    planId: text().notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('trial_redemptions_user_tenant_unique').on(t.userId, t.tenantId)],
);

// The outbox: every change that can affect what a member may do is written here in the same
// transaction, and every server process tails it (see packages/api/src/events).
export const memberEvents = sqliteTable(
  'member_events',
  {
    // INTEGER PRIMARY KEY without AUTOINCREMENT: ids still only grow in an append-only table, and no
    // sqlite_sequence row is rewritten on every insert.
    id: integer().primaryKey(),
    userId: text().notNull(),
    kind: text().notNull(),
    markKey: text(),
    data: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('member_events_user_idx').on(t.userId, t.id)],
);
export type MemberEvent = typeof memberEvents.$inferSelect;

// Small key/value facts about this database (e.g. when the demo data was seeded).
export const appMeta = sqliteTable('app_meta', {
  key: text().primaryKey(),
  value: text().notNull(),
});
