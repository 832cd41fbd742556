// PostgreSQL mirror of ../../schema/membership.ts (units and NULL meanings are documented there).
// The auth-epoch triggers on these tables are hand-written SQL in the first migration
// (migrations-pg/0000_*.sql), as they are in SQLite's 0002.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { membershipSources, membershipStatuses, planIntervals } from '../../schema/membership.ts';
import { users } from './auth.ts';
import { int, slugCheck, timestampMs } from './columns.ts';
import { tenants } from './tenancy.ts';

export const marks = pgTable(
  'marks',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    slug: text().notNull(),
    key: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull().default(''),
    entitlements: jsonb().notNull().$type<Record<string, unknown>>(),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    // A unique constraint rather than SQLite's unique index: PostgreSQL needs it in place before the
    // composite foreign keys of plans and assistants, and drizzle-kit creates indexes after them.
    unique('marks_tenant_id_unique').on(t.tenantId, t.id),
    check('marks_slug_check', slugCheck(t.slug)),
  ],
);

export const plans = pgTable(
  'plans',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    markId: text().notNull(),
    slug: text().notNull(),
    key: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull().default(''),
    priceMinor: int().notNull(),
    currency: text().notNull(),
    interval: text({ enum: planIntervals }).notNull(),
    durationDays: int(),
    trialDays: int().notNull().default(0),
    seats: int(),
    stripePriceId: text(),
    active: boolean().notNull().default(true),
    sortOrder: int().notNull().default(0),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
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

export const memberships = pgTable(
  'memberships',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    markId: text()
      .notNull()
      .references(() => marks.id, { onDelete: 'cascade' }),
    startsAt: timestampMs().notNull(),
    expiresAt: timestampMs(),
    status: text({ enum: membershipStatuses }).notNull(),
    source: text({ enum: membershipSources }).notNull(),
    reference: text(),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    uniqueIndex('memberships_user_mark_unique').on(t.userId, t.markId),
    index('memberships_mark_user_idx').on(t.markId, t.userId),
    index('memberships_active_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active' and ${t.expiresAt} is not null`),
    check('memberships_status_check', sql`${t.status} in ('active', 'expired', 'revoked')`),
  ],
);

export const trialRedemptions = pgTable(
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
    createdAt: timestampMs().notNull(),
  },
  (t) => [uniqueIndex('trial_redemptions_user_tenant_unique').on(t.userId, t.tenantId)],
);

export const memberEvents = pgTable(
  'member_events',
  {
    id: int().primaryKey().generatedByDefaultAsIdentity(),
    userId: text().notNull(),
    kind: text().notNull(),
    markKey: text(),
    data: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [index('member_events_user_idx').on(t.userId, t.id)],
);

// Holds the `auth_epoch` row (seeded by the first migration, bumped by its triggers).
export const appMeta = pgTable('app_meta', {
  key: text().primaryKey(),
  value: text().notNull(),
});
