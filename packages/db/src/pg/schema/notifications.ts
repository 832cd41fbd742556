// PostgreSQL mirror of ../../schema/notifications.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { DEFAULT_CREDITS_LOW_THRESHOLD, notificationKinds } from '../../schema/notifications.ts';
import { users } from './auth.ts';
import { int, timestampMs } from './columns.ts';

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    creditsLow: boolean().notNull().default(true),
    creditsLowThreshold: int().notNull().default(DEFAULT_CREDITS_LOW_THRESHOLD),
    membershipEnding: boolean().notNull().default(true),
    trialEnding: boolean().notNull().default(true),
    paymentFailed: boolean().notNull().default(true),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [check('notification_preferences_threshold', sql`${t.creditsLowThreshold} >= 0`)],
);

export const notifications = pgTable(
  'notifications',
  {
    key: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: notificationKinds }).notNull(),
    mailId: text(),
    data: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);
