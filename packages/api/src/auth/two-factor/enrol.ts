// Turning TOTP on: `startTotpEnrolment` makes a fresh secret (sealed at rest) and hands it out once
// as an otpauth:// URI and base32 text; `confirmTotpEnrolment` turns it on only with a valid code
// for that secret, and returns the recovery codes (shown once). Until confirmed nothing changes at
// sign-in; starting again replaces an unconfirmed secret.

import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '@tessera/db';
import { users, userTotp } from '@tessera/db';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { DomainError } from '../../errors.ts';
import { replaceRecoveryCodes } from './recovery-codes.ts';
import type { TwoFactorSettings } from './secret-box.ts';
import { matchingStep, TOTP_KEY_BYTES, totpUri } from './totp.ts';
import { invalidCode } from './verify-second-factor.ts';

export const alreadyEnabled = () =>
  new DomainError('CONFLICT', 'Two-factor authentication is already on.', {
    reason: 'TWO_FACTOR_ENABLED',
  });

export function startTotpEnrolment(
  db: Db,
  input: { userId: string; now: Date; settings: TwoFactorSettings },
): { secret: string; uri: string } {
  const user = db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, input.userId))
    .get();
  if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
  const { secretBox, handout } = newTotpSecret(input.settings, input.userId, user.email);
  // Only an unconfirmed row may be replaced: an enabled factor is never overwritten from here.
  const stored = db
    .insert(userTotp)
    .values({ userId: input.userId, secretBox, createdAt: input.now })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secretBox, createdAt: input.now, lastUsedStep: null },
      setWhere: isNull(userTotp.enabledAt),
    })
    .returning({ userId: userTotp.userId })
    .get();
  if (!stored) throw alreadyEnabled();
  return handout;
}

/** A fresh TOTP key: sealed for storage, and as the user sees it once (base32 and otpauth URI). */
export function newTotpSecret(
  settings: TwoFactorSettings,
  userId: string,
  email: string,
): { secretBox: Buffer; handout: { secret: string; uri: string } } {
  const key = new Uint8Array(TOTP_KEY_BYTES);
  crypto.getRandomValues(key);
  return {
    secretBox: settings.box.seal(key, userId),
    handout: {
      secret: encodeBase32UpperCaseNoPadding(key),
      uri: totpUri(settings.issuer, email, key),
    },
  };
}

export function confirmTotpEnrolment(
  db: Db,
  input: {
    userId: string;
    code: string;
    now: Date;
    ip: string | null;
    settings: TwoFactorSettings;
  },
): { recoveryCodes: string[] } {
  const row = db
    .select({ secretBox: userTotp.secretBox, enabledAt: userTotp.enabledAt })
    .from(userTotp)
    .where(eq(userTotp.userId, input.userId))
    .get();
  if (!row) {
    throw new DomainError('NOT_FOUND', 'Start setting up two-factor authentication first.');
  }
  if (row.enabledAt !== null) throw alreadyEnabled();
  const key = input.settings.box.open(row.secretBox, input.userId);
  const step = matchingStep(key, input.code.replace(/\s/g, ''), input.now);
  if (step === null) throw invalidCode();

  return db.transaction((tx) => {
    // The guard: still unconfirmed and still the secret the code was checked against (a second
    // "start" in another tab replaces it, and then this code proves nothing).
    const enabled = tx
      .update(userTotp)
      .set({ enabledAt: input.now, lastUsedStep: step })
      .where(
        and(
          eq(userTotp.userId, input.userId),
          isNull(userTotp.enabledAt),
          eq(userTotp.secretBox, row.secretBox),
        ),
      )
      .returning({ userId: userTotp.userId })
      .get();
    if (!enabled) throw invalidCode();
    const recoveryCodes = replaceRecoveryCodes(tx, input.userId, input.now);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.userId,
      action: 'two_factor.enabled',
      subjectType: 'user',
      subjectId: input.userId,
      data: { method: 'totp', recoveryCodes: recoveryCodes.length },
      ip: input.ip,
      createdAt: input.now,
    });
    return { recoveryCodes };
  });
}
