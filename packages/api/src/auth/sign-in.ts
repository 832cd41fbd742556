import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import type { ThrottleBucket } from '../storage/auth-store.ts';
import type { Stores } from '../storage/stores.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import type { RequestOrigin } from './sessions.ts';
import { beginSignedIn, type FirstFactorOutcome } from './start-session.ts';
import { ACCOUNT_BUCKET, ADDRESS_BUCKET } from './throttle.ts';

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
 * Checks a password, then starts a session or asks for the second factor (beginSignedIn).
 * "No such email" and "wrong password" are indistinguishable: same error, same throttling, and an
 * argon2 verification in both cases; only a right password learns whether 2FA is on. Storage goes
 * through the stores (the 2FA challenge is the account store's), on any engine.
 */
export async function signIn(
  stores: Pick<Stores, 'auth' | 'account' | 'members' | 'money'>,
  input: SignInInput,
): Promise<FirstFactorOutcome> {
  const email = normalizeEmail(input.email);
  const account: ThrottleBucket = { key: `account:${email}`, policy: ACCOUNT_BUCKET };
  const address: ThrottleBucket | null = input.ip
    ? { key: `ip:${input.ip}`, policy: ADDRESS_BUCKET }
    : null;

  const taken = await stores.auth.takeThrottleTokens(
    address ? [account, address] : [account],
    input.now,
  );
  if (!taken.ok) {
    throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins. Try again shortly.', {
      retryAfterSeconds: taken.retryAfterSeconds,
    });
  }

  const user = await stores.auth.findCredentials({ email });
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  // A disabled account answers exactly as a wrong password (and counts against the throttle), so
  // sign-in reveals nothing about it.
  if (!user || !valid || user.disabledAt !== null) throw invalidCredentials();

  await stores.auth.forgiveThrottle({
    reset: [account.key],
    giveBack: address ? [address] : [],
    now: input.now,
  });
  // A right password with 2FA on resets the password bucket only; code guesses have their own.
  return beginSignedIn(stores, {
    userId: user.id,
    twoFactor: user.twoFactor,
    method: 'password',
    now: input.now,
    ip: input.ip,
    userAgent: input.userAgent,
    timeZone: input.timeZone,
  });
}
