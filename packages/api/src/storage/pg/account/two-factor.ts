// Two factors on PostgreSQL (decision 024): the same guards as auth/two-factor/*, written with
// drizzle's pg dialect. A code works once because accepting it is a guarded UPDATE (the time step
// moves forward only past steps already used; a recovery code is marked used only while unused)
// inside the transaction of the change it confirms; the throttle's token is taken before, in its
// own transaction, so wrong codes count even though the change rolls back.
import {
  type PgDb,
  type PgDbOrTx,
  type PgTx,
  twoFactorChallenges,
  twoFactorRecoveryCodes,
  users,
  userTotp,
} from '@tessera/db/pg';
import { and, count, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { ADDRESS_BUCKET } from '../../../auth/throttle.ts';
import { alreadyEnabled, newTotpSecret } from '../../../auth/two-factor/enrol.ts';
import { notEnabled, type TwoFactorStatus } from '../../../auth/two-factor/manage.ts';
import { freshRecoveryCodes, recoveryCodeHash } from '../../../auth/two-factor/recovery-codes.ts';
import type { SecretBox } from '../../../auth/two-factor/secret-box.ts';
import { matchingStep } from '../../../auth/two-factor/totp.ts';
import {
  invalidCode,
  SECOND_FACTOR_BUCKET,
  type SecondFactorMethod,
  secondFactorAttempt,
  secondFactorBucketKey,
} from '../../../auth/two-factor/verify-second-factor.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';
import {
  pgRecordAudit,
  pgResetBucket,
  pgReturnToken,
  pgTakeToken,
  pgTransaction,
} from './pg-shared.ts';

type TwoFactorMethods = Pick<
  AccountStore,
  | 'twoFactorStatus'
  | 'hasTwoFactor'
  | 'startTotpEnrolment'
  | 'confirmTotpEnrolment'
  | 'disableTwoFactor'
  | 'regenerateRecoveryCodes'
  | 'resetTwoFactor'
>;

export async function pgHasTwoFactor(db: PgDbOrTx, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: userTotp.userId })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.enabledAt)));
  return rows.length > 0;
}

