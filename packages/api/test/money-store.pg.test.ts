// The money store's contract on PostgreSQL (`pnpm test:scale`): the SQL functions behind the
// port, each test on a fresh database copied from the migrated template.
import { readFileSync } from 'node:fs';
import { createTestPgDatabase } from '@tessera/db/testing-pg';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPgMoneyStore } from '../src/storage/pg/pg-money-store.ts';
import { MODEL, moneyStoreContract, sqlFixture } from './money-store.contract.ts';

/** `?` placeholders numbered for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A fresh database, a pool of 10 on it, the store, and the contract's fixture helpers. */
export async function openPgMoneyFixture() {
  const db = await createTestPgDatabase('pg_money');
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
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

moneyStoreContract('PostgreSQL', openPgMoneyFixture);

it('the migration installs exactly the readable function source', () => {
  const source = readFileSync(
    new URL('../src/storage/pg/money-functions.sql', import.meta.url),
    'utf8',
  );
  const migration = readFileSync(
    new URL('../../db/migrations-pg/0001_money_functions.sql', import.meta.url),
    'utf8',
  );
  expect(migration.replaceAll('\n--> statement-breakpoint', '')).toBe(source);
});
