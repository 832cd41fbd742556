// The SQLite adapter of the ops store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { OpsStore } from '../ops-store.ts';

export function createSqliteOpsStore(_db: Db): OpsStore {
  return {};
}
