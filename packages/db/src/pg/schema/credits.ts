// PostgreSQL mirror of ../../schema/credits.ts (units, pots and invariants are documented there).
// SQLite's WITHOUT ROWID has no counterpart here: a PostgreSQL table is a heap plus its indexes.
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import {
  creditPots,
  ledgerKinds,
  refillTriggers,
  reservationStatuses,
} from '../../schema/credits.ts';
import { users } from './auth.ts';
import { int, timestampMs } from './columns.ts';

export const creditAccounts = pgTable(
  'credit_accounts',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    balance: int().notNull().default(0),
    reserved: int().notNull().default(0),
    purchased: int().notNull().default(0),
    dailyRequestCap: int(),
    monthlyCreditCap: int(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    check(
      'credit_accounts_reserved_check',
      sql`${t.reserved} >= 0 and ${t.balance} >= ${t.reserved}`,
    ),
    check(
      'credit_accounts_purchased_check',
      sql`${t.purchased} >= 0 and ${t.purchased} <= ${t.balance}`,
    ),
    check(
      'credit_accounts_caps_check',
      sql`coalesce(${t.dailyRequestCap}, 0) >= 0 and coalesce(${t.monthlyCreditCap}, 0) >= 0`,
    ),
  ],
);

// `id` comes from the sequence credit_ledger_id_seq (migrations-pg 0002, decision 028), never max + 1.
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: int().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    delta: int().notNull(),
    balanceAfter: int().notNull(),
    kind: text({ enum: ledgerKinds }).notNull(),
    pot: text({ enum: creditPots }).notNull().default('allowance'),
    idempotencyKey: text().notNull().unique(),
    reference: text(),
    actorUserId: text(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    index('credit_ledger_credits_idx').on(t.userId, t.id).where(sql`${t.delta} > 0`),
  ],
);

export const creditReservations = pgTable(
  'credit_reservations',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: int().notNull(),
    status: text({ enum: reservationStatuses }).notNull(),
    charged: int(),
    holder: text(),
    leaseUntil: int(),
    createdAt: timestampMs().notNull(),
    settledAt: timestampMs(),
  },
  (t) => [
    index('credit_reservations_open_idx').on(t.createdAt).where(sql`${t.status} = 'open'`),
    check(
      'credit_reservations_amount_check',
      sql`${t.amount} >= 0 and coalesce(${t.charged}, 0) between 0 and ${t.amount}`,
    ),
  ],
);

export const refillRuns = pgTable('refill_runs', {
  id: int().primaryKey().generatedByDefaultAsIdentity(),
  trigger: text({ enum: refillTriggers }).notNull(),
  actorUserId: text(),
  startedAt: timestampMs().notNull(),
  finishedAt: timestampMs(),
  usersScanned: int().notNull().default(0),
  usersRefilled: int().notNull().default(0),
  creditsGranted: int().notNull().default(0),
  error: text(),
});

export const providers = pgTable('providers', {
  id: text().primaryKey(),
  name: text().notNull(),
  baseUrl: text().notNull(),
  apiKey: text(),
  active: boolean().notNull().default(true),
  createdAt: timestampMs().notNull(),
  updatedAt: timestampMs().notNull(),
});

export const models = pgTable(
  'models',
  {
    id: text().primaryKey(),
    displayName: text().notNull(),
    inputPricePerMillion: int().notNull(),
    outputPricePerMillion: int().notNull(),
    providerId: text(),
    upstreamModel: text(),
    vision: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    check(
      'models_price_check',
      sql`${t.inputPricePerMillion} >= 0 and ${t.outputPricePerMillion} >= 0`,
    ),
  ],
);
