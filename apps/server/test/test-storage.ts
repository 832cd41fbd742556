// The database a server test runs on (decision 034): a copy of the migrated SQLite template, or,
// with TEST_ENGINE=postgres (`pnpm test:pg`), a fresh PostgreSQL database copied from the migrated
// template. Tests reach it through `stores`, the same ports the server uses, so one test body
// runs on both engines.
import type { Engine, Stores } from '@tessera/api';
import { sqliteStoresOf } from '@tessera/api';
import { createDb } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles, runSharedSql } from '@tessera/db/testing';

export type { Engine };

/** The engine of this run: TEST_ENGINE=postgres, else SQLite. */
export function testEngine(): Engine {
  return process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestStorage {
  readonly engine: Engine;
  /** What a server started on this database is given (startApp's config). */
  readonly config: { databasePath: string; databaseUrl?: string };
  /** The same, as a server process's environment (DATABASE_PATH or DATABASE_URL). */
  readonly env: Record<string, string>;
  /** The test's own connection to the database, through the ports. */
  readonly stores: Stores;
  /**
   * One fixture or assertion statement in the SQL both engines share (`$1, $2…` placeholders,
   * `true`/`false`, integer ms timestamps); returns its rows. For what no port offers.
   */
  sql<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Closes the test's connection and removes the database. */
  close(): Promise<void>;
}

export async function openTestStorage(engine: Engine = testEngine()): Promise<TestStorage> {
  if (engine === 'postgres') {
    // Loaded only on PostgreSQL runs, so the SQLite suite never needs the pg packages loaded.
    const [{ createTestPgDatabase, runSharedSqlPg }, { createPgStores }] = await Promise.all([
      import('@tessera/db/testing-pg'),
      import('@tessera/api/pg'),
    ]);
    const database = await createTestPgDatabase('server');
    return {
      engine,
      // databasePath is required by startApp's type; unused when databaseUrl is set.
      config: { databasePath: ':unused:', databaseUrl: database.url },
      env: { DATABASE_URL: database.url },
      stores: createPgStores(database),
      sql: (text, params) => runSharedSqlPg(database, text, params),
      close: () => database.drop(),
    };
  }
  const path = copyTestDatabase();
  const handle = createDb(path);
  return {
    engine,
    config: { databasePath: path },
    env: { DATABASE_PATH: path },
    stores: sqliteStoresOf(handle.db),
    async sql<Row>(text: string, params?: readonly unknown[]) {
      return runSharedSql<Row>(handle.sqlite, text, params);
    },
    async close() {
      handle.close();
      removeDatabaseFiles(path);
    },
  };
}
