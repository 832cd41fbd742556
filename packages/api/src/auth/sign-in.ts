import type { Db } from '@tessera/db';
import { users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import type { RequestOrigin } from './sessions.ts';
import { startSignedInSession } from './signed-in-session.ts';
import { ACCOUNT_BUCKET, ADDRESS_BUCKET, resetBucket, returnToken, takeToken } from './throttle.ts';

export interface SignInInput extends RequestOrigin {
  email: string;
  password: string;
  now: Date;
  /** For the on-demand credit refill that a sign-in triggers. */
  timeZone: string;
}

const invalidCredentials = () =>
  new DomainError('INVALID_CREDENTIALS', 'The email or password is incorrect.');

/**
 * Checks a password and starts a fresh session (a new token at every sign-in, so a token planted
 * before sign-in is worthless after). "No such email" and "wrong password" are indistinguishable:
 * same error, same throttling, and an argon2 verification in both cases.
 */
export async function signIn(db: Db, input: SignInInput) {
  const email = normalizeEmail(input.email);
  const accountKey = `account:${email}`;
  const addressKey = input.ip ? `ip:${input.ip}` : null;

  db.transaction((tx) => {
    const account = takeToken(tx, accountKey, ACCOUNT_BUCKET, input.now);
    const address = addressKey
      ? takeToken(tx, addressKey, ADDRESS_BUCKET, input.now)
      : { ok: true as const };
    const refusal = !account.ok ? account : !address.ok ? address : null;
    if (refusal) {
      // Throwing rolls back the token taken from the other bucket.
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins. Try again shortly.', {
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
    }
  });

  const user = db
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email))
    .get();
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  // A disabled account answers exactly as a wrong password (and counts against the throttle), so
  // sign-in reveals nothing about it.
  if (!user || !valid || user.disabledAt !== null) throw invalidCredentials();

  return startSignedInSession(db, {
    userId: user.id,
    now: input.now,
    ip: input.ip,
    userAgent: input.userAgent,
    timeZone: input.timeZone,
    method: 'password',
    alsoInTransaction: (tx) => {
      resetBucket(tx, accountKey);
      if (addressKey) returnToken(tx, addressKey, ADDRESS_BUCKET, input.now);
    },
  });
}
