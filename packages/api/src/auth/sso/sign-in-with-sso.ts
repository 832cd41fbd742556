// Turns a verified provider profile into a session, on any engine (the storage is the auth
// store's). Three cases, in this order:
// 1. The (provider, subject) is linked: that user, whatever the address says today.
// 2. An account has the profile's address: linked only when BOTH sides have verified it — the
//    provider vouches for the address, and the account proved it too (users.email_verified_at).
//    Without the second, whoever signed up with someone else's address and a password of their
//    choosing would share the account with its real owner the moment the owner used SSO.
// 3. No account: one is created (if sign-up's mode lets anyone without an invite in), with a
//    random unusable password (so "forgot password" can set a real one later) and the address
//    verified only if the provider says so.
// The link of cases 2 and 3 is made in the session's transaction, so a sign-in that still owes
// its second factor links nothing. Refusals are values (the HTTP layer turns them into a message
// on the sign-in page).
import { randomBytes } from 'node:crypto';
import { prepareNewUser } from '../../domain/users/create-user.ts';
import { normalizeEmail } from '../../domain/users/normalize-email.ts';
import { isDomainError } from '../../errors.ts';
import type { IdentityLink, SsoAccountMatch } from '../../storage/auth-store.ts';
import type { Stores } from '../../storage/stores.ts';
import type { RequestOrigin } from '../sessions.ts';
import { beginSignedIn } from '../start-session.ts';
import type { SsoFailure, SsoProfile, SsoProviderId } from './types.ts';

export interface SsoSignInInput extends RequestOrigin {
  provider: SsoProviderId;
  profile: SsoProfile;
  now: Date;
  timeZone: string;
}

export type SsoSignInResult =
  | {
      ok: true;
      status: 'signed_in';
      userId: string;
      token: string;
      session: { id: string; expiresAt: Date };
      /** What happened to the account: found by its link, linked now, or created now. */
      outcome: 'matched' | 'linked' | 'created';
    }
  | {
      // The account has two-factor authentication: the provider stands in for the password only,
      // so the sign-in page asks for the code with this pending token (nothing is linked yet).
      ok: true;
      status: 'second_factor_required';
      pendingToken: string;
      expiresAt: Date;
    }
  | { ok: false; reason: SsoFailure };

/** What case 1 or 2 comes to for the account found: a refusal, or the account to sign in to. */
export type SsoAccountDecision =
  | { kind: 'refuse'; reason: SsoFailure }
  | { kind: 'sign_in'; userId: string; outcome: 'matched' | 'linked'; twoFactor: boolean }
  | { kind: 'create'; email: string };

export function decideSsoAccount(
  match: SsoAccountMatch | null,
  profile: SsoProfile,
): SsoAccountDecision {
  const refuse = (reason: SsoFailure) => ({ kind: 'refuse', reason }) as const;
  if (match?.by === 'identity') {
    if (match.disabledAt !== null) return refuse('ACCOUNT_DISABLED');
    return { kind: 'sign_in', userId: match.id, outcome: 'matched', twoFactor: match.twoFactor };
  }
  if (!profile.email) return refuse('EMAIL_MISSING');
  if (!match) return { kind: 'create', email: normalizeEmail(profile.email) };
  if (!profile.emailVerified) return refuse('EMAIL_NOT_VERIFIED');
  if (match.emailVerifiedAt === null) return refuse('ACCOUNT_NOT_VERIFIED');
  if (match.disabledAt !== null) return refuse('ACCOUNT_DISABLED');
  return { kind: 'sign_in', userId: match.id, outcome: 'linked', twoFactor: match.twoFactor };
}

type SsoStores = Pick<Stores, 'auth' | 'account' | 'members' | 'money'>;

export async function signInWithSso(
  stores: SsoStores,
  input: SsoSignInInput,
): Promise<SsoSignInResult> {
  const { provider, profile } = input;
  const match = await stores.auth.findSsoAccount({
    provider,
    subject: profile.subject,
    email: profile.email ? normalizeEmail(profile.email) : null,
  });
  const decision = decideSsoAccount(match, profile);
  if (decision.kind === 'refuse') return { ok: false, reason: decision.reason };
  if (decision.kind === 'sign_in') return start(stores, input, decision);

  // Hashed outside any transaction, and only when an account is really to be created.
  const account = await prepareNewUser({
    email: decision.email,
    // 256 random bits nobody knows: a password sign-in cannot succeed until a reset sets one.
    password: randomBytes(32).toString('base64url'),
    displayName: profile.displayName?.slice(0, 100) ?? null,
    emailVerified: profile.emailVerified,
    actorLabel: `sso:${provider}`,
    ip: input.ip,
    now: input.now,
  });
  let created: { id: string };
  try {
    created = await stores.auth.createSsoAccount(account);
  } catch (error) {
    if (isDomainError(error) && error.code === 'SIGNUP_CLOSED') {
      return { ok: false, reason: 'SIGNUP_CLOSED' };
    }
    // Someone created the address a moment ago (a double click on the provider's consent page, a
    // second instance): decide again against the account that now exists, which links it.
    if (isDomainError(error) && error.code === 'EMAIL_TAKEN') return signInWithSso(stores, input);
    throw error;
  }
  return start(stores, input, {
    userId: created.id,
    outcome: 'created',
    twoFactor: false,
  });
}

async function start(
  stores: SsoStores,
  input: SsoSignInInput,
  account: { userId: string; outcome: 'matched' | 'linked' | 'created'; twoFactor: boolean },
): Promise<SsoSignInResult> {
  const { userId, outcome } = account;
  const link: IdentityLink | undefined =
    outcome === 'matched'
      ? undefined
      : {
          provider: input.provider,
          subject: input.profile.subject,
          email: input.profile.email,
          outcome,
        };
  const begun = await beginSignedIn(stores, {
    userId,
    now: input.now,
    ip: input.ip,
    userAgent: input.userAgent,
    timeZone: input.timeZone,
    method: `sso:${input.provider}`,
    twoFactor: account.twoFactor,
    link,
  });
  if (begun.status === 'second_factor_required') {
    return {
      ok: true,
      status: 'second_factor_required',
      pendingToken: begun.pendingToken,
      expiresAt: begun.expiresAt,
    };
  }
  return {
    ok: true,
    status: 'signed_in',
    userId,
    token: begun.token,
    session: { id: begun.session.id, expiresAt: begun.session.expiresAt },
    outcome,
  };
}
