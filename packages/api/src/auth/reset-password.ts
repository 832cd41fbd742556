// Using a reset link: the token is consumed by one guarded UPDATE (unused and unexpired, now), the
// new password (same policy as sign-up) replaces the old one, every other reset link of the user
// dies, and every session of the user ends — all in one transaction, audited.
import type { Db } from '@tessera/db';
import { passwordResetTokens, twoFactorChallenges, users } from '@tessera/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { hashPassword, passwordPolicyViolations } from './password.ts';
import { parseSessionToken, secretMatches } from './session-token.ts';
import { invalidateUserSessions } from './sessions.ts';
import { resetBucket } from './throttle.ts';

type LinkProblem = 'unknown' | 'used' | 'expired';

export const invalidResetLink = (reason: LinkProblem) =>
  new DomainError(
    'RESET_LINK_INVALID',
    reason === 'unknown'
      ? 'This reset link is not valid. Ask for a new one.'
      : reason === 'used'
        ? 'This reset link was already used. Ask for a new one.'
        : 'This reset link has expired. Ask for a new one.',
    { reason },
  );

interface LinkRow {
  secretHash: Uint8Array;
  usedAt: Date | null;
  expiresAt: Date;
}

/** Refuses a link whose row is missing, does not match its secret, was used or has expired. */
export function checkResetLink<R extends LinkRow>(
  secret: string,
  row: R | undefined,
  now: Date,
): asserts row is R {
  if (!row || !secretMatches(secret, row.secretHash)) throw invalidResetLink('unknown');
  if (row.usedAt !== null) throw invalidResetLink('used');
  if (row.expiresAt.getTime() <= now.getTime()) throw invalidResetLink('expired');
}

/** The new password against the policy (as at sign-up), then its hash: before any transaction. */
export async function hashResetPassword(password: string, email: string): Promise<string> {
  const violations = passwordPolicyViolations(password, email);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', 'The password does not meet the password policy.', {
      fieldErrors: { password: violations },
    });
  }
  return hashPassword(password);
}

export async function resetPassword(
  db: Db,
  input: { token: string; password: string; ip: string | null; now: Date },
): Promise<{ sessionsEnded: number }> {
  const parsed = parseSessionToken(input.token);
  if (!parsed) throw invalidResetLink('unknown');
  const row = db
    .select({
      id: passwordResetTokens.id,
      secretHash: passwordResetTokens.secretHash,
      usedAt: passwordResetTokens.usedAt,
      expiresAt: passwordResetTokens.expiresAt,
      userId: passwordResetTokens.userId,
      email: users.email,
    })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.id, parsed.id))
    .get();
  checkResetLink(parsed.secret, row, input.now);
  const passwordHash = await hashResetPassword(input.password, row.email);
  return db.transaction((tx) => {
    // The guard: of two uses racing (or a use racing the expiry), exactly one gets the row.
    const consumed = tx
      .update(passwordResetTokens)
      .set({ usedAt: input.now })
      .where(
        and(
          eq(passwordResetTokens.id, row.id),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, input.now),
        ),
      )
      .returning({ userId: passwordResetTokens.userId })
      .get();
    if (!consumed) throw invalidResetLink('used');
    tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId)).run();
    // Other links mailed before this one stop working too: the password they would reset is gone.
    tx.update(passwordResetTokens)
      .set({ usedAt: input.now })
      .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)))
      .run();
    resetBucket(tx, `account:${row.email}`);
    // A sign-in that got past the old password and waits for its code ends with the sessions.
    tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, row.userId)).run();
    const sessionsEnded = invalidateUserSessions(tx, row.userId);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: row.userId,
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: row.userId,
      data: { tokenId: row.id, sessionsEnded },
      ip: input.ip,
      createdAt: input.now,
    });
    return { sessionsEnded };
  });
}
