// PostgreSQL mirror of ../../schema/usage.ts (units and NULL meanings are documented there).
// `period_start` is a plain integer (ms), not a Date, exactly as in SQLite.
import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { usageWindows } from '../../schema/usage.ts';
import { users } from './auth.ts';
import { int } from './columns.ts';

export const usageCounters = pgTable(
  'usage_counters',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    window: text({ enum: usageWindows }).notNull(),
    periodStart: int().notNull(),
    requests: int().notNull().default(0),
    inputTokens: int().notNull().default(0),
    outputTokens: int().notNull().default(0),
    credits: int().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.window, t.periodStart] }),
    check('usage_counters_nonnegative', sql`${t.requests} >= 0 and ${t.credits} >= 0`),
  ],
);
