// The chat store an answer uses: the one the caller gave (ChatDeps.chats), else the SQLite store
// of `deps.db` (built once per connection), as `deps.money` defaults to the SQLite money store.
import type { ChatStore } from '../storage/chats-store.ts';
import { sqliteStoresOf } from '../storage/stores.ts';
import type { ChatDeps } from './chat-types.ts';

export function chatStoreOf(deps: Pick<ChatDeps, 'db' | 'chats'>): ChatStore {
  return deps.chats ?? sqliteStoresOf(deps.db).chats;
}
