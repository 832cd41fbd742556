// Second factor: TOTP secrets, recovery codes and the short-lived tokens between the password step
// and the code step of a sign-in (issue 14, docs/decisions/024-two-factor-totp.md).
// Times are integer milliseconds.
//
// user_totp: one row per user. `secret_box` is the TOTP key sealed with AES-256-GCM under a key
// derived from TWO_FACTOR_ENCRYPTION_KEY (never shown again after enrolment). enabled_at NULL =
// enrolment started but not confirmed with a code: it protects nothing yet. last_used_step is the
// 30-second time step of the last accepted code (NULL = none): a code is accepted only by a
// guarded UPDATE … WHERE last_used_step < step, so no code works twice.
//
// two_factor_recovery_codes: only the SHA-256 of each code; used_at NULL = still usable, consumed
// by a guarded UPDATE … WHERE used_at IS NULL.
//
// two_factor_challenges: the pending sign-in token issued after a correct password; only the
// SHA-256 of its secret is stored; used_at NULL = not used yet.
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const userTotp = sqliteTable('user_totp', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretBox: blob({ mode: 'buffer' }).notNull(),
  createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  enabledAt: integer({ mode: 'timestamp_ms' }),
  lastUsedStep: integer(),
});
export type UserTotp = typeof userTotp.$inferSelect;

export const twoFactorRecoveryCodes = sqliteTable(
  'two_factor_recovery_codes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: blob({ mode: 'buffer' }).notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('two_factor_recovery_codes_user_idx').on(t.userId)],
);
export type TwoFactorRecoveryCode = typeof twoFactorRecoveryCodes.$inferSelect;

export const twoFactorChallenges = sqliteTable(
  'two_factor_challenges',
  {
    id: text().primaryKey(),
    secretHash: blob({ mode: 'buffer' }).notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // How the first factor was proven (`password`, later an SSO provider), for the audit row.
    method: text().notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('two_factor_challenges_user_idx').on(t.userId)],
);
export type TwoFactorChallenge = typeof twoFactorChallenges.$inferSelect;
