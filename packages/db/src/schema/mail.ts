// Outgoing mail and password-reset links (issue 14, docs/decisions/021-mail-and-password-reset.md).
//
// mail_outbox is a durable queue: a mail is inserted in the transaction of the change that causes
// it, and the server's sender loop delivers it later (SMTP), so sending never blocks a request.
// Times are integer milliseconds. status: `queued` (waiting for next_attempt_at), `sent`, `failed`
// (gave up after the attempt limit; last_error says why), or `logged` (no SMTP_URL: kept here as a
// development outbox that platform admins read, nothing left the machine). sent_at NULL = not
// delivered (yet); last_error NULL = no attempt has failed.
//
// password_reset_tokens: only the SHA-256 of the link's secret is stored. used_at NULL = not used
// yet; a token is consumed by one guarded UPDATE … WHERE used_at IS NULL AND expires_at > now.
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text().primaryKey(),
    to: text().notNull(),
    // `en` or `zh-CN`: the language the mail was written in.
    locale: text().notNull(),
    // Which template produced it, e.g. `password_reset`.
    template: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    status: text({ enum: ['queued', 'sent', 'failed', 'logged'] })
      .notNull()
      .default('queued'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: 'timestamp_ms' }).notNull(),
    lastError: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    sentAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_created_idx').on(t.createdAt),
    check('mail_outbox_status', sql`${t.status} in ('queued', 'sent', 'failed', 'logged')`),
  ],
);
export type MailOutboxRow = typeof mailOutbox.$inferSelect;

export const passwordResetTokens = sqliteTable(
  'password_reset_tokens',
  {
    id: text().primaryKey(),
    // SHA-256 of the secret in the link; the secret itself is only ever in the mail.
    secretHash: blob({ mode: 'buffer' }).notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);
export type PasswordResetToken = typeof passwordResetTokens.$inferSelect;
