// Bulk fixtures for the PostgreSQL benchmarks, the same shape as credits-fixtures.ts (users
// `u0000001…` with a credit account, optionally all holding a mark), made with set-based SQL.
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import pg from 'pg';

export interface BenchPgDatabase {
  db: TestPgDatabase;
  /** A pool of its own (the harness's is small): `max` connections. */
  pool: pg.Pool;
  destroy(): Promise<void>;
}

/** A fresh migrated PostgreSQL database (TEST_DATABASE_URL's server) and a pool on it. */
export async function benchPgDatabase(prefix: string, max = 10): Promise<BenchPgDatabase> {
  const db = await createTestPgDatabase(prefix);
  const pool = benchPool(db.url, max);
  return {
    db,
    pool,
    async destroy() {
      await pool.end();
      await db.drop();
    },
  };
}

/** A pool on `url`; `options` are server settings for its sessions (`-c name=value`). */
export function benchPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options });
  pool.on('error', () => {}); // dropping the database ends idle connections
  return pool;
}

/**
 * `count` users with `balance` credits each (`purchased` of them purchased), and with `markId`
 * held without end when given. Triggers and foreign-key checks are off for the load
 * (`session_replication_role = replica`: the auth-epoch trigger would fire once per membership);
 * then the tables are analysed so the planner knows their size.
 */
export async function insertPgUsers(
  pool: pg.Pool,
  count: number,
  balance: number,
  options: { purchased?: number; markId?: string } = {},
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    await client.query(
      `insert into users (id, email, password_hash, created_at)
       select 'u' || lpad(i::text, 7, '0'), 'u' || lpad(i::text, 7, '0') || '@bench.example', 'bench', 0
       from generate_series(1, $1::integer) i`,
      [count],
    );
    await client.query(
      `insert into credit_accounts (user_id, balance, reserved, purchased, updated_at)
       select id, $1, 0, $2, 0 from users`,
      [balance, options.purchased ?? 0],
    );
    // The balance as one ledger row per user, so `credits:check` holds from the start.
    if (balance > 0)
      await client.query(
        `insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, created_at)
         select user_id, nextval('credit_ledger_id_seq'), balance, balance, 'adjust', 'allowance', 'seed:' || user_id, 0
         from credit_accounts`,
      );
    if (options.markId)
      await client.query(
        `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
         select 'm-' || id, id, $1, 0, null, 'active', 'admin', 0, 0 from users`,
        [options.markId],
      );
    await client.query('commit');
    await client.query('analyze users, credit_accounts, memberships');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
