// PostgreSQL mirror of ../../schema/signup.ts (units and NULL meanings are documented there).
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { bytea, timestampMs } from './columns.ts';

export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    createdAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
    usedAt: timestampMs(),
  },
  (t) => [index('email_verification_tokens_user_idx').on(t.userId)],
);

export const signupInvites = pgTable(
  'signup_invites',
  {
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    email: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
    usedAt: timestampMs(),
    usedBy: text().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestampMs(),
  },
  (t) => [
    index('signup_invites_email_idx').on(t.email),
    index('signup_invites_created_idx').on(t.createdAt),
  ],
);
