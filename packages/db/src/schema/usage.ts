// Request and token counters per user per calendar window.
// `period_start` is the window's first instant in ms (local midnight / first of the month in the
// platform time zone; minutes are plain UTC minutes). One row per (user, window, period); old rows
// are history (the Usage chart reads the `day` rows).
// WITHOUT ROWID (migration 0008, by hand: drizzle-kit cannot say it): the row lives in its key's
// B-tree. A generated migration that recreates this table must add `WITHOUT ROWID` back.
import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const usageWindows = ['minute', 'day', 'month'] as const;
export type UsageWindow = (typeof usageWindows)[number];

export const usageCounters = sqliteTable(
  'usage_counters',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    window: text({ enum: usageWindows }).notNull(),
    periodStart: integer().notNull(),
    requests: integer().notNull().default(0),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    // Credits actually charged in this window (for personal spending caps and the chart).
    credits: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.window, t.periodStart] }),
    check('usage_counters_nonnegative', sql`${t.requests} >= 0 and ${t.credits} >= 0`),
  ],
);
export type UsageCounter = typeof usageCounters.$inferSelect;
