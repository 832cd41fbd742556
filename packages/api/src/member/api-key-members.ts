// Member contexts for API keys, reused between requests the way auth-cache.ts reuses them for
// browser sessions: an entry is used only while the auth epoch is unchanged (every membership,
// role or user change bumps it, in any process — migration 0002) and before the earliest expiry of
// what it holds. The key itself is still verified on every request (verifyApiKey: one indexed read
// and a constant-time compare), so a revoked key stops working at once.
import type { Db, Sqlite } from '@tessera/db';
import { getUser } from '../domain/users/get-user.ts';
import { buildMemberContext, earliestExpiry, type MemberContext } from './member-context.ts';

interface Entry {
  epoch: string;
  member: MemberContext;
  validUntil: number;
}

const MAX_ENTRIES = 10_000;
const caches = new WeakMap<Sqlite, { readEpoch: () => string; entries: Map<string, Entry> }>();

function cacheFor(sqlite: Sqlite) {
  let cache = caches.get(sqlite);
  if (!cache) {
    const statement = sqlite.prepare<[], { value: string }>(
      "select value from app_meta where key = 'auth_epoch'",
    );
    cache = { readEpoch: () => String(statement.get()?.value ?? ''), entries: new Map() };
    caches.set(sqlite, cache);
  }
  return cache;
}

/** The member context of a verified API key's owner at `now`. */
export function memberForApiKey(
  db: Db,
  key: { keyId: string; userId: string },
  now: Date,
): MemberContext {
  const cache = cacheFor(db.$client);
  // Read before building: a change committed after this read carries a newer epoch.
  const epoch = cache.readEpoch();
  const t = now.getTime();
  const entry = cache.entries.get(key.keyId);
  if (
    entry &&
    entry.epoch === epoch &&
    entry.member.user.id === key.userId &&
    t < entry.validUntil &&
    t >= entry.member.evaluatedAt.getTime()
  ) {
    return { ...entry.member, evaluatedAt: now };
  }
  const user = getUser(db, key.userId);
  // API keys have no browser session; the member context carries a stand-in for the key.
  const session = {
    id: `api-key:${key.keyId}`,
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(8.64e15),
  };
  const member = buildMemberContext(db, { user, session }, now);
  if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
  cache.entries.set(key.keyId, {
    epoch,
    member,
    validUntil: earliestExpiry(member)?.getTime() ?? Number.POSITIVE_INFINITY,
  });
  return member;
}
