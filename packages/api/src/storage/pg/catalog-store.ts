// The PostgreSQL adapter of the catalog store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { CatalogStore } from '../catalog-store.ts';

export function createPgCatalogStore(_db: PgDb): CatalogStore {
  return {};
}
