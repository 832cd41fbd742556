// "Forgot password?": a single-use link to set a new password, mailed to the address.
//
// The answer is the same whether the address has an account or not, and it takes comparable time:
// both paths take the same throttle tokens, generate a token and render the mail; only the two
// inserts (token row, outbox row) differ, and the mail itself is sent later by the sender loop, so
// SMTP latency never shows in the answer (decision 021). The link's secret comes from the CSPRNG
// and only its SHA-256 is stored (like session tokens, decision 001), for 30 minutes.
import type { Db, DbOrTx } from '@tessera/db';
import { passwordResetTokens, users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import { appLink } from '../mail/app-link.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { type MailLocale, mailLocale, renderMail } from '../mail/templates.ts';
import { generateSessionToken } from './session-token.ts';
import { networkOf, RESET_EMAIL_BUCKET, RESET_NETWORK_BUCKET, takeToken } from './throttle.ts';

export const RESET_LINK_LIFETIME_MS = 30 * 60_000;
const RESET_LINK_MINUTES = RESET_LINK_LIFETIME_MS / 60_000;

/** `<base>/reset-password?token=…`; `baseUrl` is PUBLIC_URL, else the request's checked origin. */
export function resetLink(baseUrl: string, token: string): string {
  return appLink(baseUrl, '/reset-password', { token });
}

/**
 * Stores a new reset token for the user and enqueues the mail carrying its link, in the caller's
 * transaction. Returns the link (the CLI prints it when no SMTP is configured).
 */
export function issuePasswordReset(
  tx: DbOrTx,
  input: {
    user: { id: string; email: string; locale: string | null };
    requestLocale?: MailLocale;
    baseUrl: string;
    now: Date;
    ip: string | null;
    actorLabel?: string | null;
  },
): { link: string; mailId: string; expiresAt: Date } {
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + RESET_LINK_LIFETIME_MS);
  tx.insert(passwordResetTokens)
    .values({
      id,
      secretHash: Buffer.from(secretHash),
      userId: input.user.id,
      createdAt: input.now,
      expiresAt,
    })
    .run();
  const link = resetLink(input.baseUrl, token);
  const mail = enqueueMail(tx, {
    to: input.user.email,
    locale: mailLocale(input.user.locale, input.requestLocale),
    template: 'password_reset',
    params: { link, minutes: RESET_LINK_MINUTES, email: input.user.email },
    now: input.now,
  });
  recordAudit(tx, {
    tenantId: null,
    actorUserId: null,
    actorLabel: input.actorLabel ?? null,
    action: 'user.password_reset_requested',
    subjectType: 'user',
    subjectId: input.user.id,
    data: { tokenId: id, mailId: mail.id, expiresAt: expiresAt.toISOString() },
    ip: input.ip,
    createdAt: input.now,
  });
  return { link, mailId: mail.id, expiresAt };
}

export async function requestPasswordReset(
  db: Db,
  input: {
    email: string;
    locale?: MailLocale;
    baseUrl: string;
    ip: string | null;
    now: Date;
  },
): Promise<{ ok: true }> {
  const email = normalizeEmail(input.email);
  db.transaction((tx) => {
    const byEmail = takeToken(tx, `reset:${email}`, RESET_EMAIL_BUCKET, input.now);
    const byNetwork = input.ip
      ? takeToken(tx, `reset-net:${networkOf(input.ip)}`, RESET_NETWORK_BUCKET, input.now)
      : { ok: true as const };
    const refusal = !byEmail.ok ? byEmail : !byNetwork.ok ? byNetwork : null;
    // Throwing rolls back the token taken from the other bucket.
    if (refusal)
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many reset requests. Try again shortly.', {
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
  });
  db.transaction((tx) => {
    const user = tx
      .select({
        id: users.id,
        email: users.email,
        locale: users.locale,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(eq(users.email, email))
      .get();
    if (user && user.disabledAt === null) {
      issuePasswordReset(tx, {
        user,
        requestLocale: input.locale,
        baseUrl: input.baseUrl,
        now: input.now,
        ip: input.ip,
      });
    } else {
      // The same work as the real path, minus the two inserts: nothing to tell the times apart.
      const { token } = generateSessionToken();
      renderMail('password_reset', mailLocale(input.locale), {
        link: resetLink(input.baseUrl, token),
        minutes: RESET_LINK_MINUTES,
        email,
      });
    }
  });
  return { ok: true };
}

/**
 * An operator's reset (the CLI): the same link and mail, for an account that must exist. Unlike the
 * public request it says NOT_FOUND for an unknown address — an operator may know who has accounts.
 */
export function sendPasswordReset(
  db: Db,
  input: { email: string; baseUrl: string; now: Date; actorLabel: string | null },
): { email: string; link: string; mailId: string; expiresAt: Date } {
  const email = normalizeEmail(input.email);
  return db.transaction((tx) => {
    const user = tx
      .select({ id: users.id, email: users.email, locale: users.locale })
      .from(users)
      .where(eq(users.email, email))
      .get();
    if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${input.email}.`);
    const issued = issuePasswordReset(tx, { ...input, user, ip: null });
    return { email: user.email, ...issued };
  });
}
