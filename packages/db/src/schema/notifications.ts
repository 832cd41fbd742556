// Notifications by mail (issue 14, docs/decisions/025-notifications-and-leaving.md).
//
// notification_preferences: one row per user who changed anything; no row = every kind on and the
// default threshold. Thresholds are integer credits (the allowance + purchased balance).
//
// notifications: one row per occurrence that was notified, keyed by what makes it that occurrence
// (`membership_ending:<membership id>:<ends at ms>`, `credits_low:<user>:<ledger position>`, …).
// It is inserted with ON CONFLICT DO NOTHING in the transaction that enqueues the mail, so a sweep
// that runs twice, two processes or a repeated condition send one mail. mail_id NULL is
// kept for rows written without a mail; a kind that is off writes no row, so an occurrence still
// pending when it is turned back on is sent then.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const notificationKinds = [
  'credits_low',
  'membership_ending',
  'trial_ending',
  'payment_failed',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Credits below which "credits low" is sent, until the user picks their own. */
export const DEFAULT_CREDITS_LOW_THRESHOLD = 100_000;

export const notificationPreferences = sqliteTable(
  'notification_preferences',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    creditsLow: integer({ mode: 'boolean' }).notNull().default(true),
    creditsLowThreshold: integer().notNull().default(DEFAULT_CREDITS_LOW_THRESHOLD),
    membershipEnding: integer({ mode: 'boolean' }).notNull().default(true),
    trialEnding: integer({ mode: 'boolean' }).notNull().default(true),
    paymentFailed: integer({ mode: 'boolean' }).notNull().default(true),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check('notification_preferences_threshold', sql`${t.creditsLowThreshold} >= 0`)],
);
export type NotificationPreferences = typeof notificationPreferences.$inferSelect;

export const notifications = sqliteTable(
  'notifications',
  {
    key: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: notificationKinds }).notNull(),
    mailId: text(),
    // What the mail said (amounts, mark names, dates), for the SPA's list.
    data: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);
export type Notification = typeof notifications.$inferSelect;
