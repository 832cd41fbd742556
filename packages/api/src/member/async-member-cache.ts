// The member cache of decision 007 for an engine whose reads are asynchronous (PostgreSQL): the
// same rules as auth-cache.ts and api-key-members.ts (cache-rules.ts), over a `MemberSource` of
// awaited reads. SQLite keeps its synchronous cache: a hit there costs no round trip to await.
//
// A hit still reads the auth epoch (one indexed round trip): a notice from another instance may
// arrive after the same user's next request (decision 029), so the read is the guard.
import { hashSecretHex, parseSessionToken, secretMatchesHex } from '../auth/session-token.ts';
import type { SessionUser, ValidSession } from '../auth/sessions.ts';
import { apiKeySession, memberValidUntil, reusable, sessionValidUntil } from './cache-rules.ts';
import type { MemberContext } from './member-context.ts';

export interface MemberSource {
  /** `app_meta.auth_epoch` now. */
  readEpoch(): Promise<string>;
  /** The session and user behind a token (deleting an ended session, touching a due one), or null. */
  resolveSession(
    token: string,
    now: Date,
  ): Promise<{ session: ValidSession; user: SessionUser } | null>;
  /** Roles and marks held at `now`, as a member context. */
  buildMember(
    auth: { session: ValidSession; user: SessionUser },
    now: Date,
  ): Promise<MemberContext>;
  /** The user behind an API key (NOT_FOUND when gone). */
  userOf(userId: string): Promise<SessionUser>;
}

/** A signed-in session: who, and their member context at a given instant. */
export interface MemberAuth {
  session: ValidSession;
  user: SessionUser;
  /** The member context at `now` (built, or reused while nothing can have changed). */
  member(now: Date): Promise<MemberContext>;
}

interface SessionEntry {
  epoch: string;
  secretHash: string;
  session: ValidSession;
  user: SessionUser;
  sessionValidUntil: number;
  member?: MemberContext;
  memberEpoch?: string;
  memberValidUntil?: number;
}

interface KeyEntry {
  epoch: string;
  member: MemberContext;
  validUntil: number;
}

const MAX_SESSIONS = 100_000;
const MAX_KEYS = 10_000;

export interface AsyncMemberCache {
  authenticate(token: string, now: Date): Promise<MemberAuth | null>;
  memberForApiKey(key: { keyId: string; userId: string }, now: Date): Promise<MemberContext>;
  /** Drops entries built before `epoch` (another instance announced it); returns how many. */
  forgetBefore(epoch: number): number;
}

export function createAsyncMemberCache(source: MemberSource): AsyncMemberCache {
  const sessions = new Map<string, SessionEntry>();
  const keys = new Map<string, KeyEntry>();

  async function memberOf(entry: SessionEntry, epoch: string, now: Date): Promise<MemberContext> {
    const t = now.getTime();
    if (
      entry.member &&
      reusable(
        entry.memberEpoch,
        epoch,
        t,
        entry.member.evaluatedAt.getTime(),
        entry.memberValidUntil,
      )
    ) {
      return { ...entry.member, evaluatedAt: now };
    }
    const member = {
      ...(await source.buildMember({ session: entry.session, user: entry.user }, now)),
      epoch,
    };
    entry.member = member;
    entry.memberEpoch = epoch;
    entry.memberValidUntil = memberValidUntil(member);
    return member;
  }

  return {
    async authenticate(token, now) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      // Read first: a change committed after this read carries a newer epoch.
      const epoch = await source.readEpoch();
      const t = now.getTime();
      let entry = sessions.get(parsed.id);
      if (
        entry &&
        reusable(entry.epoch, epoch, t, entry.session.lastSeenAt.getTime(), entry.sessionValidUntil)
      ) {
        if (!secretMatchesHex(parsed.secret, entry.secretHash)) return null;
      } else {
        const resolved = await source.resolveSession(token, now);
        if (!resolved) {
          sessions.delete(parsed.id);
          return null;
        }
        entry = {
          epoch,
          secretHash: hashSecretHex(parsed.secret),
          ...resolved,
          sessionValidUntil: sessionValidUntil(resolved.session),
        };
        if (sessions.size >= MAX_SESSIONS) sessions.clear();
        sessions.set(parsed.id, entry);
      }
      const current = entry;
      let firstCall = true;
      return {
        session: current.session,
        user: current.user,
        async member(at) {
          // A batch may change memberships between its procedures: re-read after the first call.
          const memberEpoch = firstCall ? epoch : await source.readEpoch();
          firstCall = false;
          return memberOf(current, memberEpoch, at);
        },
      };
    },

    async memberForApiKey(key, now) {
      const epoch = await source.readEpoch();
      const t = now.getTime();
      const entry = keys.get(key.keyId);
      if (
        entry &&
        entry.member.user.id === key.userId &&
        reusable(entry.epoch, epoch, t, entry.member.evaluatedAt.getTime(), entry.validUntil)
      ) {
        return { ...entry.member, evaluatedAt: now };
      }
      const user = await source.userOf(key.userId);
      const member = {
        ...(await source.buildMember(
          { user, session: apiKeySession(key.keyId, user.id, now) },
          now,
        )),
        epoch,
      };
      if (keys.size >= MAX_KEYS) keys.clear();
      keys.set(key.keyId, { epoch, member, validUntil: memberValidUntil(member) });
      return member;
    },

    forgetBefore(epoch) {
      let dropped = 0;
      for (const map of [sessions, keys] as Map<string, { epoch: string }>[]) {
        for (const [id, entry] of map) {
          if (Number(entry.epoch) < epoch) {
            map.delete(id);
            dropped++;
          }
        }
      }
      return dropped;
    },
  };
}
