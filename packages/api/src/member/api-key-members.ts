// Member contexts for API keys, reused between requests the way auth-cache.ts reuses them for
// browser sessions: an entry is used only while the auth epoch is unchanged (every membership,
// role or user change bumps it, in any process — migration 0002) and before the earliest expiry of
// what it holds. The key itself is still verified on every request (verifyApiKey: one indexed read
// and a constant-time compare), so a revoked key stops working at once.
import type { Db } from '@tessera/db';
import { getUser } from '../domain/users/get-user.ts';
import { readAuthEpoch } from './auth-epoch.ts';
import { apiKeySession, memberValidUntil } from './cache-rules.ts';
import { buildMemberContext, type MemberContext } from './member-context.ts';

interface Entry {
  epoch: string;
  member: MemberContext;
  validUntil: number;
}

const MAX_ENTRIES = 10_000;
/** Per database connection: key id → entry. */
const caches = new WeakMap<Db['$client'], Map<string, Entry>>();

/** The member context of a verified API key's owner at `now`. */
export function memberForApiKey(
  db: Db,
  key: { keyId: string; userId: string },
  now: Date,
): MemberContext {
  // Read before building: a change committed after this read carries a newer epoch.
  const epoch = readAuthEpoch(db.$client);
  let entries = caches.get(db.$client);
  if (!entries) {
    entries = new Map();
    caches.set(db.$client, entries);
  }
  const t = now.getTime();
  const entry = entries.get(key.keyId);
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
  const session = apiKeySession(key.keyId, user.id, now);
  const member = { ...buildMemberContext(db, { user, session }, now), epoch };
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key.keyId, {
    epoch,
    member,
    validUntil: memberValidUntil(member),
  });
  return member;
}

/** Drops the API-key entries built before `epoch` (see forgetSessionsBefore). */
export function forgetApiKeyMembersBefore(sqlite: Db['$client'], epoch: number): number {
  const entries = caches.get(sqlite);
  if (!entries) return 0;
  let dropped = 0;
  for (const [id, entry] of entries) {
    if (Number(entry.epoch) < epoch) {
      entries.delete(id);
      dropped++;
    }
  }
  return dropped;
}
