// The SQLite adapter of the auth store: today's synchronous functions behind the port, unchanged
// (the same statements, the same transactions), each behind a resolved promise.
import type { Db } from '@tessera/db';
import { sessions, users, userTotp } from '@tessera/db';
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { isEmailVerified } from '../../auth/email-verification.ts';
import {
  createSession,
  invalidateSession,
  invalidateSessionToken,
  invalidateUserSessions,
  listUserSessions,
} from '../../auth/sessions.ts';
import { signupAdmission } from '../../auth/sign-up.ts';
import { findSsoAccount, insertSsoAccount } from '../../auth/sso/sso-accounts.ts';
import { startSessionOnly } from '../../auth/start-session.ts';
import { resetBucket, returnToken, takeToken } from '../../auth/throttle.ts';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { listUserRoles } from '../../domain/tenancy/list-user-roles.ts';
import { insertNewUser } from '../../domain/users/create-user.ts';
import { listUsers } from '../../domain/users/list-users.ts';
import { normalizeEmail } from '../../domain/users/normalize-email.ts';
import { setUserDisabled } from '../../domain/users/set-user-disabled.ts';
import { setUserLocale } from '../../domain/users/set-user-locale.ts';
import type { AuthStore, ThrottleDecision } from '../auth-store.ts';

/** Thrown inside a throttle transaction to roll back the tokens already taken. */
class Refused extends Error {
  constructor(readonly decision: ThrottleDecision) {
    super('throttled');
  }
}

export function createSqliteAuthStore(db: Db): AuthStore {
  return {
    async takeThrottleTokens(buckets, now) {
      try {
        db.transaction((tx) => {
          for (const bucket of buckets) {
            const taken = takeToken(tx, bucket.key, bucket.policy, now);
            if (!taken.ok) throw new Refused(taken);
          }
        });
      } catch (error) {
        if (error instanceof Refused) return error.decision;
        throw error;
      }
      return { ok: true };
    },

    async forgiveThrottle({ reset, giveBack, now }) {
      db.transaction((tx) => {
        for (const key of reset) resetBucket(tx, key);
        for (const bucket of giveBack) returnToken(tx, bucket.key, bucket.policy, now);
      });
    },

    async findCredentials(by) {
      const row = db
        .select({
          id: users.id,
          email: users.email,
          passwordHash: users.passwordHash,
          disabledAt: users.disabledAt,
          totpEnabledAt: userTotp.enabledAt,
        })
        .from(users)
        .leftJoin(userTotp, and(eq(userTotp.userId, users.id), isNotNull(userTotp.enabledAt)))
        .where('email' in by ? eq(users.email, by.email) : eq(users.id, by.userId))
        .get();
      if (!row) return null;
      const { totpEnabledAt, ...credentials } = row;
      return { ...credentials, twoFactor: totpEnabledAt !== null };
    },

    async replacePassword(input) {
      return db.transaction((tx) => {
        // Guarded on the hash that was verified: a concurrent change in between wins.
        const changed = tx
          .update(users)
          .set({ passwordHash: input.newHash })
          .where(and(eq(users.id, input.userId), eq(users.passwordHash, input.verifiedHash)))
          .run().changes;
        if (changed === 0) return null;
        resetBucket(tx, input.throttleKey);
        const sessionsEnded = tx
          .delete(sessions)
          .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.keepSessionId)))
          .run().changes;
        recordAudit(tx, {
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
      });
    },

    async createSession(input) {
      return createSession(db, input);
    },

    async startSession(input) {
      return startSessionOnly(db, input);
    },

    async endSessionByToken(token) {
      return invalidateSessionToken(db, token);
    },

    async listSessions(userId) {
      return listUserSessions(db, userId);
    },

    async endSession(userId, sessionId) {
      return invalidateSession(db, userId, sessionId);
    },

    async endAllSessions({ userId, ip, now }) {
      return db.transaction((tx) => {
        const count = invalidateUserSessions(tx, userId);
        recordAudit(tx, {
          tenantId: null,
          actorUserId: userId,
          action: 'session.revoked_all',
          subjectType: 'user',
          subjectId: userId,
          data: { count },
          ip,
          createdAt: now,
        });
        return count;
      });
    },

    async createUser(input) {
      return insertNewUser(db, input);
    },

    async signUp(input) {
      const { inviteToken, locale, baseUrl, ...account } = input;
      return insertNewUser(db, {
        ...account,
        admit: signupAdmission({ inviteToken, locale, baseUrl, now: input.now }),
      });
    },

    async findSsoAccount(input) {
      return findSsoAccount(db, input);
    },

    async createSsoAccount(input) {
      return insertSsoAccount(db, input);
    },

    async listUsers(input) {
      return listUsers(db, input);
    },

    async userById(userId) {
      return (
        db
          .select({
            id: users.id,
            email: users.email,
            displayName: users.displayName,
            createdAt: users.createdAt,
            disabledAt: users.disabledAt,
            disabledReason: users.disabledReason,
            emailVerifiedAt: users.emailVerifiedAt,
          })
          .from(users)
          .where(eq(users.id, userId))
          .get() ?? null
      );
    },

    async userByEmail(email) {
      return (
        db
          .select({
            id: users.id,
            email: users.email,
            displayName: users.displayName,
            createdAt: users.createdAt,
          })
          .from(users)
          .where(eq(users.email, normalizeEmail(email)))
          .get() ?? null
      );
    },

    async viewerStanding(userId) {
      // The two statements prepared once per connection that `auth.me` has always used.
      return { roles: listUserRoles(db, userId), emailVerified: isEmailVerified(db, userId) };
    },

    async setUserDisabled(input) {
      return setUserDisabled(db, input);
    },

    async setUserLocale(userId, locale) {
      setUserLocale(db, userId, locale);
    },
  };
}
