// PostgreSQL mirror of ../../schema/auth.ts (units and NULL meanings are documented there).
import { doublePrecision, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bytea, timestampMs } from './columns.ts';

export const users = pgTable('users', {
  id: text().primaryKey(),
  email: text().notNull().unique(),
  passwordHash: text().notNull(),
  displayName: text(),
  createdAt: timestampMs().notNull(),
  disabledAt: timestampMs(),
  disabledReason: text(),
  locale: text(),
  emailVerifiedAt: timestampMs(),
  deletedAt: timestampMs(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestampMs().notNull(),
    lastSeenAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const authThrottles = pgTable('auth_throttles', {
  key: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  updatedAt: timestampMs().notNull(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    secretHash: bytea().notNull(),
    createdAt: timestampMs().notNull(),
    lastUsedAt: timestampMs(),
    revokedAt: timestampMs(),
  },
  (t) => [index('api_keys_user_idx').on(t.userId)],
);

export const userIdentities = pgTable(
  'user_identities',
  {
    provider: text().notNull(),
    subject: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    index('user_identities_user_idx').on(t.userId),
  ],
);
