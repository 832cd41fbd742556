// A store contract's SQLite engine: a fresh copy of the migrated template per test.
import { createTestDb, runSharedSql } from '@tessera/db/testing';
import { createSqliteStores } from '../../src/storage/stores.ts';
import type { EngineUnderTest } from './engine.ts';

export async function openSqliteEngine(): Promise<EngineUnderTest> {
  const db = createTestDb();
  return {
    name: 'SQLite',
    stores: createSqliteStores(db.db),
    async sql<Row>(text: string, params: unknown[] = []) {
      return runSharedSql<Row>(db.sqlite, text, params);
    },
    async close() {
      db.destroy();
    },
  };
}
