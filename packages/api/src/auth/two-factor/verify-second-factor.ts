// Checking a second-factor code (TOTP or recovery code) wherever one is asked for: the sign-in
// code step, turning 2FA off, regenerating recovery codes. Each check is throttled first, then the
// code is accepted by a guarded UPDATE inside the caller's transaction, so a code works once.
import type { Db, DbOrTx } from '@tessera/db';
import { userTotp } from '@tessera/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { DomainError } from '../../errors.ts';
import {
  ADDRESS_BUCKET,
  type BucketPolicy,
  resetBucket,
  returnToken,
  takeToken,
} from '../throttle.ts';
import { consumeRecoveryCode, countUnusedRecoveryCodes } from './recovery-codes.ts';
import type { SecretBox } from './secret-box.ts';
import { claimStep, matchingStep } from './totp.ts';

/**
 * Code guesses per user, across sessions and sign-in attempts: 5 at once, 30 an hour, so at most
 * 35 guesses an hour at 3 live codes in a million. Keyed by user, not email, and separate from the
 * password bucket: a correct password resets that one, and must not buy more code guesses.
 */
export const SECOND_FACTOR_BUCKET: BucketPolicy = { capacity: 5, perHour: 30 };

export const secondFactorBucketKey = (userId: string) => `second-factor:${userId}`;

export const invalidCode = () =>
  new DomainError('TWO_FACTOR_CODE_INVALID', 'The code is not valid. Try the newest code.', {
    fieldErrors: { code: ['TWO_FACTOR_CODE_INVALID'] },
  });

/**
 * Takes a token from the user's code bucket and the address bucket, committed whether or not the
 * code turns out right (wrong codes count). Throws TOO_MANY_ATTEMPTS when either is empty.
 */
export function takeSecondFactorAttempt(
  db: Db,
  input: { userId: string; ip: string | null; now: Date },
): void {
  db.transaction((tx) => {
    const user = takeToken(
      tx,
      secondFactorBucketKey(input.userId),
      SECOND_FACTOR_BUCKET,
      input.now,
    );
    const address = input.ip
      ? takeToken(tx, `ip:${input.ip}`, ADDRESS_BUCKET, input.now)
      : { ok: true as const };
    const refusal = !user.ok ? user : !address.ok ? address : null;
    if (refusal) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong codes. Try again shortly.', {
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
    }
  });
}

/** After a right code: the owner is not one typo from waiting, and the address gets its token. */
export function forgiveSecondFactorAttempts(
  tx: DbOrTx,
  input: { userId: string; ip: string | null; now: Date },
): void {
  resetBucket(tx, secondFactorBucketKey(input.userId));
  if (input.ip) returnToken(tx, `ip:${input.ip}`, ADDRESS_BUCKET, input.now);
}

export type SecondFactorMethod = 'totp' | 'recovery_code';

/**
 * The TOTP key, or null when this server's key cannot open it (TWO_FACTOR_ENCRYPTION_KEY changed
 * since enrolment): then no TOTP code matches, recovery codes still work, and an operator can run
 * `user:2fa-reset` — a refusal the user can act on rather than a 500.
 */
function openSecret(box: SecretBox, sealed: Uint8Array, userId: string): Uint8Array | null {
  try {
    return box.open(sealed, userId);
  } catch {
    return null;
  }
}

/**
 * What a typed code can be, before storage is asked: a TOTP code's time step (to be claimed once),
 * a recovery code (to be consumed once), or nothing worth asking about. Shared by both engines.
 */
export function secondFactorAttempt(input: {
  userId: string;
  code: string;
  now: Date;
  box: SecretBox;
  secretBox: Uint8Array;
  allowRecovery: boolean;
}): { kind: 'totp'; step: number } | { kind: 'recovery_code'; code: string } | null {
  const code = input.code.replace(/\s/g, '');
  if (/^\d{6}$/.test(code)) {
    const key = openSecret(input.box, input.secretBox, input.userId);
    const step = key ? matchingStep(key, code, input.now) : null;
    return step === null ? null : { kind: 'totp', step };
  }
  return input.allowRecovery ? { kind: 'recovery_code', code } : null;
}

/**
 * Accepts a TOTP code (6 digits, its time step not used before) or, when `allowRecovery`, an unused
 * recovery code, for a user with 2FA enabled. Runs inside the caller's transaction; returns how the
 * code was accepted, or null (nothing written). A recovery code's use is audited here.
 */
export function acceptSecondFactor(
  tx: DbOrTx,
  input: {
    userId: string;
    code: string;
    now: Date;
    ip: string | null;
    box: SecretBox;
    allowRecovery: boolean;
  },
): SecondFactorMethod | null {
  const row = tx
    .select({ secretBox: userTotp.secretBox })
    .from(userTotp)
    .where(and(eq(userTotp.userId, input.userId), isNotNull(userTotp.enabledAt)))
    .get();
  if (!row) return null;
  const attempt = secondFactorAttempt({ ...input, secretBox: row.secretBox });
  if (!attempt) return null;
  if (attempt.kind === 'totp') return claimStep(tx, input.userId, attempt.step) ? 'totp' : null;
  if (!consumeRecoveryCode(tx, input.userId, attempt.code, input.now)) return null;
  recordAudit(tx, {
    tenantId: null,
    actorUserId: input.userId,
    action: 'two_factor.recovery_code_used',
    subjectType: 'user',
    subjectId: input.userId,
    data: { remaining: countUnusedRecoveryCodes(tx, input.userId) },
    ip: input.ip,
    createdAt: input.now,
  });
  return 'recovery_code';
}
