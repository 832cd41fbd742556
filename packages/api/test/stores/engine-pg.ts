// A store contract's PostgreSQL engine: a fresh database copied from the migrated template per
// call (tens of ms; `pnpm services` starts the server).
import { createTestPgDatabase } from '@tessera/db/testing-pg';
import { createPgStores } from '../../src/storage/pg/pg-stores.ts';
import type { EngineUnderTest } from './engine.ts';

export async function openPgEngine(prefix = 'stores'): Promise<EngineUnderTest> {
  const database = await createTestPgDatabase(prefix);
  return {
    name: 'PostgreSQL',
    stores: createPgStores(database),
    async sql<Row>(text: string, params: unknown[] = []) {
      const values = params.map((v) => (v instanceof Date ? v.getTime() : v));
      const result = await database.pool.query(text, values);
      return result.rows as Row[];
    },
    close: () => database.drop(),
  };
}
