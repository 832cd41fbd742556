// Credits: integer amounts, never floats. `balance` always equals the sum of the user's ledger
// deltas; `reserved` is the sum of their open reservations; available = balance − reserved ≥ 0 is
// a CHECK, so no code path can overspend, whatever it does.
//
// Two pots (decision 015): `purchased` is the part of `balance` that was bought, redeemed or
// granted as purchased; the rest, `balance − purchased`, is the plan allowance that refills reset
// or top up. The allowance is never stored, so the two can never disagree; 0 ≤ purchased ≤ balance
// is a CHECK.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const creditAccounts = sqliteTable(
  'credit_accounts',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    balance: integer().notNull().default(0),
    reserved: integer().notNull().default(0),
    purchased: integer().notNull().default(0),
    // Personal caps a user sets below what the plan allows. NULL = no personal cap.
    dailyRequestCap: integer(),
    monthlyCreditCap: integer(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
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
export type CreditAccount = typeof creditAccounts.$inferSelect;

export const ledgerKinds = [
  'refill',
  'adjust',
  'set',
  'charge',
  'purchase',
  'refund',
  'lapse',
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/** Which pot a ledger row moved: the plan allowance or purchased credits. */
export const creditPots = ['allowance', 'purchased'] as const;
export type CreditPot = (typeof creditPots)[number];

// Append-only. `idempotency_key` is unique: a retried refill, webhook or settlement is a no-op.
// Clustered by user, WITHOUT ROWID (migration 0010; drizzle-kit cannot say it, a generated
// migration that recreates this table must add it back): a user's rows are one range of the
// primary key, so writing a row touches that B-tree and the unique key's, not also a separate
// per-user index. `id` counts per user (the user's last id + 1, taken under the write lock), so
// (user_id, id) orders a user's ledger; ids of different users are unrelated.
export const creditLedger = sqliteTable(
  'credit_ledger',
  {
    id: integer().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    delta: integer().notNull(),
    balanceAfter: integer().notNull(),
    kind: text({ enum: ledgerKinds }).notNull(),
    // No CHECK here: adding one would rebuild this (large, WITHOUT ROWID) table; only the domain
    // functions write it, with one of `creditPots`.
    pot: text({ enum: creditPots }).notNull().default('allowance'),
    idempotencyKey: text().notNull().unique(),
    // e.g. the mark a refill came from, the request a charge settled, an admin's reason.
    reference: text(),
    actorUserId: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    // A user's last credit (refill, purchase, grant): where a "credits low" occurrence begins
    // (decision 025). Partial: charges (delta ≤ 0), the hot path's writes, never touch it.
    index('credit_ledger_credits_idx').on(t.userId, t.id).where(sql`${t.delta} > 0`),
  ],
);
export type LedgerEntry = typeof creditLedger.$inferSelect;

export const reservationStatuses = ['open', 'settled', 'released'] as const;

// A worst-case hold taken before calling a model, settled exactly once with the real cost.
// `id` is the client's request id, so a reconnect finds the same reservation instead of a new one.
// WITHOUT ROWID (migration 0008, by hand: drizzle-kit cannot say it), so a new reservation is one
// B-tree insert, not a row plus an autoindex entry. A generated migration that recreates this
// table must add `WITHOUT ROWID` back.
export const creditReservations = sqliteTable(
  'credit_reservations',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: integer().notNull(),
    status: text({ enum: reservationStatuses }).notNull(),
    // What was finally charged (≤ amount); NULL while open.
    charged: integer(),
    // The server instance holding it open (`host:pid:random`, INSTANCE_ID), which renews
    // `lease_until` while the answer runs (docs/decisions/030). Informational for people reading
    // the table; what decides abandonment is the lease, never whether a pid exists.
    holder: text(),
    // Epoch ms until which the holder vouches for it; renewed every lease/3. Past it, any
    // instance releases the reservation (charging nothing). NULL only on rows admitted before
    // leases existed: those are released once older than the 15-minute limit.
    leaseUntil: integer(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    settledAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    // Only open reservations are ever looked up by age (the start-up sweep); a partial index keeps
    // settled ones out of it, so settling is one index delete rather than a move.
    index('credit_reservations_open_idx').on(t.createdAt).where(sql`${t.status} = 'open'`),
    check(
      'credit_reservations_amount_check',
      sql`${t.amount} >= 0 and coalesce(${t.charged}, 0) between 0 and ${t.amount}`,
    ),
  ],
);
export type CreditReservation = typeof creditReservations.$inferSelect;

export const refillTriggers = ['scheduled', 'admin', 'cli'] as const;

// One row per batch refill run (scheduled, an admin's "run now", the CLI).
export const refillRuns = sqliteTable('refill_runs', {
  // INTEGER PRIMARY KEY without AUTOINCREMENT: ids still only grow in an append-only table, and no
  // sqlite_sequence row is rewritten on every insert.
  id: integer().primaryKey(),
  trigger: text({ enum: refillTriggers }).notNull(),
  actorUserId: text(),
  startedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  finishedAt: integer({ mode: 'timestamp_ms' }),
  usersScanned: integer().notNull().default(0),
  usersRefilled: integer().notNull().default(0),
  creditsGranted: integer().notNull().default(0),
  error: text(),
});
export type RefillRun = typeof refillRuns.$inferSelect;

// OpenAI-compatible endpoints configured by admins (besides OPENAI_BASE_URL from the environment).
// `api_key` is a secret: it is never returned by any API, only used to call the endpoint.
export const providers = sqliteTable('providers', {
  id: text().primaryKey(),
  name: text().notNull(),
  baseUrl: text().notNull(),
  apiKey: text(),
  active: integer({ mode: 'boolean' }).notNull().default(true),
  createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
});
export type Provider = typeof providers.$inferSelect;

// Priced models. Prices are credits per 1,000,000 tokens. A model without a price row cannot be
// admitted at all (never free by omission). Providers are wired by the chat issue.
export const models = sqliteTable(
  'models',
  {
    id: text().primaryKey(),
    displayName: text().notNull(),
    inputPricePerMillion: integer().notNull(),
    outputPricePerMillion: integer().notNull(),
    // NULL = the built-in demo provider; `openai` = the environment's endpoint; else a providers row.
    providerId: text(),
    // The model's name at the provider, when it differs from our id (e.g. `gpt-4o-mini`).
    upstreamModel: text(),
    // Accepts image content parts (docs/decisions/026); a prompt with images to a model without
    // it is refused before anything is written.
    vision: integer({ mode: 'boolean' }).notNull().default(false),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check(
      'models_price_check',
      sql`${t.inputPricePerMillion} >= 0 and ${t.outputPricePerMillion} >= 0`,
    ),
  ],
);
export type Model = typeof models.$inferSelect;
