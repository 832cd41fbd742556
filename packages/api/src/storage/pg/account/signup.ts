// Sign-up controls and email verification on PostgreSQL (decision 022): the mode, invites and
// verification links, with the guards of auth/signup-mode.ts, invites.ts and
// email-verification.ts. Links are consumed by one guarded UPDATE (unused and unexpired now); the
// mails go to the outbox in the same transaction.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import {
  appMeta,
  emailVerificationTokens,
  type PgDb,
  type PgTx,
  signupInvites,
  tenants,
  users,
} from '@tessera/db/pg';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import {
  checkVerifyLink,
  invalidVerifyLink,
  prepareEmailVerification,
  resendRefused,
  VERIFY_RESEND_BUCKET,
} from '../../../auth/email-verification.ts';
import {
  checkInvite,
  emailTaken,
  invalidInvite,
  inviteStatus,
  prepareInvite,
} from '../../../auth/invites.ts';
import { parseSessionToken } from '../../../auth/session-token.ts';
import { SIGNUP_MODE_KEY, type SignupMode, signupModeOf } from '../../../auth/signup-mode.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';
import { pgEnqueueMail, pgRecordAudit, pgTakeToken, pgTransaction } from './pg-shared.ts';

type SignupMethods = Pick<
  AccountStore,
  | 'readSignupMode'
  | 'effectiveSignupMode'
  | 'setSignupMode'
  | 'createInvite'
  | 'describeInvite'
  | 'listInvites'
  | 'revokeInvite'
  | 'isEmailVerified'
  | 'verifyEmail'
  | 'resendEmailVerification'
>;

/** The stored mode, on the caller's connection or transaction (sign-up's admission reads it too). */
export async function pgReadSignupMode(db: PgDb | PgTx, lock = false): Promise<SignupMode> {
  const query = db
    .select({ value: appMeta.value })
    .from(appMeta)
    .where(eq(appMeta.key, SIGNUP_MODE_KEY));
  const [row] = lock ? await query.for('update') : await query;
  return signupModeOf(row);
}

/** Stores a verification token and its mail in the caller's transaction (sign-up, resend). */
export async function pgIssueEmailVerification(
  tx: PgTx,
  input: Parameters<typeof prepareEmailVerification>[0],
) {
  const prepared = prepareEmailVerification(input);
  await tx.insert(emailVerificationTokens).values(prepared.row);
  const mail = await pgEnqueueMail(tx, prepared.mail);
  return { link: prepared.link, mailId: mail.id, expiresAt: prepared.expiresAt };
}

async function findInvite(db: PgDb | PgTx, token: string, now: Date) {
  const parsed = parseSessionToken(token);
  if (!parsed) throw invalidInvite('unknown');
  const [row] = await db.select().from(signupInvites).where(eq(signupInvites.id, parsed.id));
  checkInvite(parsed.secret, row, now);
  return row;
}

/**
 * consumeInvite on PostgreSQL, for the transaction that creates the invited account: one guarded
 * UPDATE (unused, not revoked, unexpired now), so an invite opens exactly one account.
 */
export async function pgConsumeInvite(
  tx: PgTx,
  input: { token: string; email: string; userId: string; now: Date },
): Promise<{ matchesEmail: boolean }> {
  const row = await findInvite(tx, input.token, input.now);
  const consumed = await tx
    .update(signupInvites)
    .set({ usedAt: input.now, usedBy: input.userId })
    .where(
      and(
        eq(signupInvites.id, row.id),
        isNull(signupInvites.usedAt),
        isNull(signupInvites.revokedAt),
        gt(signupInvites.expiresAt, input.now),
      ),
    )
    .returning({ id: signupInvites.id });
  if (consumed.length === 0) throw invalidInvite('used');
  return { matchesEmail: row.email === normalizeEmail(input.email) };
}

