// A signed-in user changes their password: the current one is required (and throttled like a
// sign-in, so a stolen session cannot be used to guess it), the new one meets the policy, and
// every other session of theirs ends in the same transaction as the new hash.
import type { Db } from '@tessera/db';
import { sessions, users } from '@tessera/db';
import { and, eq, ne } from 'drizzle-orm';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { hashPassword, passwordPolicyViolations, verifyPassword } from './password.ts';
import { ACCOUNT_BUCKET, resetBucket, takeToken } from './throttle.ts';

export async function changePassword(
  db: Db,
  input: {
    userId: string;
    sessionId: string;
    currentPassword: string;
    newPassword: string;
    ip: string | null;
    now: Date;
  },
): Promise<{ sessionsEnded: number }> {
  const user = db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, input.userId))
    .get();
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
  const bucket = `account:${user.email}`;
  const taken = takeToken(db, bucket, ACCOUNT_BUCKET, input.now);
  if (!taken.ok) {
    throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong passwords. Try again shortly.', {
      retryAfterSeconds: taken.retryAfterSeconds,
    });
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError('INVALID_CREDENTIALS', 'The current password is incorrect.', {
      fieldErrors: { currentPassword: ['WRONG_PASSWORD'] },
    });
  }
  const violations = passwordPolicyViolations(input.newPassword, user.email);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', 'The password does not meet the password policy.', {
      fieldErrors: { newPassword: violations },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction((tx) => {
    // Guarded on the hash that was verified: a concurrent change in between wins, this one fails.
    const changed = tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, input.userId), eq(users.passwordHash, user.passwordHash)))
      .run().changes;
    if (changed === 0) throw new DomainError('CONFLICT', 'The password was changed meanwhile.');
    resetBucket(tx, bucket);
    const sessionsEnded = tx
      .delete(sessions)
      .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.sessionId)))
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
}
