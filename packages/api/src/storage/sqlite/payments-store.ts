// The SQLite adapter of the payments store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { PaymentsStore } from '../payments-store.ts';

export function createSqlitePaymentsStore(_db: Db): PaymentsStore {
  return {};
}
