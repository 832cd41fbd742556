// The SQLite adapter of the catalog store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { CatalogStore } from '../catalog-store.ts';

export function createSqliteCatalogStore(_db: Db): CatalogStore {
  return {};
}
