// Accounts, sessions and sign-in throttling.
// Times are integer milliseconds since the epoch (drizzle `timestamp_ms`). NULL means "not set".
import { blob, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: text().primaryKey(),
  // Stored trimmed and lower-cased; the unique index makes sign-up races impossible.
  email: text().notNull().unique(),
  // argon2id PHC string (algorithm, parameters and salt inside).
  passwordHash: text().notNull(),
  displayName: text(),
  createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  // Set while an admin has disabled the account: no session, API key or sign-in works.
  // NULL = enabled.
  disabledAt: integer({ mode: 'timestamp_ms' }),
  disabledReason: text(),
  // The language mails to this user are written in (`en` or `zh-CN`), as last chosen in the SPA.
  // NULL = never chosen; mails fall back to the language of the request, else English.
  locale: text(),
  // When the address was proven to be the user's (a verification link, or an SSO issuer that
  // vouches for it). NULL = not verified: no trial, trial code or checkout until it is.
  emailVerifiedAt: integer({ mode: 'timestamp_ms' }),
  // When the user deleted the account (decision 025). The row stays, anonymised, because the
  // ledger and audit rows refer to it; the email becomes `deleted-<id>@invalid`, free for a new
  // sign-up. NULL = not deleted.
  deletedAt: integer({ mode: 'timestamp_ms' }),
});
export type User = typeof users.$inferSelect;

// A session token is `<id>.<secret>`; only the SHA-256 of the secret is stored, so a leaked
// database cannot be replayed as cookies.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text().primaryKey(),
    secretHash: blob({ mode: 'buffer' }).notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Sliding inactivity window: refreshed at most once per refresh interval.
    lastSeenAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Absolute end of life, fixed at creation; activity never extends it.
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;

// Token buckets for failed sign-ins, keyed `account:<email>` or `ip:<address>`.
// `tokens` is fractional because buckets refill continuously.
export const authThrottles = sqliteTable('auth_throttles', {
  key: text().primaryKey(),
  tokens: real().notNull(),
  updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
});
export type AuthThrottle = typeof authThrottles.$inferSelect;

// API keys for the OpenAI-compatible /v1 API. The key is `tsk_<id>_<secret>`, shown once; only
// the SHA-256 of the secret is stored. `revoked_at` NULL = usable. `last_used_at` is written at most
// once a minute per key.
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    secretHash: blob({ mode: 'buffer' }).notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer({ mode: 'timestamp_ms' }),
    revokedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('api_keys_user_idx').on(t.userId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

// Accounts at an outside identity provider (an OpenID Connect issuer, GitHub) linked to a user.
// A later sign-in finds its user by (provider, subject), never by email: an address can change
// hands at the provider, the subject cannot. `email` is what the provider said at linking time,
// kept for the Account page only.
export const userIdentities = sqliteTable(
  'user_identities',
  {
    // `oidc` or `github`.
    provider: text().notNull(),
    // The provider's stable id for the account (`sub` of the ID token, GitHub's numeric user id).
    subject: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    index('user_identities_user_idx').on(t.userId),
  ],
);
export type UserIdentity = typeof userIdentities.$inferSelect;
