// Proving an address: a single-use link mailed at sign-up (and again on request), valid for 24
// hours. Like a reset link (decision 021) the token is `<id>.<secret>` and only the SHA-256 of the
// secret is stored; using it is one guarded UPDATE, in the transaction that sets
// users.email_verified_at. Decision 022 says why trials, plan codes and checkout wait for it.
import type { Db, DbOrTx } from '@tessera/db';
import { emailVerificationTokens, users } from '@tessera/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { appLink } from '../mail/app-link.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { type MailLocale, mailLocale } from '../mail/templates.ts';
import { memberStatements } from '../member/member-statements.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from './session-token.ts';
import { type BucketPolicy, takeToken } from './throttle.ts';

export const VERIFY_LINK_LIFETIME_MS = 24 * 3_600_000;
/** New links a signed-in user may ask for: a lost mail is resent at once, a mail bomb is not. */
export const VERIFY_RESEND_BUCKET: BucketPolicy = { capacity: 3, perHour: 6 };

/** `<base>/verify-email?token=…`; `baseUrl` is PUBLIC_URL, else the request's checked origin. */
export function verifyLink(baseUrl: string, token: string): string {
  return appLink(baseUrl, '/verify-email', { token });
}

/** Stores a new verification token and enqueues its mail, in the caller's transaction. */
export function issueEmailVerification(
  tx: DbOrTx,
  input: {
    user: { id: string; email: string; locale: string | null };
    requestLocale?: MailLocale;
    baseUrl: string;
    now: Date;
  },
): { link: string; mailId: string; expiresAt: Date } {
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + VERIFY_LINK_LIFETIME_MS);
  tx.insert(emailVerificationTokens)
    .values({
      id,
      secretHash: Buffer.from(secretHash),
      userId: input.user.id,
      email: input.user.email,
      createdAt: input.now,
      expiresAt,
    })
    .run();
  const link = verifyLink(input.baseUrl, token);
  const mail = enqueueMail(tx, {
    to: input.user.email,
    locale: mailLocale(input.user.locale, input.requestLocale),
    template: 'verify_email',
    params: { link, hours: VERIFY_LINK_LIFETIME_MS / 3_600_000, email: input.user.email },
    now: input.now,
  });
  return { link, mailId: mail.id, expiresAt };
}

/** "Send the link again", for the signed-in user; throttled per account. */
export function resendEmailVerification(
  db: Db,
  input: { userId: string; requestLocale?: MailLocale; baseUrl: string; now: Date },
): { alreadyVerified: boolean } {
  return db.transaction((tx) => {
    const user = tx
      .select({
        id: users.id,
        email: users.email,
        locale: users.locale,
        verifiedAt: users.emailVerifiedAt,
      })
      .from(users)
      .where(eq(users.id, input.userId))
      .get();
    if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
    if (user.verifiedAt !== null) return { alreadyVerified: true };
    const taken = takeToken(tx, `verify:${user.id}`, VERIFY_RESEND_BUCKET, input.now);
    if (!taken.ok) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many links asked for. Try again shortly.', {
        retryAfterSeconds: taken.retryAfterSeconds,
      });
    }
    issueEmailVerification(tx, { ...input, user });
    return { alreadyVerified: false };
  });
}

type LinkProblem = 'unknown' | 'used' | 'expired';

const invalidLink = (reason: LinkProblem) =>
  new DomainError(
    'VERIFY_LINK_INVALID',
    reason === 'unknown'
      ? 'This verification link is not valid.'
      : reason === 'used'
        ? 'This verification link was already used.'
        : 'This verification link has expired. Ask for a new one.',
    { reason },
  );

/**
 * Uses a verification link: consumes it (one guarded UPDATE: unused and unexpired now), marks the
 * address verified, and retires the user's other pending links — one transaction, audited.
 */
export function verifyEmail(
  db: Db,
  input: { token: string; ip: string | null; now: Date },
): { email: string } {
  const parsed = parseSessionToken(input.token);
  if (!parsed) throw invalidLink('unknown');
  const row = db
    .select({
      id: emailVerificationTokens.id,
      secretHash: emailVerificationTokens.secretHash,
      usedAt: emailVerificationTokens.usedAt,
      expiresAt: emailVerificationTokens.expiresAt,
      userId: emailVerificationTokens.userId,
      email: emailVerificationTokens.email,
    })
    .from(emailVerificationTokens)
    .where(eq(emailVerificationTokens.id, parsed.id))
    .get();
  if (!row || !secretMatches(parsed.secret, row.secretHash)) throw invalidLink('unknown');
  if (row.usedAt !== null) throw invalidLink('used');
  if (row.expiresAt.getTime() <= input.now.getTime()) throw invalidLink('expired');

  return db.transaction((tx) => {
    const consumed = tx
      .update(emailVerificationTokens)
      .set({ usedAt: input.now })
      .where(
        and(
          eq(emailVerificationTokens.id, row.id),
          isNull(emailVerificationTokens.usedAt),
          gt(emailVerificationTokens.expiresAt, input.now),
        ),
      )
      .returning({ id: emailVerificationTokens.id })
      .get();
    if (!consumed) throw invalidLink('used');
    // The link proves the address it was mailed to; an account whose address differs by now
    // (no such change exists yet) is not verified by it.
    const verified = tx
      .update(users)
      .set({ emailVerifiedAt: input.now })
      .where(
        and(eq(users.id, row.userId), eq(users.email, row.email), isNull(users.emailVerifiedAt)),
      )
      .returning({ id: users.id })
      .get();
    tx.update(emailVerificationTokens)
      .set({ usedAt: input.now })
      .where(
        and(eq(emailVerificationTokens.userId, row.userId), isNull(emailVerificationTokens.usedAt)),
      )
      .run();
    if (verified) {
      recordAudit(tx, {
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
}

/**
 * Whether the user's address is proven. `auth.me` (every page load) and chat admission ask with
 * the connection itself: a statement prepared once. A transaction's callers (trials, codes) go
 * through Drizzle, which runs on that transaction.
 */
export function isEmailVerified(db: DbOrTx, userId: string): boolean {
  if ('$client' in db) return memberStatements(db.$client).emailVerified.get(userId) === 1;
  const row = db
    .select({ verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  return row?.verifiedAt != null;
}

/** The gate in front of trials, plan codes and checkout: the typed refusal the SPA acts on. */
export function requireVerifiedEmail(db: DbOrTx, userId: string): void {
  if (!isEmailVerified(db, userId)) emailNotVerified();
}

/** The refusal itself, for a store that read the verification on its own engine. */
export function emailNotVerified(): never {
  throw new DomainError(
    'EMAIL_NOT_VERIFIED',
    'Confirm your email address first: open the link we mailed you, or ask for a new one.',
  );
}
