// PostgreSQL mirror of ../../schema/mail.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { bytea, int, timestampMs } from './columns.ts';

export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: text().primaryKey(),
    to: text().notNull(),
    locale: text().notNull(),
    template: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    status: text({ enum: ['queued', 'sent', 'failed', 'logged'] })
      .notNull()
      .default('queued'),
    attempts: int().notNull().default(0),
    nextAttemptAt: timestampMs().notNull(),
    lastError: text(),
    createdAt: timestampMs().notNull(),
    sentAt: timestampMs(),
  },
  (t) => [
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_created_idx').on(t.createdAt),
    check('mail_outbox_status', sql`${t.status} in ('queued', 'sent', 'failed', 'logged')`),
  ],
);

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
    usedAt: timestampMs(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);
