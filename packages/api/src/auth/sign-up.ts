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
// unless it came through an invite to the same address.
import type { Db, Tx } from '@tessera/db';
import { users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { type CreateUserInput, createUser } from '../domain/users/create-user.ts';
import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import type { MailLocale } from '../mail/templates.ts';
import type { ThrottleBucket } from '../storage/auth-store.ts';
import type { Stores } from '../storage/stores.ts';
import { issueEmailVerification } from './email-verification.ts';
import { consumeInvite } from './invites.ts';
import { passwordPolicyViolations } from './password.ts';
import { readSignupMode } from './signup-mode.ts';
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

export async function signUp(stores: Pick<Stores, 'auth'>, db: Db, input: SignUpInput) {
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
  // The account itself: its admission (mode, invite, verification mail) runs inside SQLite's
  // creating transaction, so this part still takes `db` (decision 038).
  return createUser(db, {
    email,
    password: input.password,
    ip: input.ip,
    now: input.now,
    admit: (tx, account) => {
      assertSignupAllowed(tx, account, { invited: !!input.inviteToken });
      const invited = input.inviteToken
        ? consumeInvite(tx, { token: input.inviteToken, email, userId: account.id, now: input.now })
        : null;
      if (invited?.matchesEmail) {
        tx.update(users).set({ emailVerifiedAt: input.now }).where(eq(users.id, account.id)).run();
      } else {
        issueEmailVerification(tx, {
          user: { id: account.id, email, locale: input.locale ?? null },
          baseUrl: input.baseUrl,
          now: input.now,
        });
      }
    },
  });
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
  const mode = readSignupMode(tx);
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
