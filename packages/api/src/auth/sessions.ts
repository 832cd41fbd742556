// The session engine: create, validate, list and end sessions. Callers pass `now` so tests can
// move the clock.
import type { DbOrTx } from '@tessera/db';
import { sessions, users } from '@tessera/db';
import { and, desc, eq, ne } from 'drizzle-orm';
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
} from './session-policy.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from './session-token.ts';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
}

export interface ValidSession {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a session with a brand-new token; the token is returned once and never stored. */
export function createSession(
  db: DbOrTx,
  input: { userId: string; now: Date } & RequestOrigin,
): { token: string; session: ValidSession } {
  const { id, token, secretHash } = generateSessionToken();
  const session = {
    id,
    userId: input.userId,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + SESSION_ABSOLUTE_LIFETIME_MS),
  };
  db.insert(sessions)
    .values({
      ...session,
      secretHash: Buffer.from(secretHash),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    })
    .run();
  return { token, session };
}

/** The session and user behind a token, or null (and the row deleted) when it is no longer valid. */
export function validateSessionToken(
  db: DbOrTx,
  token: string,
  now: Date,
): { session: ValidSession; user: SessionUser } | null {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const row = db
    .select({
      id: sessions.id,
      secretHash: sessions.secretHash,
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      user: {
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        createdAt: users.createdAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, parsed.id))
    .get();
  if (!row || !secretMatches(parsed.secret, row.secretHash)) return null;

  const t = now.getTime();
  const idleFor = t - row.lastSeenAt.getTime();
  if (t >= row.expiresAt.getTime() || idleFor >= SESSION_INACTIVITY_TIMEOUT_MS) {
    db.delete(sessions).where(eq(sessions.id, row.id)).run();
    return null;
  }
  let lastSeenAt = row.lastSeenAt;
  if (idleFor >= SESSION_TOUCH_INTERVAL_MS) {
    lastSeenAt = now;
    db.update(sessions).set({ lastSeenAt }).where(eq(sessions.id, row.id)).run();
  }
  const { user, secretHash: _hash, ...session } = row;
  return { session: { ...session, lastSeenAt }, user };
}

export function listUserSessions(db: DbOrTx, userId: string) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
}

/** Ends one of the user's own sessions; false when no such session of theirs exists. */
export function invalidateSession(db: DbOrTx, userId: string, sessionId: string): boolean {
  const result = db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .run();
  return result.changes > 0;
}

/** Ends every session of a user, optionally keeping one; returns how many ended. */
export function invalidateUserSessions(db: DbOrTx, userId: string, keepSessionId?: string): number {
  const where = keepSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
    : eq(sessions.userId, userId);
  return db.delete(sessions).where(where).run().changes;
}
