// The pending sign-in between the first factor and the code: a session-shaped token
// (`<id>.<secret>`, only SHA-256 of the secret stored), bound to the user, alive 5 minutes, used
// once. It grants nothing by itself; `completeTwoFactorSignIn` trades it plus a valid code for a
// session, exactly as a password sign-in without 2FA would have started one (redeemTwoFactorChallenge
// here, then the auth store's startSession).
import type { Db, DbOrTx } from '@tessera/db';
import { twoFactorChallenges, users } from '@tessera/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from '../session-token.ts';
import type { TwoFactorSettings } from './secret-box.ts';
import {
  acceptSecondFactor,
  forgiveSecondFactorAttempts,
  invalidCode,
  type SecondFactorMethod,
  takeSecondFactorAttempt,
} from './verify-second-factor.ts';

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;

export function issueTwoFactorChallenge(
  db: DbOrTx,
  input: { userId: string; now: Date; method: string },
): { pendingToken: string; expiresAt: Date } {
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + CHALLENGE_LIFETIME_MS);
  db.insert(twoFactorChallenges)
    .values({
      id,
      secretHash: Buffer.from(secretHash),
      userId: input.userId,
      method: input.method,
      createdAt: input.now,
      expiresAt,
    })
    .run();
  return { pendingToken: token, expiresAt };
}

export const challengeInvalid = () =>
  new DomainError(
    'TWO_FACTOR_CHALLENGE_INVALID',
    'This sign-in has expired or was already completed. Sign in again.',
  );

/** What a redeemed challenge proves: who signed in, with which first factor and which second. */
export interface RedeemedChallenge {
  userId: string;
  /** The first factor's method (`password` or an SSO provider), for the session's audit event. */
  method: string;
  secondFactor: SecondFactorMethod;
}

export interface RedeemChallengeInput {
  pendingToken: string;
  code: string;
  settings: TwoFactorSettings;
  ip: string | null;
  now: Date;
}

/**
 * Checks the pending token and the code and marks the challenge used; the caller then starts the
 * session (the auth store's startSession), exactly as a sign-in without 2FA would.
 */
export function redeemTwoFactorChallenge(db: Db, input: RedeemChallengeInput): RedeemedChallenge {
  const parsed = parseSessionToken(input.pendingToken);
  if (!parsed) throw challengeInvalid();
  const row = db
    .select({
      id: twoFactorChallenges.id,
      secretHash: twoFactorChallenges.secretHash,
      userId: twoFactorChallenges.userId,
      method: twoFactorChallenges.method,
      usedAt: twoFactorChallenges.usedAt,
      expiresAt: twoFactorChallenges.expiresAt,
      disabledAt: users.disabledAt,
    })
    .from(twoFactorChallenges)
    .innerJoin(users, eq(users.id, twoFactorChallenges.userId))
    .where(eq(twoFactorChallenges.id, parsed.id))
    .get();
  if (!row || !challengeUsable(row, parsed.secret, input.now)) throw challengeInvalid();

  const attempt = { userId: row.userId, ip: input.ip, now: input.now };
  takeSecondFactorAttempt(db, attempt);
  const secondFactor = db.transaction((tx) => {
    const method = acceptSecondFactor(tx, {
      ...attempt,
      code: input.code,
      box: input.settings.box,
      allowRecovery: true,
    });
    if (!method) throw invalidCode();
    // The guard: of two requests racing with one token, one gets it (the other's code is rolled
    // back with this transaction).
    const consumed = tx
      .update(twoFactorChallenges)
      .set({ usedAt: input.now })
      .where(
        and(
          eq(twoFactorChallenges.id, row.id),
          isNull(twoFactorChallenges.usedAt),
          gt(twoFactorChallenges.expiresAt, input.now),
        ),
      )
      .returning({ id: twoFactorChallenges.id })
      .get();
    if (!consumed) throw challengeInvalid();
    forgiveSecondFactorAttempts(tx, attempt);
    return method;
  });
  return { userId: row.userId, method: row.method, secondFactor };
}

/** Shared by both engines: the challenge row is the token's, unused, unexpired, its user enabled. */
export function challengeUsable(
  row: { secretHash: Uint8Array; usedAt: Date | null; expiresAt: Date; disabledAt: Date | null },
  secret: string,
  now: Date,
): boolean {
  return (
    secretMatches(secret, row.secretHash) &&
    row.usedAt === null &&
    row.expiresAt.getTime() > now.getTime() &&
    row.disabledAt === null
  );
}
