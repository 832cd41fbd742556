// A user leaves (decision 025). What is theirs alone goes: sessions, API keys, conversations (their
// messages cascade), notification settings, pending reset links, roles in tenants, and the mails
// addressed to them. What the books need stays, anonymised: the users row (the ledger, payments
// and audit rows point at it) keeps its id but gets the address `deleted-<id>@invalid`, no name,
// no language and a password hash of a random secret nobody knows; it is disabled and marked
// deleted. Memberships are revoked. One member event cuts live answers (SPA and /v1) at their
// next chunk, through the same check a disabled account fails. The address is free at once for a
// new sign-up. All of it is one IMMEDIATE transaction with its audit row.
import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx, Tx } from '@tessera/db';
import {
  apiKeys,
  auditEvents,
  conversations,
  emailVerificationTokens,
  mailOutbox,
  marks,
  memberships,
  messageAttachments,
  notificationPreferences,
  PLATFORM_TENANT_ID,
  passwordResetTokens,
  sessions,
  stripeSubscriptions,
  tenantMembers,
  twoFactorChallenges,
  twoFactorRecoveryCodes,
  userIdentities,
  users,
  userTotp,
} from '@tessera/db';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { ACCOUNT_BUCKET, takeToken } from '../../auth/throttle.ts';
import type { TwoFactorSettings } from '../../auth/two-factor/secret-box.ts';
import { hasTwoFactor } from '../../auth/two-factor/totp.ts';
import {
  acceptSecondFactor,
  invalidCode,
  takeSecondFactorAttempt,
} from '../../auth/two-factor/verify-second-factor.ts';
import { DomainError } from '../../errors.ts';
import { appendMemberEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { normalizeEmail } from './normalize-email.ts';

export interface DeletedAccount {
  userId: string;
  email: string;
  sessionsEnded: number;
  apiKeysDeleted: number;
  conversationsDeleted: number;
  membershipsRevoked: string[];
}

/** The address a deleted account keeps: unique, and on a domain that can never receive mail. */
export function deletedEmail(userId: string): string {
  return `deleted-${userId}@invalid`;
}

/**
 * The signed-in user deletes their own account: they type their email and current password (the
 * password is throttled like a sign-in, so a stolen session cannot guess it).
 */
export async function deleteOwnAccount(
  db: Db,
  input: {
    userId: string;
    email: string;
    password: string;
    /** A TOTP or recovery code: required when the account has two factors on (decision 024). */
    code?: string;
    twoFactor: TwoFactorSettings;
    ip: string | null;
    now: Date;
  },
): Promise<DeletedAccount> {
  const user = db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, input.userId), isNull(users.deletedAt)))
    .get();
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
  checkTypedEmail(input.email, user.email);
  const taken = takeToken(db, `account:${user.email}`, ACCOUNT_BUCKET, input.now);
  if (!taken.ok) throw passwordGuessesRefused(taken.retryAfterSeconds);
  await checkCurrentPassword(user.passwordHash, input.password);
  // With two factors on, a stolen session plus the password is not enough to erase the account.
  const withCode = hasTwoFactor(db, input.userId);
  checkCodeGiven(withCode, input.code);
  if (withCode) takeSecondFactorAttempt(db, input);
  return eraseAccount(db, {
    userId: input.userId,
    actorUserId: input.userId,
    actorLabel: null,
    ip: input.ip,
    now: input.now,
    unusableHash: await unusablePasswordHash(),
    // In the erasing transaction: the code is spent only if the account goes.
    confirm: withCode
      ? (tx) => {
          const accepted = acceptSecondFactor(tx, {
            userId: input.userId,
            code: input.code ?? '',
            now: input.now,
            ip: input.ip,
            box: input.twoFactor.box,
            allowRecovery: true,
          });
          if (!accepted) throw invalidCode();
        }
      : undefined,
  });
}

/** An operator deletes an account by its address (the CLI): same rules, no password. */
export async function deleteAccountByEmail(
  db: Db,
  input: { email: string; actorLabel: string; now: Date },
): Promise<DeletedAccount> {
  const user = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, normalizeEmail(input.email)), isNull(users.deletedAt)))
    .get();
  if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
  return eraseAccount(db, {
    userId: user.id,
    actorUserId: null,
    actorLabel: input.actorLabel,
    ip: null,
    now: input.now,
    unusableHash: await unusablePasswordHash(),
  });
}

/** The typed address must be this account's: a deliberate act, not a stray click. */
export function checkTypedEmail(typed: string, email: string): void {
  if (normalizeEmail(typed) !== email) {
    throw new DomainError('VALIDATION', 'Type the email of this account to confirm.', {
      fieldErrors: { email: ['EMAIL_MISMATCH'] },
    });
  }
}

export const passwordGuessesRefused = (retryAfterSeconds: number) =>
  new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong passwords. Try again shortly.', {
    retryAfterSeconds,
  });

export async function checkCurrentPassword(passwordHash: string, password: string) {
  if (!(await verifyPassword(passwordHash, password))) {
    throw new DomainError('INVALID_CREDENTIALS', 'The current password is incorrect.', {
      fieldErrors: { password: ['WRONG_PASSWORD'] },
    });
  }
}

/** With two factors on, a code must come with the request. */
export function checkCodeGiven(withCode: boolean, code: string | undefined): void {
  if (withCode && !code?.trim()) {
    throw new DomainError('VALIDATION', 'Enter a code from your authenticator app.', {
      fieldErrors: { code: ['REQUIRED'] },
    });
  }
}

/** A real argon2id hash of 32 random bytes nobody keeps: no password can ever match it. */
export function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

