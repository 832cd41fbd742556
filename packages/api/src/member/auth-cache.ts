// Per-process cache of resolved sessions and member contexts, so an authenticated request costs
// one indexed read (the auth epoch) instead of a session lookup plus two membership queries.
//
// Correctness rests on two rules:
//  1. Every change that could take something away bumps `app_meta.auth_epoch` in the same
//     transaction — enforced by SQLite triggers (migration 0002), whichever process or tool
//     writes. A request whose epoch differs from the cached entry's rebuilds it.
//  2. Time is never cached: an entry is used only while `now` is before the earliest instant at
//     which it could change by itself (session expiry or the hourly "last seen" touch; the
//     earliest membership expiry). Access is still decided by `expires_at > now` at every check.
// The secret half of the token is compared in constant time on every hit.
import type { Db, Sqlite } from '@tessera/db';
import { hashSecretHex, parseSessionToken, secretMatchesHex } from '../auth/session-token.ts';
import { type SessionUser, type ValidSession, validateSessionToken } from '../auth/sessions.ts';
import { readAuthEpoch } from './auth-epoch.ts';
import { memberValidUntil, sessionValidUntil } from './cache-rules.ts';
import { buildMemberContext, type MemberContext } from './member-context.ts';

interface Entry {
  epoch: string;
  /** SHA-256 of the token's secret, hex (the raw secret is never kept). */
  secretHash: string;
  session: ValidSession;
  user: SessionUser;
  /** Rebuild at or after this instant (session expiry, inactivity, or the next touch). */
  sessionValidUntil: number;
  member?: MemberContext;
  /** The epoch the member context was built at (checked per call: one batch may mutate). */
  memberEpoch?: string;
  /** The member context is reusable before this instant (the earliest held expiry). */
  memberValidUntil?: number;
}

const MAX_ENTRIES = 100_000;

interface ConnectionCache {
  readEpoch: () => string;
  entries: Map<string, Entry>;
}

const caches = new WeakMap<Sqlite, ConnectionCache>();

function cacheFor(sqlite: Sqlite): ConnectionCache {
  let cache = caches.get(sqlite);
  if (!cache) {
    cache = { readEpoch: () => readAuthEpoch(sqlite), entries: new Map() };
    caches.set(sqlite, cache);
  }
  return cache;
}

export interface Authenticated {
  session: ValidSession;
  user: SessionUser;
  /** The member context at `now` (built, or reused while nothing can have changed). */
  member(now: Date): MemberContext;
}

export function authenticate(db: Db, token: string, now: Date): Authenticated | null {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const cache = cacheFor(db.$client);
  // Read the epoch before anything else: a change committed after this read carries a newer epoch,
  // so an entry built from older data is never stored under the new one.
  const epoch = cache.readEpoch();
  const t = now.getTime();
  let entry = cache.entries.get(parsed.id);
  const fresh =
    entry &&
    entry.epoch === epoch &&
    t < entry.sessionValidUntil &&
    t >= entry.session.lastSeenAt.getTime();
  if (entry && fresh) {
    if (!secretMatchesHex(parsed.secret, entry.secretHash)) return null;
  } else {
    const resolved = validateSessionToken(db, token, now);
    if (!resolved) {
      cache.entries.delete(parsed.id);
      return null;
    }
    entry = {
      epoch,
      secretHash: hashSecretHex(parsed.secret),
      ...resolved,
      sessionValidUntil: sessionValidUntil(resolved.session),
    };
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
    cache.entries.set(parsed.id, entry);
  }
  const current = entry;
  let firstCall = true;
  return {
    session: current.session,
    user: current.user,
    member(now: Date) {
      // Re-read per call — a batched request can change memberships between its procedures —
      // except on the first, which runs right after the read above.
      const memberEpoch = firstCall ? epoch : cache.readEpoch();
      firstCall = false;
      const t = now.getTime();
      const reusable =
        current.member !== undefined &&
        current.memberEpoch === memberEpoch &&
        current.memberValidUntil !== undefined &&
        t < current.memberValidUntil &&
        t >= current.member.evaluatedAt.getTime();
      if (!reusable || !current.member) {
        current.member = {
          ...buildMemberContext(db, { session: current.session, user: current.user }, now),
          epoch: memberEpoch,
        };
        current.memberEpoch = memberEpoch;
        current.memberValidUntil = memberValidUntil(current.member);
        return current.member;
      }
      return { ...current.member, evaluatedAt: now };
    },
  };
}

/**
 * Drops the entries built before `epoch` (another instance announced it, decision 029): they could
 * never be used again, and on an engine where reading the epoch costs a round trip this is what
 * keeps a stale entry from being trusted. Returns how many were dropped.
 */
export function forgetSessionsBefore(sqlite: Sqlite, epoch: number): number {
  const cache = caches.get(sqlite);
  if (!cache) return 0;
  let dropped = 0;
  for (const [id, entry] of cache.entries) {
    if (Number(entry.epoch) < epoch) {
      cache.entries.delete(id);
      dropped++;
    }
  }
  return dropped;
}
