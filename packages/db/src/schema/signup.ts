// Email verification and sign-up invites (issue 14, docs/decisions/022-email-verification-and-signup-modes.md).
//
// Both carry a link whose secret is only ever in a mail: the table keeps its SHA-256, like
// password_reset_tokens. used_at NULL = not used yet; a link is consumed by one guarded UPDATE …
// WHERE used_at IS NULL AND expires_at > now. The sign-up mode itself (open / invite / closed) is
// the `signup_mode` row of app_meta.
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const emailVerificationTokens = sqliteTable(
  'email_verification_tokens',
  {
    id: text().primaryKey(),
    secretHash: blob({ mode: 'buffer' }).notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The address the link was mailed to: the link proves this address, not whatever the account
    // holds when it is opened.
    email: text().notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('email_verification_tokens_user_idx').on(t.userId)],
);
export type EmailVerificationToken = typeof emailVerificationTokens.$inferSelect;

export const signupInvites = sqliteTable(
  'signup_invites',
  {
    id: text().primaryKey(),
    secretHash: blob({ mode: 'buffer' }).notNull(),
    // Normalized (trimmed, lower-cased) like users.email.
    email: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Set when an account was created through the link; used_by NULL after that account is deleted.
    usedAt: integer({ mode: 'timestamp_ms' }),
    usedBy: text().references(() => users.id, { onDelete: 'set null' }),
    // Set when an admin withdrew the invite before it was used.
    revokedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    index('signup_invites_email_idx').on(t.email),
    index('signup_invites_created_idx').on(t.createdAt),
  ],
);
export type SignupInvite = typeof signupInvites.$inferSelect;
