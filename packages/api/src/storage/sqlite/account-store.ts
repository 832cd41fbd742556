// The SQLite adapter of the account store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { AccountStore } from '../account-store.ts';

export function createSqliteAccountStore(_db: Db): AccountStore {
  return {};
}
