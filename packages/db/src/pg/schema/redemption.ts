// PostgreSQL mirror of ../../schema/redemption.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { bytea, int, timestampMs } from './columns.ts';
import { marks, plans } from './membership.ts';
import { tenants } from './tenancy.ts';

export const redemptionBatches = pgTable(
  'redemption_batches',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    planId: text().references(() => plans.id, { onDelete: 'restrict' }),
    markId: text().references(() => marks.id, { onDelete: 'restrict' }),
    days: int(),
    credits: int(),
    count: int().notNull(),
    note: text(),
    expiresAt: timestampMs(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    index('redemption_batches_created_idx').on(t.createdAt),
    check(
      'redemption_batches_grant_check',
      sql`(${t.planId} is not null and ${t.markId} is not null and ${t.days} between 1 and 36500 and ${t.credits} is null)
        or (${t.planId} is null and ${t.markId} is null and ${t.days} is null and ${t.credits} > 0)`,
    ),
    check('redemption_batches_count_check', sql`${t.count} between 1 and 10000`),
  ],
);

export const redemptionCodes = pgTable(
  'redemption_codes',
  {
    id: text().primaryKey(),
    batchId: text()
      .notNull()
      .references(() => redemptionBatches.id, { onDelete: 'cascade' }),
    codeHash: bytea().notNull().unique(),
    hint: text().notNull(),
    redeemedBy: text().references(() => users.id, { onDelete: 'set null' }),
    redeemedAt: timestampMs(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    index('redemption_codes_batch_idx').on(t.batchId),
    check(
      'redemption_codes_redeemed_check',
      sql`${t.redeemedBy} is null or ${t.redeemedAt} is not null`,
    ),
  ],
);
