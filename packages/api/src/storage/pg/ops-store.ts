// The PostgreSQL adapter of the ops store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { OpsStore } from '../ops-store.ts';

export function createPgOpsStore(_db: PgDb): OpsStore {
  return {};
}
