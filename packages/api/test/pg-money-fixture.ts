// A fresh PostgreSQL database for a money store test: a pool of 10 on it (concurrency tests need
// more connections than the harness's own pool), the store, and the contract's fixture helpers.
import { createTestPgDatabase } from '@tessera/db/testing-pg';
import pg from 'pg';
import { createPgMoneyStore } from '../src/storage/pg/pg-money-store.ts';
import { MODEL } from './money-store.contract.ts';
import { sqlFixture } from './money-store.fixture-sql.ts';

/** `?` placeholders numbered for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function openPgMoneyFixture() {
  const db = await createTestPgDatabase('pg_money');
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  // Dropping the database ends idle connections; the pool reports it, nothing to do.
  pool.on('error', () => {});
  const query = async <R>(sql: string, params: unknown[]) =>
    (await pool.query(numbered(sql), params)).rows as R[];
  await query(
    `insert into models (id, display_name, input_price_per_million, output_price_per_million, created_at)
     values (?, 'Contract', 50000, 200000, 0)`,
    [MODEL],
  );
  return {
    db,
    pool,
    query,
    store: createPgMoneyStore(pool),
    ...sqlFixture(query, "nextval('credit_ledger_id_seq')"),
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
