// The SQLite adapter of the chats store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import type { ChatStore } from '../chats-store.ts';

export function createSqliteChatStore(_db: Db): ChatStore {
  return {};
}
