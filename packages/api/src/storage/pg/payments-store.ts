// The PostgreSQL adapter of the payments store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { PaymentsStore } from '../payments-store.ts';

export function createPgPaymentsStore(_db: PgDb): PaymentsStore {
  return {};
}
