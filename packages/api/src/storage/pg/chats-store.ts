// The PostgreSQL adapter of the chats store (drizzle-orm's pg dialect over node-postgres), one
// file per sub-area under ./chats/.
import type { PgDb } from '@tessera/db/pg';
import type { ChatStore } from '../chats-store.ts';
import { pgConversationMethods } from './chats/conversations.ts';
import { pgEngineMethods } from './chats/engine.ts';
import { pgImageMethods } from './chats/images.ts';
import { pgUsageMethods } from './chats/usage.ts';

export function createPgChatStore(db: PgDb): ChatStore {
  return {
    ...pgConversationMethods(db),
    ...pgImageMethods(db),
    ...pgEngineMethods(db),
    ...pgUsageMethods(db),
  };
}
