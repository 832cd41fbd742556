// The PostgreSQL adapter of the auth store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { AuthStore } from '../auth-store.ts';

export function createPgAuthStore(_db: PgDb): AuthStore {
  return {};
}
