// The PostgreSQL adapter of the members store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { MemberStore } from '../members-store.ts';

export function createPgMemberStore(_db: PgDb): MemberStore {
  return {};
}
