// The SQLite adapter of the auth store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { AuthStore } from '../auth-store.ts';

export function createSqliteAuthStore(_db: Db): AuthStore {
  return {};
}
