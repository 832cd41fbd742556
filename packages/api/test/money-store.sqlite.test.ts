// The money store's contract on SQLite: the synchronous domain functions behind the port.
import { createTestDb } from '@tessera/db/testing';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { createSqliteMoneyStore } from '../src/storage/sqlite-money-store.ts';
import { MODEL, moneyStoreContract } from './money-store.contract.ts';
import { sqlFixture } from './money-store.fixture-sql.ts';
import { moneyStoreLeaseContract } from './money-store.leases.contract.ts';

async function openSqliteMoneyFixture() {
  const db = createTestDb();
  clearRefillHints(); // the SQLite path's hint is per process; every test reuses ids
  const query = async <R>(sql: string, params: unknown[]) => {
    const statement = db.sqlite.prepare(sql);
    if (statement.reader) return statement.all(...params) as R[];
    statement.run(...params);
    return [];
  };
  await query(
    `insert into models (id, display_name, input_price_per_million, output_price_per_million, created_at)
     values (?, 'Contract', 50000, 200000, 0)`,
    [MODEL],
  );
  return {
    store: createSqliteMoneyStore(db.db),
    ...sqlFixture(
      query,
      '(select coalesce(max(id), 0) + 1 from credit_ledger l where l.user_id = v.u)',
    ),
    async close() {
      db.destroy();
    },
  };
}

moneyStoreContract('SQLite', openSqliteMoneyFixture);
moneyStoreLeaseContract('SQLite', openSqliteMoneyFixture);
