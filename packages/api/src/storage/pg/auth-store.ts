// The PostgreSQL adapter of the auth store (drizzle-orm's pg dialect over node-postgres), one file
// per sub-area under ./auth.
import type { PgDb } from '@tessera/db/pg';
import type { AuthStore } from '../auth-store.ts';
import { createPgSessions } from './auth/sessions.ts';
import { createPgSso } from './auth/sso.ts';
import { createPgThrottles } from './auth/throttles.ts';
import { createPgUsers } from './auth/users.ts';

export function createPgAuthStore(db: PgDb): AuthStore {
  return {
    ...createPgThrottles(db),
    ...createPgSessions(db),
    ...createPgUsers(db),
    ...createPgSso(db),
  };
}
