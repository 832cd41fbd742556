// A store contract's PostgreSQL engine: a fresh database copied from the migrated template per
// call (tens of ms; `pnpm services` starts the server).
import { createTestPgDatabase, runSharedSqlPg } from '@tessera/db/testing-pg';
import { createPgStores } from '../../src/storage/pg/pg-stores.ts';
import type { EngineUnderTest } from './engine.ts';

export async function openPgEngine(prefix = 'stores'): Promise<EngineUnderTest> {
  const database = await createTestPgDatabase(prefix);
  return {
    name: 'PostgreSQL',
    stores: createPgStores(database),
    sql: (text, params) => runSharedSqlPg(database, text, params),
    close: () => database.drop(),
  };
}
