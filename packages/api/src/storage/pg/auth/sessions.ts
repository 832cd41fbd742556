// Sessions and passwords on PostgreSQL: the writes of sign-in, sign-out, revocation and a password
// change (resolving a token on each request is the member context's read, not this file's).
import { authThrottles, type PgDb, type PgDbOrTx, sessions, users, userTotp } from '@tessera/db/pg';
import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import { parseSessionToken, secretMatches } from '../../../auth/session-token.ts';
import { newSession } from '../../../auth/sessions.ts';
import type { AuthStore } from '../../auth-store.ts';
import { withRetry } from '../retry.ts';
import { pgLinkIdentity } from './sso.ts';
import { insertAudit } from './writes.ts';

type SessionMethods =
  | 'findCredentials'
  | 'replacePassword'
  | 'createSession'
  | 'startSession'
  | 'listSessions'
  | 'endSession'
  | 'endSessionByToken'
  | 'endAllSessions';

async function insertSession(tx: PgDbOrTx, input: Parameters<typeof newSession>[0]) {
  const { token, session, row } = newSession(input);
  await tx.insert(sessions).values(row);
  return { token, session };
}

export function createPgSessions(db: PgDb): Pick<AuthStore, SessionMethods> {
  return {
    async findCredentials(by) {
      const [row] = await db
        .select({
          id: users.id,
          email: users.email,
          passwordHash: users.passwordHash,
          disabledAt: users.disabledAt,
          totpEnabledAt: userTotp.enabledAt,
        })
        .from(users)
        .leftJoin(userTotp, and(eq(userTotp.userId, users.id), isNotNull(userTotp.enabledAt)))
        .where('email' in by ? eq(users.email, by.email) : eq(users.id, by.userId));
      if (!row) return null;
      const { totpEnabledAt, ...credentials } = row;
      return { ...credentials, twoFactor: totpEnabledAt !== null };
    },

    replacePassword: (input) =>
      withRetry(() =>
        db.transaction(async (tx) => {
          // Guarded on the hash that was verified: a concurrent change in between wins.
          const changed = await tx
            .update(users)
            .set({ passwordHash: input.newHash })
            .where(and(eq(users.id, input.userId), eq(users.passwordHash, input.verifiedHash)))
            .returning({ id: users.id });
          if (changed.length === 0) return null;
          await tx.delete(authThrottles).where(eq(authThrottles.key, input.throttleKey));
          const ended = await tx
            .delete(sessions)
            .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.keepSessionId)))
            .returning({ id: sessions.id });
          const sessionsEnded = ended.length;
          await insertAudit(tx, {
            tenantId: null,
            actorUserId: input.userId,
            action: 'user.password_changed',
            subjectType: 'user',
            subjectId: input.userId,
            data: { sessionsEnded },
            ip: input.ip,
            createdAt: input.now,
          });
          return { sessionsEnded };
        }),
      ),

    createSession: (input) => insertSession(db, input),

    // The session and its audit event (and SSO's link); the sign-in bookkeeping (lapsed marks, on-demand refills)
    // is done by the caller through the members and money stores on both engines: decision 038.
    startSession: (input) =>
      db.transaction(async (tx) => {
        // SSO's link first, as on SQLite: a link that belongs to another account starts nothing.
        if (input.link) {
          await pgLinkIdentity(tx, {
            ...input.link,
            userId: input.userId,
            ip: input.ip,
            now: input.now,
          });
        }
        const started = await insertSession(tx, input);
        await insertAudit(tx, {
          tenantId: null,
          actorUserId: input.userId,
          action: 'session.created',
          subjectType: 'user',
          subjectId: input.userId,
          data: {
            sessionId: started.session.id,
            userAgent: input.userAgent,
            method: input.method,
            ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}),
          },
          ip: input.ip,
          createdAt: input.now,
        });
        return { ...started, userId: input.userId };
      }),

    listSessions: (userId) =>
      db
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
        .orderBy(desc(sessions.lastSeenAt)),

    async endSession(userId, sessionId) {
      const ended = await db
        .delete(sessions)
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
        .returning({ id: sessions.id });
      return ended.length > 0;
    },

    async endSessionByToken(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return false;
      const [row] = await db
        .select({ id: sessions.id, secretHash: sessions.secretHash })
        .from(sessions)
        .where(eq(sessions.id, parsed.id));
      if (!row || !secretMatches(parsed.secret, row.secretHash)) return false;
      const ended = await db
        .delete(sessions)
        .where(eq(sessions.id, row.id))
        .returning({ id: sessions.id });
      return ended.length > 0;
    },

    endAllSessions: ({ userId, ip, now }) =>
      withRetry(() =>
        db.transaction(async (tx) => {
          const ended = await tx
            .delete(sessions)
            .where(eq(sessions.userId, userId))
            .returning({ id: sessions.id });
          await insertAudit(tx, {
            tenantId: null,
            actorUserId: userId,
            action: 'session.revoked_all',
            subjectType: 'user',
            subjectId: userId,
            data: { count: ended.length },
            ip,
            createdAt: now,
          });
          return ended.length;
        }),
      ),
  };
}
