// The auth epoch: a counter in `app_meta` that every change which could take access away bumps in
// its own transaction (SQLite triggers, migration 0002), whichever process writes. The member
// caches (auth-cache.ts for sessions, api-key-members.ts for API keys) reuse an entry only while
// the epoch is the one it was built at.
import type { Sqlite } from '@tessera/db';

const readers = new WeakMap<Sqlite, () => string>();

/** Reads the current epoch of this connection's database (a compiled statement, one per connection). */
export function readAuthEpoch(sqlite: Sqlite): string {
  let read = readers.get(sqlite);
  if (!read) {
    // pluck(): the value itself, no row object, on every authenticated request.
    const statement = sqlite
      .prepare<[], string | number>("select value from app_meta where key = 'auth_epoch'")
      .pluck();
    read = () => String(statement.get() ?? '');
    readers.set(sqlite, read);
  }
  return read();
}
