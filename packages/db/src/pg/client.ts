// The PostgreSQL connection (docs/decisions/027). Like createDb for SQLite, nothing connects at
// import time: the caller chooses the URL, and the pool opens connections on first use.
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.ts';

export { schema as pgSchema };

/** The Drizzle database on PostgreSQL; `$client` is the pool. */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** The argument of `db.transaction`'s callback. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
export type PgDbOrTx = PgDb | PgTx;

export interface PgDbHandle {
  db: PgDb;
  /** The node-postgres pool, for raw prepared statements on hot paths and for LISTEN clients. */
  pool: pg.Pool;
  /** Ends every pooled connection; waits for queries in flight. */
  close(): Promise<void>;
}

export const PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations-pg', import.meta.url));

const INT8_OID = 20;

/**
 * Raw queries on the pool read bigint (int8) as a JS number, like SQLite's integers: every int8
 * column here holds ms timestamps, credits and counts, far below 2^53. A value beyond it throws
 * rather than silently losing digits. Drizzle's own queries map per column and are unaffected.
 */
const poolTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInt8;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function parseSafeInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} exceeds 2^53`);
  return value;
}

/**
 * A pool on `url` (e.g. `postgres://user:pass@host:5432/db`) and the Drizzle database over it,
 * with the pg schema and snake_case columns like the SQLite client. `max` bounds the pool
 * (node-postgres defaults to 10).
 */
export function createPgDb(url: string, options: { max?: number } = {}): PgDbHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: poolTypes });
  // An idle client whose server connection dies (a restart, a terminated backend) emits 'error'
  // on the pool; unhandled, that would crash the process. The pool drops the client and the next
  // query opens a new one, so noting it is enough.
  pool.on('error', (error) => {
    console.warn(`PostgreSQL idle connection lost: ${error.message}`);
  });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' }) as PgDb;
  return { db, pool, close: () => pool.end() };
}

/**
 * Applies every committed PostgreSQL migration that has not run yet, in one transaction. Several
 * instances starting together are serialised by drizzle's migrations table plus an advisory lock
 * taken here, so each migration runs once.
 */
export async function migratePgDb(db: PgDb): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client, casing: 'snake_case' }), {
        migrationsFolder: PG_MIGRATIONS_FOLDER,
      });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Advisory lock key held while migrating: any constant no other lock in this database uses. */
const MIGRATION_LOCK_KEY = 0x7e55e4a;
