import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import {
  type BackgroundCheckpointOptions,
  type BackgroundCheckpoints,
  startBackgroundCheckpoints,
} from './checkpoints.ts';
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
  /** Background WAL checkpoints of this handle (null for `:memory:` or when turned off). */
  checkpoints: Pick<BackgroundCheckpoints, 'stats' | 'drained'> | null;
  close(): void;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Opens (creating if needed) one SQLite file. Nothing is opened at import time, so tests and the
 * CLI choose their own file. WAL lets readers run beside the single writer; the busy timeout lets
 * a second process (the CLI, another server) wait for the write lock instead of failing. Once the
 * WAL of a file grows (the file is really written to), a worker thread checkpoints it, so no
 * commit waits for the disk (checkpoints.ts); `backgroundCheckpoints: false` keeps SQLite's own
 * checkpoints in the committing thread.
 */
export function createDb(
  path: string,
  options: {
    busyTimeoutMs?: number;
    backgroundCheckpoints?: boolean | BackgroundCheckpointOptions;
  } = {},
): DbHandle {
  const file = path !== ':memory:';
  if (file) mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const sqlite = new Database(path, { timeout: busyTimeoutMs });
  if (file) switchToWal(sqlite, busyTimeoutMs);
  sqlite.pragma('foreign_keys = ON');
  // Durable at every checkpoint; with WAL this loses at most the last transactions on power loss,
  // never consistency.
  sqlite.pragma('synchronous = NORMAL');
  const checkpoints =
    file && options.backgroundCheckpoints !== false
      ? startBackgroundCheckpoints(
          path,
          sqlite,
          options.backgroundCheckpoints === true ? {} : options.backgroundCheckpoints,
        )
      : null;
  const db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
  return {
    db,
    sqlite,
    checkpoints,
    close: () => {
      checkpoints?.stop();
      sqlite.close();
    },
  };
}

/** Applies every committed migration that has not run yet. Safe to call at every start. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * Switching a file to WAL needs a moment of exclusive access, and SQLite answers SQLITE_BUSY at
 * once — without its busy handler — while another process opens the same file. Two servers
 * started together on a fresh file both get here, so the switch is retried until the timeout.
 */
function switchToWal(sqlite: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a synchronous 10 ms pause
    }
  }
}