function eraseAccount(
  db: Db,
  input: {
    userId: string;
    actorUserId: string | null;
    actorLabel: string | null;
    ip: string | null;
    now: Date;
    unusableHash: string;
    /** Runs first in the erasing transaction (the account's second factor); throwing undoes all. */
    confirm?: (tx: Tx) => void;
  },
): DeletedAccount {
  const { userId, now } = input;
  return db.transaction((tx) => {
    input.confirm?.(tx);
    const user = tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .get();
    if (!user) throw new DomainError('NOT_FOUND', 'No such account.');
    refuseIfLastOwner(tx, userId);
    refuseIfSubscribed(tx, userId);

    const sessionsEnded = tx.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
    const apiKeysDeleted = tx.delete(apiKeys).where(eq(apiKeys.userId, userId)).run().changes;
    const conversationsDeleted = tx
      .delete(conversations)
      .where(eq(conversations.userId, userId))
      .run().changes;
    // Images still waiting to be sent (those sent went with their conversations).
    tx.delete(messageAttachments).where(eq(messageAttachments.userId, userId)).run();
    tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId)).run();
    tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId)).run();
    // The row stays (anonymised), so nothing cascades: sign-in links and second factors go here,
    // or the outside account would still sign in to it and the authenticator would still count.
    tx.delete(userIdentities).where(eq(userIdentities.userId, userId)).run();
    tx.delete(userTotp).where(eq(userTotp.userId, userId)).run();
    tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)).run();
    tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId)).run();
    tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId)).run();
    tx.delete(tenantMembers).where(eq(tenantMembers.userId, userId)).run();
    // Mails to them (sent or not) are their personal data, and none of it should still go out.
    tx.delete(mailOutbox).where(eq(mailOutbox.to, user.email)).run();

    const revoked = tx
      .update(memberships)
      .set({ status: 'revoked', expiresAt: now, updatedAt: now })
      .where(and(eq(memberships.userId, userId), eq(memberships.status, 'active')))
      .returning({ markId: memberships.markId })
      .all();
    const revokedKeys =
      revoked.length === 0
        ? []
        : tx
            .select({ key: marks.key })
            .from(marks)
            .where(
              inArray(
                marks.id,
                revoked.map((r) => r.markId),
              ),
            )
            .all()
            .map((m) => m.key);
    for (const markKey of revokedKeys)
      appendMemberEvent(tx, { userId, kind: 'membership.revoked', markKey, now });

    const anonymous = deletedEmail(userId);
    tx.update(users)
      .set({
        email: anonymous,
        displayName: null,
        locale: null,
        passwordHash: input.unusableHash,
        emailVerifiedAt: null,
        disabledAt: now,
        disabledReason: 'deleted',
        deletedAt: now,
      })
      .where(eq(users.id, userId))
      .run();
    // Earlier audit rows about them keep their id but no longer their address.
    tx.update(auditEvents)
      .set({
        data: sql`replace(${auditEvents.data}, ${JSON.stringify(user.email).slice(1, -1)}, ${anonymous})`,
      })
      .where(and(eq(auditEvents.subjectType, 'user'), eq(auditEvents.subjectId, userId)))
      .run();
    // The same check a disabled account fails cuts every live answer at its next chunk.
    appendMemberEvent(tx, { userId, kind: 'account.changed', now });
    const result: DeletedAccount = {
      userId,
      email: anonymous,
      sessionsEnded,
      apiKeysDeleted,
      conversationsDeleted,
      membershipsRevoked: revokedKeys,
    };
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel,
      action: 'user.deleted',
      subjectType: 'user',
      subjectId: userId,
      data: { ...result, email: anonymous },
      ip: input.ip,
      createdAt: now,
    });
    return result;
  }, IMMEDIATE);
}

function refuseIfLastOwner(tx: DbOrTx, userId: string) {
  const owns = tx
    .select({ userId: tenantMembers.userId })
    .from(tenantMembers)
    .where(
      and(
        eq(tenantMembers.tenantId, PLATFORM_TENANT_ID),
        eq(tenantMembers.userId, userId),
        eq(tenantMembers.role, 'owner'),
      ),
    )
    .get();
  if (!owns) return;
  const other = tx
    .select({ userId: tenantMembers.userId })
    .from(tenantMembers)
    .innerJoin(users, eq(users.id, tenantMembers.userId))
    .where(
      and(
        eq(tenantMembers.tenantId, PLATFORM_TENANT_ID),
        eq(tenantMembers.role, 'owner'),
        ne(tenantMembers.userId, userId),
        isNull(users.disabledAt),
      ),
    )
    .get();
  if (!other) throw lastOwnerRefusal();
}

export const lastOwnerRefusal = () =>
  new DomainError(
    'LAST_OWNER',
    'You are the platform’s last owner. Make someone else an owner before deleting your account.',
  );

export const subscriptionRefusal = (subscriptionId: string) =>
  new DomainError(
    'SUBSCRIPTION_ACTIVE',
    'A subscription still renews. Cancel it in Billing before deleting your account.',
    { subscriptionId },
  );

/** Subscription states that still renew (and so would charge a deleted account). */
export const RENEWING_SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'unpaid'] as const;

function refuseIfSubscribed(tx: DbOrTx, userId: string) {
  const renewing = tx
    .select({ id: stripeSubscriptions.id })
    .from(stripeSubscriptions)
    .where(
      and(
        eq(stripeSubscriptions.userId, userId),
        isNull(stripeSubscriptions.endedAt),
        eq(stripeSubscriptions.cancelAtPeriodEnd, false),
        inArray(stripeSubscriptions.status, [...RENEWING_SUBSCRIPTION_STATUSES]),
      ),
    )
    .get();
  if (renewing) throw subscriptionRefusal(renewing.id);
}
