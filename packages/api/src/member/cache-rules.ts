// The rules every member cache follows (decision 007), whatever engine reads the rows: an entry is
// used only at the auth epoch it was built at and before the first instant it could change by
// itself. Shared by the synchronous SQLite cache (auth-cache.ts, api-key-members.ts) and the
// asynchronous one other engines use (async-member-cache.ts).
import {
  SESSION_INACTIVITY_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
} from '../auth/session-policy.ts';
import type { ValidSession } from '../auth/sessions.ts';
import { earliestExpiry, type MemberContext } from './member-context.ts';

/** A resolved session is reusable before this instant: its expiry, inactivity or next touch. */
export function sessionValidUntil(session: ValidSession): number {
  return Math.min(
    session.expiresAt.getTime(),
    session.lastSeenAt.getTime() +
      Math.min(SESSION_TOUCH_INTERVAL_MS, SESSION_INACTIVITY_TIMEOUT_MS),
  );
}

/** A member context is reusable before this instant: the earliest expiry of what it holds. */
export function memberValidUntil(member: Pick<MemberContext, 'memberships'>): number {
  return earliestExpiry(member)?.getTime() ?? Number.POSITIVE_INFINITY;
}

/** Whether an entry built at `builtEpoch`, valid in [from, until), may serve epoch `epoch` at `t`. */
export function reusable(
  builtEpoch: string | undefined,
  epoch: string,
  t: number,
  from: number,
  until: number | undefined,
): boolean {
  return builtEpoch === epoch && until !== undefined && t < until && t >= from;
}

/**
 * What a stored session means at `t` (ms): ended (past its absolute expiry or idle too long: delete
 * it), due for its hourly "last seen" touch, or live as stored.
 */
export function sessionStateAt(
  row: { last_seen_at: number; expires_at: number },
  t: number,
): 'ended' | 'touch' | 'live' {
  const idleFor = t - row.last_seen_at;
  if (t >= row.expires_at || idleFor >= SESSION_INACTIVITY_TIMEOUT_MS) return 'ended';
  return idleFor >= SESSION_TOUCH_INTERVAL_MS ? 'touch' : 'live';
}

/** API keys have no browser session; a member context built for one carries this stand-in. */
export function apiKeySession(keyId: string, userId: string, now: Date): ValidSession {
  return {
    id: `api-key:${keyId}`,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(8.64e15),
  };
}
