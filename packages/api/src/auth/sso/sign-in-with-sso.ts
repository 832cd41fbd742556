// Turns a verified provider profile into a session. Three cases, in this order:
// 1. The (provider, subject) is linked: that user, whatever the address says today.
// 2. An account has the profile's address: linked only when BOTH sides have verified it — the
//    provider vouches for the address, and the account proved it too (users.email_verified_at).
//    Without the second, whoever signed up with someone else's address and a password of their
//    choosing would share the account with its real owner the moment the owner used SSO.
// 3. No account: one is created (if sign-up's mode lets anyone without an invite in), with a random unusable password (so "forgot password" can set a
//    real one later) and the address verified only if the provider says so.
// Refusals are values (the HTTP layer turns them into a message on the sign-in page).
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '@tessera/db';
import { userIdentities, users } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { createUser } from '../../domain/users/create-user.ts';
import { normalizeEmail } from '../../domain/users/normalize-email.ts';
import { DomainError, isDomainError } from '../../errors.ts';
import type { RequestOrigin } from '../sessions.ts';
import { assertSignupAllowed } from '../sign-up.ts';
import { completeFirstFactor } from '../start-session.ts';
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

export async function signInWithSso(db: Db, input: SsoSignInInput): Promise<SsoSignInResult> {
  const { provider, profile } = input;
  const linked = db
    .select({ userId: users.id, disabledAt: users.disabledAt })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, profile.subject)))
    .get();
  if (linked) {
    if (linked.disabledAt !== null) return { ok: false, reason: 'ACCOUNT_DISABLED' };
    return start(db, input, linked.userId, 'matched');
  }

  if (!profile.email) return { ok: false, reason: 'EMAIL_MISSING' };
  const email = normalizeEmail(profile.email);
  const existing = db
    .select({ id: users.id, disabledAt: users.disabledAt, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.email, email))
    .get();
  if (existing) {
    if (!profile.emailVerified) return { ok: false, reason: 'EMAIL_NOT_VERIFIED' };
    if (existing.verifiedAt === null) return { ok: false, reason: 'ACCOUNT_NOT_VERIFIED' };
    if (existing.disabledAt !== null) return { ok: false, reason: 'ACCOUNT_DISABLED' };
    return start(db, input, existing.id, 'linked');
  }

  let created: { id: string };
  try {
    created = await createUser(db, {
      email,
      // 256 random bits nobody knows: a password sign-in cannot succeed until a reset sets one.
      password: randomBytes(32).toString('base64url'),
      displayName: profile.displayName?.slice(0, 100) ?? null,
      emailVerified: profile.emailVerified,
      actorLabel: `sso:${provider}`,
      ip: input.ip,
      now: input.now,
      // An issuer is another way to sign up, so sign-up's mode holds here too.
      admit: (tx, account) => assertSignupAllowed(tx, account, { invited: false }),
    });
  } catch (error) {
    if (isDomainError(error) && error.code === 'SIGNUP_CLOSED') {
      return { ok: false, reason: 'SIGNUP_CLOSED' };
    }
    // Someone created the address a moment ago (a double click on the provider's consent page):
    // decide again against the account that now exists.
    if (isDomainError(error) && error.code === 'EMAIL_TAKEN') return signInWithSso(db, input);
    throw error;
  }
  return start(db, input, created.id, 'created');
}

function start(
  db: Db,
  input: SsoSignInInput,
  userId: string,
  outcome: 'matched' | 'linked' | 'created',
): SsoSignInResult {
  const outcomeOfFactor = completeFirstFactor(db, {
    userId,
    now: input.now,
    ip: input.ip,
    userAgent: input.userAgent,
    timeZone: input.timeZone,
    method: `sso:${input.provider}`,
    alsoInTransaction:
      outcome === 'matched' ? undefined : (tx) => linkIdentity(tx, input, userId, outcome),
  });
  if (outcomeOfFactor.status === 'second_factor_required') {
    return {
      ok: true,
      status: 'second_factor_required',
      pendingToken: outcomeOfFactor.pendingToken,
      expiresAt: outcomeOfFactor.expiresAt,
    };
  }
  return {
    ok: true,
    status: 'signed_in',
    userId,
    token: outcomeOfFactor.token,
    session: {
      id: outcomeOfFactor.session.id,
      expiresAt: outcomeOfFactor.session.expiresAt,
    },
    outcome,
  };
}

function linkIdentity(tx: Tx, input: SsoSignInInput, userId: string, outcome: string) {
  const inserted = tx
    .insert(userIdentities)
    .values({
      provider: input.provider,
      subject: input.profile.subject,
      userId,
      email: input.profile.email,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ userId: userIdentities.userId })
    .get();
  if (!inserted) {
    // A racing sign-in of the same outside account linked it first (another process, a double
    // click): fine if to this very user, and a refusal — rolling back this session — if not.
    const owner = tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(
          eq(userIdentities.provider, input.provider),
          eq(userIdentities.subject, input.profile.subject),
        ),
      )
      .get();
    if (owner?.userId === userId) return;
    throw new DomainError('CONFLICT', 'This outside account is already linked to another account.');
  }
  recordAudit(tx, {
    tenantId: null,
    actorUserId: userId,
    action: 'user.identity_linked',
    subjectType: 'user',
    subjectId: userId,
    data: { provider: input.provider, subject: input.profile.subject, outcome },
    ip: input.ip,
    createdAt: input.now,
  });
}

/** The outside accounts linked to a user, for the Account page. */
export function listUserIdentities(db: Db, userId: string) {
  return db
    .select({
      provider: userIdentities.provider,
      subject: userIdentities.subject,
      email: userIdentities.email,
      createdAt: userIdentities.createdAt,
    })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId))
    .orderBy(userIdentities.createdAt)
    .all();
}
