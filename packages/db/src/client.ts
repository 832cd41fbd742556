import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.ts';

/** The Drizzle database; `$client` is the raw connection (prepared statements on hot paths). */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The argument of `db.transaction`'s callback; domain code accepts either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
/** The raw better-sqlite3 connection. */
export type Sqlite = Database.Database;

export interface DbHandle {
  db: Db;
  /** The raw driver, for pragmas, checkpoints and benchmarks. */
  sqlite: Database.Database;
  close(): void;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Opens (creating if needed) one SQLite file. Nothing is opened at import time, so tests and the
 * CLI choose their own file. WAL lets readers run beside the single writer; the busy timeout lets
 * a second process (the CLI, another server) wait for the write lock instead of failing.
 */
export function createDb(path: string, options: { busyTimeoutMs?: number } = {}): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // Durable at every checkpoint; with WAL this loses at most the last transactions on power loss,
  // never consistency.
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
  return { db, sqlite, close: () => sqlite.close() };
}

/** Applies every committed migration that has not run yet. Safe to call at every start. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