export function pgSignup(db: PgDb): SignupMethods {
  return {
    readSignupMode: () => pgReadSignupMode(db),

    async effectiveSignupMode() {
      const [platform] = await db
        .select({ claimedAt: tenants.adminClaimedAt })
        .from(tenants)
        .where(eq(tenants.id, PLATFORM_TENANT_ID));
      if (!platform || platform.claimedAt === null) return 'open';
      return pgReadSignupMode(db);
    },

    setSignupMode(input) {
      return pgTransaction(db, async (tx) => {
        // Locked, so two admins changing it at once each audit what they really replaced.
        const previous = await pgReadSignupMode(tx, true);
        await tx
          .insert(appMeta)
          .values({ key: SIGNUP_MODE_KEY, value: input.mode })
          .onConflictDoUpdate({ target: appMeta.key, set: { value: input.mode } });
        await pgRecordAudit(tx, {
          tenantId: null,
          actorUserId: input.actorUserId,
          actorLabel: input.actorLabel ?? null,
          action: 'signup.mode_set',
          subjectType: 'platform',
          subjectId: 'signup_mode',
          data: { mode: input.mode, previous },
          ip: input.ip ?? null,
          createdAt: input.now,
        });
        return { mode: input.mode, previous };
      });
    },

    createInvite(input) {
      const email = normalizeEmail(input.email);
      return pgTransaction(db, async (tx) => {
        // One live invite per address, also when two admins invite it at the same moment.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invite:${email}`}))`);
        const existing = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.email, email));
        if (existing.length > 0) throw emailTaken();
        await tx
          .update(signupInvites)
          .set({ revokedAt: input.now })
          .where(
            and(
              eq(signupInvites.email, email),
              isNull(signupInvites.usedAt),
              isNull(signupInvites.revokedAt),
            ),
          );
        const prepared = prepareInvite({ ...input, email });
        await tx.insert(signupInvites).values(prepared.row);
        const mail = await pgEnqueueMail(tx, prepared.mail);
        await pgRecordAudit(tx, prepared.audit(mail.id));
        const { id, expiresAt } = prepared.row;
        return { id, email, link: prepared.link, expiresAt };
      });
    },

    async describeInvite(token, now) {
      return { email: (await findInvite(db, token, now)).email };
    },

    async listInvites(input) {
      const rows = await db
        .select({
          id: signupInvites.id,
          email: signupInvites.email,
          invitedByEmail: users.email,
          createdAt: signupInvites.createdAt,
          expiresAt: signupInvites.expiresAt,
          usedAt: signupInvites.usedAt,
          revokedAt: signupInvites.revokedAt,
        })
        .from(signupInvites)
        .leftJoin(users, eq(users.id, signupInvites.invitedBy))
        .orderBy(desc(signupInvites.createdAt), desc(signupInvites.id))
        .limit(input.limit ?? 200);
      return rows.map((row) => ({ ...row, status: inviteStatus(row, input.now) }));
    },

    revokeInvite(input) {
      return pgTransaction(db, async (tx) => {
        const [revoked] = await tx
          .update(signupInvites)
          .set({ revokedAt: input.now })
          .where(
            and(
              eq(signupInvites.id, input.id),
              isNull(signupInvites.usedAt),
              isNull(signupInvites.revokedAt),
            ),
          )
          .returning({ email: signupInvites.email });
        if (!revoked) throw new DomainError('NOT_FOUND', 'No pending invite with this id.');
        await pgRecordAudit(tx, {
          tenantId: null,
          actorUserId: input.actorUserId,
          action: 'signup.invite_revoked',
          subjectType: 'invite',
          subjectId: input.id,
          data: { email: revoked.email },
          ip: input.ip ?? null,
          createdAt: input.now,
        });
        return { ok: true as const };
      });
    },

    async isEmailVerified(userId) {
      const [row] = await db
        .select({ verifiedAt: users.emailVerifiedAt })
        .from(users)
        .where(eq(users.id, userId));
      return row?.verifiedAt != null;
    },

    async verifyEmail(input) {
      const parsed = parseSessionToken(input.token);
      if (!parsed) throw invalidVerifyLink('unknown');
      const [row] = await db
        .select({
          id: emailVerificationTokens.id,
          secretHash: emailVerificationTokens.secretHash,
          usedAt: emailVerificationTokens.usedAt,
          expiresAt: emailVerificationTokens.expiresAt,
          userId: emailVerificationTokens.userId,
          email: emailVerificationTokens.email,
        })
        .from(emailVerificationTokens)
        .where(eq(emailVerificationTokens.id, parsed.id));
      checkVerifyLink(parsed.secret, row, input.now);
      return pgTransaction(db, async (tx) => {
        const consumed = await tx
          .update(emailVerificationTokens)
          .set({ usedAt: input.now })
          .where(
            and(
              eq(emailVerificationTokens.id, row.id),
              isNull(emailVerificationTokens.usedAt),
              gt(emailVerificationTokens.expiresAt, input.now),
            ),
          )
          .returning({ id: emailVerificationTokens.id });
        if (consumed.length === 0) throw invalidVerifyLink('used');
        // The link proves the address it was mailed to, not one the account has since.
        const verified = await tx
          .update(users)
          .set({ emailVerifiedAt: input.now })
          .where(
            and(
              eq(users.id, row.userId),
              eq(users.email, row.email),
              isNull(users.emailVerifiedAt),
            ),
          )
          .returning({ id: users.id });
        await tx
          .update(emailVerificationTokens)
          .set({ usedAt: input.now })
          .where(
            and(
              eq(emailVerificationTokens.userId, row.userId),
              isNull(emailVerificationTokens.usedAt),
            ),
          );
        if (verified.length > 0) {
          await pgRecordAudit(tx, {
            tenantId: null,
            actorUserId: row.userId,
            action: 'user.email_verified',
            subjectType: 'user',
            subjectId: row.userId,
            data: { tokenId: row.id, email: row.email },
            ip: input.ip,
            createdAt: input.now,
          });
        }
        return { email: row.email };
      });
    },

    resendEmailVerification(input) {
      return pgTransaction(db, async (tx) => {
        const [user] = await tx
          .select({
            id: users.id,
            email: users.email,
            locale: users.locale,
            verifiedAt: users.emailVerifiedAt,
          })
          .from(users)
          .where(eq(users.id, input.userId));
        if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
        if (user.verifiedAt !== null) return { alreadyVerified: true };
        const taken = await pgTakeToken(tx, `verify:${user.id}`, VERIFY_RESEND_BUCKET, input.now);
        if (!taken.ok) throw resendRefused(taken.retryAfterSeconds);
        await pgIssueEmailVerification(tx, { ...input, user });
        return { alreadyVerified: false };
      });
    },
  };
}
