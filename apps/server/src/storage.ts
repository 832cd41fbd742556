// Where the app's data lives (decision 034): the SQLite file at DATABASE_PATH by default, or the
// PostgreSQL database at DATABASE_URL. Either way the rest of the server sees `stores`; the
// SQLite handle is exposed only for what still needs the file itself (backups, checkpoints).
import type { Engine, Stores } from '@tessera/api';
import { sqliteStoresOf } from '@tessera/api';
import { createDb, type DbHandle, migrateDb } from '@tessera/db';

export interface AppStorage {
  readonly engine: Engine;
  readonly stores: Stores;
  /**
   * The SQLite file's handle. On PostgreSQL a stand-in that throws, naming the use, for the few
   * paths not yet behind a port (docs/deploy.md lists them): a loud error, never a second database.
   */
  readonly sqlite: DbHandle;
  /** One trivial query: the health check's proof that the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StorageConfig {
  databasePath: string;
  /** `postgres://…`: PostgreSQL instead of the file. */
  databaseUrl?: string;
  /** Connections per instance on PostgreSQL (node-postgres pool); default 10. */
  poolSize?: number;
}

/** Opens and migrates the database. On PostgreSQL, instances starting together migrate once. */
export async function openStorage(config: StorageConfig): Promise<AppStorage> {
  if (config.databaseUrl) return openPgStorage(config.databaseUrl, config.poolSize);
  const handle = createDb(config.databasePath);
  migrateDb(handle.db);
  const ping = handle.sqlite.prepare('select 1');
  return {
    engine: 'sqlite',
    stores: sqliteStoresOf(handle.db),
    sqlite: handle,
    async ping() {
      ping.get();
    },
    async close() {
      handle.close();
    },
  };
}

async function openPgStorage(url: string, poolSize?: number): Promise<AppStorage> {
  // Loaded only here, so a server on SQLite never loads node-postgres.
  const [{ createPgDb, migratePgDb }, { createPgStores }] = await Promise.all([
    import('@tessera/db/pg'),
    import('@tessera/api/pg'),
  ]);
  const handle = createPgDb(url, { max: poolSize });
  try {
    await migratePgDb(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    engine: 'postgres',
    stores: createPgStores(handle),
    sqlite: sqliteUnavailable('the SQLite handle'),
    async ping() {
      await handle.pool.query('select 1');
    },
    close: () => handle.close(),
  };
}

/**
 * Any property read throws: a path that still reaches for SQLite while on PostgreSQL. The handle's
 * `db` and `sqlite` are stand-ins of their own, so wiring them through (deps.db) is harmless and
 * only a use fails.
 */
function sqliteUnavailable<T extends object>(
  what: string,
  nested: readonly string[] = ['db', 'sqlite'],
): T {
  const parts = new Map(nested.map((name) => [name, sqliteUnavailable(`${what}.${name}`, [])]));
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a promise
      const part = typeof property === 'string' ? parts.get(property) : undefined;
      if (part) return part;
      throw new Error(
        `${what}: .${String(property)} needs the SQLite file; this path does not run on PostgreSQL yet`,
      );
    },
  });
}
