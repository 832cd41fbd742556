// The stores an answer uses: the ones the caller gave (ChatDeps.stores, and the `money` / `chats`
// overrides), else the SQLite stores of `deps.db` (built once per connection). A caller on
// PostgreSQL passes `stores` and no `db` at all (docs/decisions/034).
import type { ChatStore } from '../storage/chats-store.ts';
import type { MoneyStore } from '../storage/money-store.ts';
import { type Stores, sqliteStoresOf } from '../storage/stores.ts';
import type { ChatDeps } from './chat-types.ts';

export function chatStoresOf(deps: Pick<ChatDeps, 'db' | 'stores'>): Stores {
  if (deps.stores) return deps.stores;
  if (!deps.db) throw new Error('The chat engine needs `stores` or a SQLite `db`.');
  return sqliteStoresOf(deps.db);
}

export function chatStoreOf(deps: Pick<ChatDeps, 'db' | 'stores' | 'chats'>): ChatStore {
  return deps.chats ?? chatStoresOf(deps).chats;
}

export function moneyStoreOf(deps: Pick<ChatDeps, 'db' | 'stores' | 'money'>): MoneyStore {
  return deps.money ?? chatStoresOf(deps).money;
}

/**
 * The SQLite connection when the answer runs on SQLite: the watcher's per-chunk re-check stays
 * synchronous there (decision 006). Undefined on PostgreSQL, where it goes through the stores.
 */
export function sqliteDbOf(deps: Pick<ChatDeps, 'db' | 'stores'>) {
  return deps.stores && deps.stores.engine !== 'sqlite' ? undefined : deps.db;
}
