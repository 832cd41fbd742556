// The SQLite adapter of the members store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { MemberStore } from '../members-store.ts';

export function createSqliteMemberStore(_db: Db): MemberStore {
  return {};
}
