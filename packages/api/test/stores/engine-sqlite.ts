// A store contract's SQLite engine: a fresh copy of the migrated template per test.
import { createTestDb } from '@tessera/db/testing';
import { createSqliteStores } from '../../src/storage/stores.ts';
import { type EngineUnderTest, positional } from './engine.ts';

export async function openSqliteEngine(): Promise<EngineUnderTest> {
  const db = createTestDb();
  return {
    name: 'SQLite',
    stores: createSqliteStores(db.db),
    async sql<Row>(text: string, params: unknown[] = []) {
      const translated = positional(text, params);
      const values = translated.params.map((v) =>
        typeof v === 'boolean' ? Number(v) : v instanceof Date ? v.getTime() : v,
      );
      const statement = db.sqlite.prepare(translated.text);
      if (statement.reader) return statement.all(...values) as Row[];
      statement.run(...values);
      return [];
    },
    async close() {
      db.destroy();
    },
  };
}
