// Redemption codes: the offline way to pay (issue 12, docs/decisions/017-redemption-codes.md).
// An admin generates a batch for a plan (its mark for N days) or for N purchased credits; a member
// redeems one code, once.
//
// Codes are bearer secrets, stored only as SHA-256 (`code_hash`, the normalised 16-character body)
// plus a 4-character `hint` for people; the full codes are shown once, when the batch is generated.
// Times are integer milliseconds; credits are integer credits.
// redemption_batches: exactly one of plan_id (with mark_id and days) and credits is set.
//   expires_at NULL = the codes never expire; created_by NULL = made from the CLI (see
//   created_by_label). redemption_codes.redeemed_at NULL = not redeemed yet (the guard);
//   redeemed_by NULL with redeemed_at set = redeemed by an account deleted since.
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { marks, plans } from './membership.ts';
import { tenants } from './tenancy.ts';

export const redemptionBatches = sqliteTable(
  'redemption_batches',
  {
    id: text().primaryKey(),
    // The tenant whose plan the codes grant (the platform for credit codes).
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    planId: text().references(() => plans.id, { onDelete: 'restrict' }),
    markId: text().references(() => marks.id, { onDelete: 'restrict' }),
    // Days of the mark each plan code grants.
    days: integer(),
    // Purchased credits each credit code grants.
    credits: integer(),
    count: integer().notNull(),
    note: text(),
    expiresAt: integer({ mode: 'timestamp_ms' }),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
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
export type RedemptionBatch = typeof redemptionBatches.$inferSelect;

export const redemptionCodes = sqliteTable(
  'redemption_codes',
  {
    id: text().primaryKey(),
    batchId: text()
      .notNull()
      .references(() => redemptionBatches.id, { onDelete: 'cascade' }),
    codeHash: blob({ mode: 'buffer' }).notNull().unique(),
    // The code's last four characters, so an admin can tell codes apart without holding them.
    hint: text().notNull(),
    redeemedBy: text().references(() => users.id, { onDelete: 'set null' }),
    redeemedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('redemption_codes_batch_idx').on(t.batchId),
    check(
      'redemption_codes_redeemed_check',
      sql`${t.redeemedBy} is null or ${t.redeemedAt} is not null`,
    ),
  ],
);
export type RedemptionCode = typeof redemptionCodes.$inferSelect;
