// Living with 2FA once it is on: its status, turning it off and new recovery codes (both need a
// current code, throttled like the sign-in code step), and an operator's reset for a locked-out
// user (the CLI). Every change is audited in its own transaction.
import type { Db, Tx } from '@tessera/db';
import { twoFactorChallenges, twoFactorRecoveryCodes, users, userTotp } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { normalizeEmail } from '../../domain/users/normalize-email.ts';
import { DomainError } from '../../errors.ts';
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.ts';
import type { TwoFactorSettings } from './secret-box.ts';
import { hasTwoFactor } from './totp.ts';
import {
  acceptSecondFactor,
  forgiveSecondFactorAttempts,
  invalidCode,
  takeSecondFactorAttempt,
} from './verify-second-factor.ts';

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export function twoFactorStatus(db: Db, userId: string): TwoFactorStatus {
  const row = db
    .select({ enabledAt: userTotp.enabledAt })
    .from(userTotp)
    .where(eq(userTotp.userId, userId))
    .get();
  const enabledAt = row?.enabledAt ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    recoveryCodesLeft: enabledAt ? countUnusedRecoveryCodes(db, userId) : 0,
  };
}

interface CodeInput {
  userId: string;
  code: string;
  now: Date;
  ip: string | null;
  settings: TwoFactorSettings;
}

export function notEnabled() {
  return new DomainError('NOT_FOUND', 'Two-factor authentication is not on.', {
    reason: 'TWO_FACTOR_DISABLED',
  });
}

function removeFactor(tx: Tx, userId: string) {
  tx.delete(userTotp).where(eq(userTotp.userId, userId)).run();
  tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)).run();
  // A pending sign-in would otherwise still ask for a code the user no longer has.
  tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId)).run();
}

/** Turns 2FA off with a current TOTP code or an unused recovery code (a lost phone). */
export function disableTwoFactor(db: Db, input: CodeInput): { ok: true } {
  if (!hasTwoFactor(db, input.userId)) throw notEnabled();
  takeSecondFactorAttempt(db, input);
  return db.transaction((tx) => {
    const method = acceptSecondFactor(tx, {
      ...input,
      box: input.settings.box,
      allowRecovery: true,
    });
    if (!method) throw invalidCode();
    forgiveSecondFactorAttempts(tx, input);
    removeFactor(tx, input.userId);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.userId,
      action: 'two_factor.disabled',
      subjectType: 'user',
      subjectId: input.userId,
      data: { confirmedWith: method },
      ip: input.ip,
      createdAt: input.now,
    });
    return { ok: true as const };
  });
}

/** Ten new recovery codes (the old ones stop working), with a current TOTP code. */
export function regenerateRecoveryCodes(db: Db, input: CodeInput): { recoveryCodes: string[] } {
  if (!hasTwoFactor(db, input.userId)) throw notEnabled();
  takeSecondFactorAttempt(db, input);
  return db.transaction((tx) => {
    const method = acceptSecondFactor(tx, {
      ...input,
      box: input.settings.box,
      allowRecovery: false,
    });
    if (!method) throw invalidCode();
    forgiveSecondFactorAttempts(tx, input);
    const recoveryCodes = replaceRecoveryCodes(tx, input.userId, input.now);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.userId,
      action: 'two_factor.recovery_codes_regenerated',
      subjectType: 'user',
      subjectId: input.userId,
      data: { recoveryCodes: recoveryCodes.length },
      ip: input.ip,
      createdAt: input.now,
    });
    return { recoveryCodes };
  });
}

/**
 * The operator's escape hatch (CLI `user:2fa-reset`): turns 2FA off for a locked-out user, audited
 * with the operator as actor. Sessions are left alone: the user is locked out, not compromised.
 */
export function resetTwoFactor(
  db: Db,
  input: { email: string; now: Date; actorLabel: string | null },
): { email: string; userId: string; wasEnabled: boolean } {
  const email = normalizeEmail(input.email);
  return db.transaction((tx) => {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
    const wasEnabled = hasTwoFactor(tx, user.id);
    removeFactor(tx, user.id);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: null,
      actorLabel: input.actorLabel,
      action: 'two_factor.reset',
      subjectType: 'user',
      subjectId: user.id,
      data: { wasEnabled },
      ip: null,
      createdAt: input.now,
    });
    return { email, userId: user.id, wasEnabled };
  });
}
