// The PostgreSQL adapter of the account store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { AccountStore } from '../account-store.ts';

export function createPgAccountStore(_db: PgDb): AccountStore {
  return {};
}
