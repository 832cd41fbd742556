// Leaving on PostgreSQL (decision 025): the erasure of domain/users/delete-account.ts as one
// transaction (the data export is in ./export.ts). The account row is
// locked first; deleting a platform owner also locks the platform's owner rows, so two owners
// leaving at once cannot both pass the "not the last owner" check (SQLite's IMMEDIATE transaction
// serialises them).
import { PLATFORM_TENANT_ID } from '@tessera/db';
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
  type PgDb,
  type PgTx,
  passwordResetTokens,
  sessions,
  stripeSubscriptions,
  tenantMembers,
  twoFactorChallenges,
  twoFactorRecoveryCodes,
  userIdentities,
  users,
  userTotp,
} from '@tessera/db/pg';
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { ACCOUNT_BUCKET } from '../../../auth/throttle.ts';
import { invalidCode } from '../../../auth/two-factor/verify-second-factor.ts';
import {
  checkCodeGiven,
  checkCurrentPassword,
  checkTypedEmail,
  type DeletedAccount,
  deletedEmail,
  lastOwnerRefusal,
  passwordGuessesRefused,
  RENEWING_SUBSCRIPTION_STATUSES,
  subscriptionRefusal,
  unusablePasswordHash,
} from '../../../domain/users/delete-account.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';
import { pgAppendMemberEvent, pgRecordAudit, pgTakeToken, pgTransaction } from './pg-shared.ts';
import { pgAcceptSecondFactor, pgHasTwoFactor, pgTakeSecondFactorAttempt } from './two-factor.ts';

type LeavingMethods = Pick<AccountStore, 'deleteOwnAccount' | 'deleteAccountByEmail'>;

interface Erasure {
  userId: string;
  actorUserId: string | null;
  actorLabel: string | null;
  ip: string | null;
  now: Date;
  unusableHash: string;
  /** Runs first in the erasing transaction (the account's second factor); throwing undoes all. */
  confirm?: (tx: PgTx) => Promise<void>;
}

async function refuseIfLastOwner(tx: PgTx, userId: string) {
  const owners = await tx
    .select({ userId: tenantMembers.userId })
    .from(tenantMembers)
    .where(and(eq(tenantMembers.tenantId, PLATFORM_TENANT_ID), eq(tenantMembers.role, 'owner')))
    .orderBy(asc(tenantMembers.userId))
    .for('update');
  if (!owners.some((o) => o.userId === userId)) return;
  const [other] = await tx
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
    .limit(1);
  if (!other) throw lastOwnerRefusal();
}

async function refuseIfSubscribed(tx: PgTx, userId: string) {
  const [renewing] = await tx
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
    .limit(1);
  if (renewing) throw subscriptionRefusal(renewing.id);
}

function eraseAccount(db: PgDb, input: Erasure): Promise<DeletedAccount> {
  const { userId, now } = input;
  return pgTransaction(db, async (tx) => {
    await input.confirm?.(tx);
    const [user] = await tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .for('update');
    if (!user) throw new DomainError('NOT_FOUND', 'No such account.');
    await refuseIfLastOwner(tx, userId);
    await refuseIfSubscribed(tx, userId);

    const count = async (query: Promise<{ rowCount: number | null }>) =>
      (await query).rowCount ?? 0;
    const sessionsEnded = await count(tx.delete(sessions).where(eq(sessions.userId, userId)));
    const apiKeysDeleted = await count(tx.delete(apiKeys).where(eq(apiKeys.userId, userId)));
    const conversationsDeleted = await count(
      tx.delete(conversations).where(eq(conversations.userId, userId)),
    );
    await tx.delete(messageAttachments).where(eq(messageAttachments.userId, userId));
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
    await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId));
    // The row stays (anonymised), so nothing cascades: links and second factors go here.
    await tx.delete(userIdentities).where(eq(userIdentities.userId, userId));
    await tx.delete(userTotp).where(eq(userTotp.userId, userId));
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
    await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
    await tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    await tx.delete(tenantMembers).where(eq(tenantMembers.userId, userId));
    // Mails to them (sent or not) are their personal data, and none of it should still go out.
    await tx.delete(mailOutbox).where(eq(mailOutbox.to, user.email));

    const revoked = await tx
      .update(memberships)
      .set({ status: 'revoked', expiresAt: now, updatedAt: now })
      .where(and(eq(memberships.userId, userId), eq(memberships.status, 'active')))
      .returning({ markId: memberships.markId });
    const revokedKeys =
      revoked.length === 0
        ? []
        : (
            await tx
              .select({ key: marks.key })
              .from(marks)
              .where(
                inArray(
                  marks.id,
                  revoked.map((r) => r.markId),
                ),
              )
          ).map((m) => m.key);
    for (const markKey of revokedKeys) {
      await pgAppendMemberEvent(tx, { userId, kind: 'membership.revoked', markKey, now });
    }

    const anonymous = deletedEmail(userId);
    await tx
      .update(users)
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
      .where(eq(users.id, userId));
    // Earlier audit rows about them keep their id but no longer their address.
    await tx
      .update(auditEvents)
      .set({
        data: sql`replace(${auditEvents.data}::text, ${JSON.stringify(user.email).slice(1, -1)}, ${anonymous})::jsonb`,
      })
      .where(and(eq(auditEvents.subjectType, 'user'), eq(auditEvents.subjectId, userId)));
    // The same check a disabled account fails cuts every live answer at its next chunk.
    await pgAppendMemberEvent(tx, { userId, kind: 'account.changed', now });
    const result: DeletedAccount = {
      userId,
      email: anonymous,
      sessionsEnded,
      apiKeysDeleted,
      conversationsDeleted,
      membershipsRevoked: revokedKeys,
    };
    await pgRecordAudit(tx, {
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
  });
}

export function pgLeaving(db: PgDb): LeavingMethods {
  return {
    async deleteOwnAccount(input) {
      const [user] = await db
        .select({ email: users.email, passwordHash: users.passwordHash })
        .from(users)
        .where(and(eq(users.id, input.userId), isNull(users.deletedAt)));
      if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
      checkTypedEmail(input.email, user.email);
      const taken = await pgTakeToken(db, `account:${user.email}`, ACCOUNT_BUCKET, input.now);
      if (!taken.ok) throw passwordGuessesRefused(taken.retryAfterSeconds);
      await checkCurrentPassword(user.passwordHash, input.password);
      const withCode = await pgHasTwoFactor(db, input.userId);
      checkCodeGiven(withCode, input.code);
      if (withCode) await pgTakeSecondFactorAttempt(db, input);
      return eraseAccount(db, {
        userId: input.userId,
        actorUserId: input.userId,
        actorLabel: null,
        ip: input.ip,
        now: input.now,
        unusableHash: await unusablePasswordHash(),
        // In the erasing transaction: the code is spent only if the account goes.
        confirm: withCode
          ? async (tx) => {
              const accepted = await pgAcceptSecondFactor(tx, {
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
    },

    async deleteAccountByEmail(input) {
      const [user] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, normalizeEmail(input.email)), isNull(users.deletedAt)));
      if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
      return eraseAccount(db, {
        userId: user.id,
        actorUserId: null,
        actorLabel: input.actorLabel,
        ip: null,
        now: input.now,
        unusableHash: await unusablePasswordHash(),
      });
    },
  };
}
