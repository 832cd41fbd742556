// PostgreSQL mirror of ../../schema/two-factor.ts (units and NULL meanings are documented there).
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { bytea, int, timestampMs } from './columns.ts';

export const userTotp = pgTable('user_totp', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretBox: bytea().notNull(),
  createdAt: timestampMs().notNull(),
  enabledAt: timestampMs(),
  lastUsedStep: int(),
});

export const twoFactorRecoveryCodes = pgTable(
  'two_factor_recovery_codes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: bytea().notNull(),
    createdAt: timestampMs().notNull(),
    usedAt: timestampMs(),
  },
  (t) => [index('two_factor_recovery_codes_user_idx').on(t.userId)],
);

export const twoFactorChallenges = pgTable(
  'two_factor_challenges',
  {
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    method: text().notNull(),
    createdAt: timestampMs().notNull(),
    expiresAt: timestampMs().notNull(),
    usedAt: timestampMs(),
  },
  (t) => [index('two_factor_challenges_user_idx').on(t.userId)],
);
