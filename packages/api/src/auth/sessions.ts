// The session engine: create, validate, list and end sessions. Callers pass `now` so tests can
// move the clock.
import type { Db, DbOrTx } from '@tessera/db';
import { sessions } from '@tessera/db';
import { and, desc, eq, ne } from 'drizzle-orm';
import { sessionStateAt } from '../member/cache-rules.ts';
import { memberStatements } from '../member/member-statements.ts';
import { SESSION_ABSOLUTE_LIFETIME_MS } from './session-policy.ts';
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

/**
 * A brand-new session for every engine: the token (returned once, never stored), the session as
 * the caller sees it and the row to insert (only the secret's hash is kept).
 */
export function newSession(input: { userId: string; now: Date } & RequestOrigin) {
  const { id, token, secretHash } = generateSessionToken();
  const session: ValidSession = {
    id,
    userId: input.userId,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + SESSION_ABSOLUTE_LIFETIME_MS),
  };
  const row = {
    ...session,
    secretHash: Buffer.from(secretHash),
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
  };
  return { token, session, row };
}

/** Starts a session with a brand-new token; the token is returned once and never stored. */
export function createSession(
  db: DbOrTx,
  input: { userId: string; now: Date } & RequestOrigin,
): { token: string; session: ValidSession } {
  const { token, session, row } = newSession(input);
  db.insert(sessions).values(row).run();
  return { token, session };
}

/** The session and user behind a token, or null (and the row deleted) when it is no longer valid. */
export function validateSessionToken(
  db: Db,
  token: string,
  now: Date,
): { session: ValidSession; user: SessionUser } | null {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const statements = memberStatements(db.$client);
  const row = statements.session.get(parsed.id);
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;

  const t = now.getTime();
  const state = sessionStateAt(row, t);
  if (state === 'ended') {
    statements.deleteSession.run(row.id);
    return null;
  }
  let lastSeenAt = row.last_seen_at;
  if (state === 'touch') {
    lastSeenAt = t;
    statements.touchSession.run(t, row.id);
  }
  return {
    session: {
      id: row.id,
      userId: row.user_id,
      createdAt: new Date(row.created_at),
      lastSeenAt: new Date(lastSeenAt),
      expiresAt: new Date(row.expires_at),
    },
    user: {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      createdAt: new Date(row.user_created_at),
    },
  };
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

/**
 * Ends the session a token names, if the token is genuine (a sign-in ends the session cookie that
 * came with it: session fixation). Returns whether a session ended.
 */
export function invalidateSessionToken(db: Db, token: string): boolean {
  const parsed = parseSessionToken(token);
  if (!parsed) return false;
  const row = memberStatements(db.$client).session.get(parsed.id);
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return false;
  return db.delete(sessions).where(eq(sessions.id, row.id)).run().changes > 0;
}
