// Self-service sign-up. It answers EMAIL_TAKEN for an address that has an account (the form must
// say so), which makes each attempt a question about who has an account here: so, like a failed
// sign-in (decision 002), every attempt takes a token from the email's bucket and the network's
// bucket first, in one transaction of guarded upserts (the auth store's takeThrottleTokens). Only an attempt that gets as far as asking
// pays: a password the policy refuses is answered before any token is taken, as it reveals nothing
// about the email. Tokens are not given back on success — a new account is what a flood of
// sign-ups from one network would be after, too. Admins and the CLI call createUser directly.
//
// Who may sign up (decision 022) is decided inside the transaction that creates the account: the
// first account always (the operator claiming the platform), then the admin's sign-up mode, with
// an invite consumed in the same transaction. A new account gets a verification link by mail,
// unless it came through an invite to the same address. Storage goes through the auth store
// (its `signUp` runs that transaction on either engine; `signupAdmission` is SQLite's part of it).
import type { Tx } from '@tessera/db';
import { users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { type CreateUserInput, prepareNewUser } from '../domain/users/create-user.ts';
import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import type { MailLocale } from '../mail/templates.ts';
import type { SignUpRequest, ThrottleBucket } from '../storage/auth-store.ts';
import type { Stores } from '../storage/stores.ts';
import { issueEmailVerification } from './email-verification.ts';
import { consumeInvite } from './invites.ts';
import { passwordPolicyViolations } from './password.ts';
import { readSignupMode, type SignupMode } from './signup-mode.ts';
import { networkOf, SIGNUP_EMAIL_BUCKET, SIGNUP_NETWORK_BUCKET } from './throttle.ts';

export interface SignUpInput extends Pick<CreateUserInput, 'email' | 'password' | 'now'> {
  ip: string | null;
  /** The token of the invite link the page was opened with, if any. */
  inviteToken?: string | null;
  /** The language the page is shown in: the verification mail is written in it. */
  locale?: MailLocale;
  /** Where the verification link points: PUBLIC_URL, else the request's checked origin. */
  baseUrl: string;
}

export async function signUp(stores: Pick<Stores, 'auth'>, input: SignUpInput) {
  const email = normalizeEmail(input.email);
  const violations = passwordPolicyViolations(input.password, email);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', 'The password does not meet the password policy.', {
      fieldErrors: { password: violations },
    });
  }
  const buckets: ThrottleBucket[] = [{ key: `signup:${email}`, policy: SIGNUP_EMAIL_BUCKET }];
  if (input.ip) {
    buckets.push({ key: `signup-net:${networkOf(input.ip)}`, policy: SIGNUP_NETWORK_BUCKET });
  }
  // All or nothing: a refusal takes no token from the other bucket.
  const taken = await stores.auth.takeThrottleTokens(buckets, input.now);
  if (!taken.ok)
    throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many sign-ups. Try again shortly.', {
      retryAfterSeconds: taken.retryAfterSeconds,
    });
  const account = await prepareNewUser({
    email,
    password: input.password,
    ip: input.ip,
    now: input.now,
  });
  return stores.auth.signUp({
    ...account,
    inviteToken: input.inviteToken || null,
    locale: input.locale ?? null,
    baseUrl: input.baseUrl,
  });
}

/**
 * Sign-up's admission inside SQLite's creating transaction (createUser's `admit`): the mode, the
 * invite consumed, then the address verified by the invite or a verification mail queued.
 */
export function signupAdmission(
  request: Pick<SignUpRequest, 'inviteToken' | 'locale' | 'baseUrl' | 'now'>,
): NonNullable<CreateUserInput['admit']> {
  return (tx, account) => {
    assertSignupAllowed(tx, account, { invited: !!request.inviteToken });
    const invited = request.inviteToken
      ? consumeInvite(tx, {
          token: request.inviteToken,
          email: account.email,
          userId: account.id,
          now: request.now,
        })
      : null;
    if (invited?.matchesEmail) {
      tx.update(users).set({ emailVerifiedAt: request.now }).where(eq(users.id, account.id)).run();
    } else {
      issueEmailVerification(tx, {
        user: { id: account.id, email: account.email, locale: request.locale },
        baseUrl: request.baseUrl,
        now: request.now,
      });
    }
  };
}

/**
 * Sign-up's mode, checked inside the creating transaction (decision 022): the first account is
 * always allowed (it becomes the owner); after it, closed refuses everyone and invite-only everyone
 * without an invite. SSO's account creation calls this too (no invite travels through an issuer).
 */
export function assertSignupAllowed(
  tx: Tx,
  account: { firstAccount: boolean },
  options: { invited: boolean },
): void {
  if (account.firstAccount) return;
  assertModeAdmits(readSignupMode(tx), options);
}

/** The mode's answer for an account that is not the first, on every engine. */
export function assertModeAdmits(mode: SignupMode, options: { invited: boolean }): void {
  if (mode === 'closed' || (mode === 'invite' && !options.invited)) {
    throw new DomainError(
      'SIGNUP_CLOSED',
      mode === 'closed'
        ? 'Sign-up is closed on this service.'
        : 'Sign-up here is by invitation only.',
      { mode },
    );
  }
}