async function unusedRecoveryCodes(db: PgDbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(twoFactorRecoveryCodes)
    .where(and(eq(twoFactorRecoveryCodes.userId, userId), isNull(twoFactorRecoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

async function replaceRecoveryCodes(tx: PgTx, userId: string, now: Date): Promise<string[]> {
  await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  const { codes, rows } = freshRecoveryCodes(userId, now);
  await tx.insert(twoFactorRecoveryCodes).values(rows);
  return codes;
}

async function removeFactor(tx: PgTx, userId: string) {
  await tx.delete(userTotp).where(eq(userTotp.userId, userId));
  await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  // A pending sign-in would otherwise still ask for a code the user no longer has.
  await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
}

/** takeSecondFactorAttempt: both buckets in one transaction of their own, committed either way. */
export async function pgTakeSecondFactorAttempt(
  db: PgDb,
  input: { userId: string; ip: string | null; now: Date },
): Promise<void> {
  await pgTransaction(db, async (tx) => {
    const user = await pgTakeToken(
      tx,
      secondFactorBucketKey(input.userId),
      SECOND_FACTOR_BUCKET,
      input.now,
    );
    const address = input.ip
      ? await pgTakeToken(tx, `ip:${input.ip}`, ADDRESS_BUCKET, input.now)
      : { ok: true as const };
    const refusal = !user.ok ? user : !address.ok ? address : null;
    if (refusal) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong codes. Try again shortly.', {
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
    }
  });
}

export async function pgForgiveSecondFactorAttempts(
  tx: PgTx,
  input: { userId: string; ip: string | null; now: Date },
) {
  await pgResetBucket(tx, secondFactorBucketKey(input.userId));
  if (input.ip) await pgReturnToken(tx, `ip:${input.ip}`, ADDRESS_BUCKET, input.now);
}

/** acceptSecondFactor on PostgreSQL: the guarded claim of a TOTP step or of a recovery code. */
export async function pgAcceptSecondFactor(
  tx: PgTx,
  input: {
    userId: string;
    code: string;
    now: Date;
    ip: string | null;
    box: SecretBox;
    allowRecovery: boolean;
  },
): Promise<SecondFactorMethod | null> {
  const [row] = await tx
    .select({ secretBox: userTotp.secretBox })
    .from(userTotp)
    .where(and(eq(userTotp.userId, input.userId), isNotNull(userTotp.enabledAt)));
  if (!row) return null;
  const attempt = secondFactorAttempt({ ...input, secretBox: row.secretBox });
  if (!attempt) return null;
  if (attempt.kind === 'totp') {
    const claimed = await tx
      .update(userTotp)
      .set({ lastUsedStep: attempt.step })
      .where(
        and(
          eq(userTotp.userId, input.userId),
          isNotNull(userTotp.enabledAt),
          or(isNull(userTotp.lastUsedStep), lt(userTotp.lastUsedStep, attempt.step)),
        ),
      )
      .returning({ userId: userTotp.userId });
    return claimed.length > 0 ? 'totp' : null;
  }
  const codeHash = recoveryCodeHash(attempt.code);
  if (!codeHash) return null;
  const used = await tx
    .update(twoFactorRecoveryCodes)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(twoFactorRecoveryCodes.userId, input.userId),
        eq(twoFactorRecoveryCodes.codeHash, codeHash),
        isNull(twoFactorRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: twoFactorRecoveryCodes.id });
  if (used.length === 0) return null;
  await pgRecordAudit(tx, {
    tenantId: null,
    actorUserId: input.userId,
    action: 'two_factor.recovery_code_used',
    subjectType: 'user',
    subjectId: input.userId,
    data: { remaining: await unusedRecoveryCodes(tx, input.userId) },
    ip: input.ip,
    createdAt: input.now,
  });
  return 'recovery_code';
}

export function pgTwoFactor(db: PgDb): TwoFactorMethods {
  return {
    hasTwoFactor: (userId) => pgHasTwoFactor(db, userId),
    async twoFactorStatus(userId): Promise<TwoFactorStatus> {
      const [row] = await db
        .select({ enabledAt: userTotp.enabledAt })
        .from(userTotp)
        .where(eq(userTotp.userId, userId));
      const enabledAt = row?.enabledAt ?? null;
      return {
        enabled: enabledAt !== null,
        enabledAt,
        recoveryCodesLeft: enabledAt ? await unusedRecoveryCodes(db, userId) : 0,
      };
    },

    async startTotpEnrolment(input) {
      const [user] = await db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, input.userId));
      if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
      const { secretBox, handout } = newTotpSecret(input.settings, input.userId, user.email);
      // Only an unconfirmed row may be replaced: an enabled factor is never overwritten from here.
      const stored = await db
        .insert(userTotp)
        .values({ userId: input.userId, secretBox, createdAt: input.now })
        .onConflictDoUpdate({
          target: userTotp.userId,
          set: { secretBox, createdAt: input.now, lastUsedStep: null },
          setWhere: isNull(userTotp.enabledAt),
        })
        .returning({ userId: userTotp.userId });
      if (stored.length === 0) throw alreadyEnabled();
      return handout;
    },

    async confirmTotpEnrolment(input) {
      const [row] = await db
        .select({ secretBox: userTotp.secretBox, enabledAt: userTotp.enabledAt })
        .from(userTotp)
        .where(eq(userTotp.userId, input.userId));
      if (!row) {
        throw new DomainError('NOT_FOUND', 'Start setting up two-factor authentication first.');
      }
      if (row.enabledAt !== null) throw alreadyEnabled();
      const key = input.settings.box.open(row.secretBox, input.userId);
      const step = matchingStep(key, input.code.replace(/\s/g, ''), input.now);
      if (step === null) throw invalidCode();
      return pgTransaction(db, async (tx) => {
        // Still unconfirmed and still the secret the code was checked against.
        const enabled = await tx
          .update(userTotp)
          .set({ enabledAt: input.now, lastUsedStep: step })
          .where(
            and(
              eq(userTotp.userId, input.userId),
              isNull(userTotp.enabledAt),
              eq(userTotp.secretBox, row.secretBox),
            ),
          )
          .returning({ userId: userTotp.userId });
        if (enabled.length === 0) throw invalidCode();
        const recoveryCodes = await replaceRecoveryCodes(tx, input.userId, input.now);
        await pgRecordAudit(tx, {
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
    },

    async disableTwoFactor(input) {
      if (!(await pgHasTwoFactor(db, input.userId))) throw notEnabled();
      await pgTakeSecondFactorAttempt(db, input);
      return pgTransaction(db, async (tx) => {
        const method = await pgAcceptSecondFactor(tx, {
          ...input,
          box: input.settings.box,
          allowRecovery: true,
        });
        if (!method) throw invalidCode();
        await pgForgiveSecondFactorAttempts(tx, input);
        await removeFactor(tx, input.userId);
        await pgRecordAudit(tx, {
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
    },

    async regenerateRecoveryCodes(input) {
      if (!(await pgHasTwoFactor(db, input.userId))) throw notEnabled();
      await pgTakeSecondFactorAttempt(db, input);
      return pgTransaction(db, async (tx) => {
        const method = await pgAcceptSecondFactor(tx, {
          ...input,
          box: input.settings.box,
          allowRecovery: false,
        });
        if (!method) throw invalidCode();
        await pgForgiveSecondFactorAttempts(tx, input);
        const recoveryCodes = await replaceRecoveryCodes(tx, input.userId, input.now);
        await pgRecordAudit(tx, {
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
    },

    async resetTwoFactor(input) {
      const email = normalizeEmail(input.email);
      return pgTransaction(db, async (tx) => {
        const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
        if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
        const wasEnabled = await pgHasTwoFactor(tx, user.id);
        await removeFactor(tx, user.id);
        await pgRecordAudit(tx, {
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
    },
  };
}
