// The PostgreSQL adapter of the chats store (drizzle-orm's pg dialect over node-postgres).
import type { PgDb } from '@tessera/db/pg';
import type { ChatStore } from '../chats-store.ts';

export function createPgChatStore(_db: PgDb): ChatStore {
  return {};
}
