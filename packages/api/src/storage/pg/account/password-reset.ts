// Password reset on PostgreSQL (decision 021), with the rules of auth/request-password-reset.ts and
// reset-password.ts: throttle first (its own transaction: the tokens stay taken), the same work
// whether or not the address has an account, a link consumed by one guarded UPDATE, and every
// session of the user ended in the transaction that sets the new password.
import {
  type PgDb,
  type PgTx,
  passwordResetTokens,
  sessions,
  twoFactorChallenges,
  users,
} from '@tessera/db/pg';
import { and, eq, gt, isNull } from 'drizzle-orm';
import {
  decoyPasswordReset,
  preparePasswordReset,
  resetBucketKeys,
  resetRefused,
  resetRequestedAudit,
} from '../../../auth/request-password-reset.ts';
import {
  checkResetLink,
  hashResetPassword,
  invalidResetLink,
} from '../../../auth/reset-password.ts';
import { parseSessionToken } from '../../../auth/session-token.ts';
import { RESET_EMAIL_BUCKET, RESET_NETWORK_BUCKET } from '../../../auth/throttle.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';
import {
  pgEnqueueMail,
  pgRecordAudit,
  pgResetBucket,
  pgTakeToken,
  pgTransaction,
} from './pg-shared.ts';

type ResetMethods = Pick<
  AccountStore,
  'requestPasswordReset' | 'sendPasswordReset' | 'resetPassword'
>;

async function issuePasswordReset(
  tx: PgTx,
  input: Parameters<typeof preparePasswordReset>[0] & {
    ip: string | null;
    actorLabel?: string | null;
  },
) {
  const prepared = preparePasswordReset(input);
  await tx.insert(passwordResetTokens).values(prepared.row);
  const mail = await pgEnqueueMail(tx, prepared.mail);
  const issued = { tokenId: prepared.row.id, mailId: mail.id, expiresAt: prepared.expiresAt };
  await pgRecordAudit(tx, resetRequestedAudit(input, issued));
  return { link: prepared.link, mailId: mail.id, expiresAt: prepared.expiresAt };
}

export function pgPasswordReset(db: PgDb): ResetMethods {
  return {
    async requestPasswordReset(input) {
      const email = normalizeEmail(input.email);
      await pgTransaction(db, async (tx) => {
        const keys = resetBucketKeys(email, input.ip);
        const byEmail = await pgTakeToken(tx, keys.byEmail, RESET_EMAIL_BUCKET, input.now);
        const byNetwork = keys.byNetwork
          ? await pgTakeToken(tx, keys.byNetwork, RESET_NETWORK_BUCKET, input.now)
          : { ok: true as const };
        const refusal = !byEmail.ok ? byEmail : !byNetwork.ok ? byNetwork : null;
        // Throwing rolls back the token taken from the other bucket.
        if (refusal) throw resetRefused(refusal.retryAfterSeconds);
      });
      await pgTransaction(db, async (tx) => {
        const [user] = await tx
          .select({
            id: users.id,
            email: users.email,
            locale: users.locale,
            disabledAt: users.disabledAt,
          })
          .from(users)
          .where(eq(users.email, email));
        if (user && user.disabledAt === null) {
          await issuePasswordReset(tx, {
            user,
            requestLocale: input.locale,
            baseUrl: input.baseUrl,
            now: input.now,
            ip: input.ip,
          });
        } else {
          decoyPasswordReset({ ...input, email });
        }
      });
      return { ok: true as const };
    },

    sendPasswordReset(input) {
      const email = normalizeEmail(input.email);
      return pgTransaction(db, async (tx) => {
        const [user] = await tx
          .select({ id: users.id, email: users.email, locale: users.locale })
          .from(users)
          .where(eq(users.email, email));
        if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
        const issued = await issuePasswordReset(tx, { ...input, user, ip: null });
        return { email: user.email, ...issued };
      });
    },

    async resetPassword(input) {
      const parsed = parseSessionToken(input.token);
      if (!parsed) throw invalidResetLink('unknown');
      const [row] = await db
        .select({
          id: passwordResetTokens.id,
          secretHash: passwordResetTokens.secretHash,
          usedAt: passwordResetTokens.usedAt,
          expiresAt: passwordResetTokens.expiresAt,
          userId: passwordResetTokens.userId,
          email: users.email,
        })
        .from(passwordResetTokens)
        .innerJoin(users, eq(users.id, passwordResetTokens.userId))
        .where(eq(passwordResetTokens.id, parsed.id));
      checkResetLink(parsed.secret, row, input.now);
      const passwordHash = await hashResetPassword(input.password, row.email);
      return pgTransaction(db, async (tx) => {
        // Of two uses racing (or a use racing the expiry), exactly one gets the row.
        const consumed = await tx
          .update(passwordResetTokens)
          .set({ usedAt: input.now })
          .where(
            and(
              eq(passwordResetTokens.id, row.id),
              isNull(passwordResetTokens.usedAt),
              gt(passwordResetTokens.expiresAt, input.now),
            ),
          )
          .returning({ userId: passwordResetTokens.userId });
        if (consumed.length === 0) throw invalidResetLink('used');
        await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId));
        await tx
          .update(passwordResetTokens)
          .set({ usedAt: input.now })
          .where(
            and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)),
          );
        await pgResetBucket(tx, `account:${row.email}`);
        // A sign-in that got past the old password and waits for its code ends with the sessions.
        await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, row.userId));
        const ended = await tx
          .delete(sessions)
          .where(eq(sessions.userId, row.userId))
          .returning({ id: sessions.id });
        const sessionsEnded = ended.length;
        await pgRecordAudit(tx, {
          tenantId: null,
          actorUserId: row.userId,
          action: 'user.password_reset',
          subjectType: 'user',
          subjectId: row.userId,
          data: { tokenId: row.id, sessionsEnded },
          ip: input.ip,
          createdAt: input.now,
        });
        return { sessionsEnded };
      });
    },
  };
}
