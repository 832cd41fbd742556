// A signed-in user changes their password: the current one is required (and throttled like a
// sign-in, so a stolen session cannot be used to guess it), the new one meets the policy, and
// every other session of theirs ends in the same transaction as the new hash.
import { DomainError } from '../errors.ts';
import type { Stores } from '../storage/stores.ts';
import { hashPassword, passwordPolicyViolations, verifyPassword } from './password.ts';
import { ACCOUNT_BUCKET } from './throttle.ts';

export async function changePassword(
  stores: Pick<Stores, 'auth'>,
  input: {
    userId: string;
    sessionId: string;
    currentPassword: string;
    newPassword: string;
    ip: string | null;
    now: Date;
  },
): Promise<{ sessionsEnded: number }> {
  const user = await stores.auth.findCredentials({ userId: input.userId });
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
  const bucket = { key: `account:${user.email}`, policy: ACCOUNT_BUCKET };
  const taken = await stores.auth.takeThrottleTokens([bucket], input.now);
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
  const replaced = await stores.auth.replacePassword({
    userId: input.userId,
    keepSessionId: input.sessionId,
    verifiedHash: user.passwordHash,
    newHash: await hashPassword(input.newPassword),
    throttleKey: bucket.key,
    ip: input.ip,
    now: input.now,
  });
  // Guarded on the hash that was verified: a concurrent change in between wins, this one fails.
  if (!replaced) throw new DomainError('CONFLICT', 'The password was changed meanwhile.');
  return replaced;
}
