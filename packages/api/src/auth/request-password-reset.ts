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

type ResetInput = {
  user: { id: string; email: string; locale: string | null };
  requestLocale?: MailLocale;
  baseUrl: string;
  now: Date;
};

/** A new reset token's row, its link and its mail: what every engine stores. */
export function preparePasswordReset(input: ResetInput) {
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + RESET_LINK_LIFETIME_MS);
  const link = resetLink(input.baseUrl, token);
  return {
    row: {
      id,
      secretHash: Buffer.from(secretHash),
      userId: input.user.id,
      createdAt: input.now,
      expiresAt,
    },
    link,
    expiresAt,
    mail: {
      to: input.user.email,
      locale: mailLocale(input.user.locale, input.requestLocale),
      template: 'password_reset' as const,
      params: { link, minutes: RESET_LINK_MINUTES, email: input.user.email },
      now: input.now,
    },
  };
}

/** The audit row of a reset link sent (by request or by an operator). */
export function resetRequestedAudit(
  input: { user: { id: string }; now: Date; ip: string | null; actorLabel?: string | null },
  issued: { tokenId: string; mailId: string; expiresAt: Date },
) {
  return {
    tenantId: null,
    actorUserId: null,
    actorLabel: input.actorLabel ?? null,
    action: 'user.password_reset_requested',
    subjectType: 'user',
    subjectId: input.user.id,
    data: { ...issued, expiresAt: issued.expiresAt.toISOString() },
    ip: input.ip,
    createdAt: input.now,
  };
}

/**
 * Stores a new reset token for the user and enqueues the mail carrying its link, in the caller's
 * transaction. Returns the link (the CLI prints it when no SMTP is configured).
 */
export function issuePasswordReset(
  tx: DbOrTx,
  input: ResetInput & { ip: string | null; actorLabel?: string | null },
): { link: string; mailId: string; expiresAt: Date } {
  const prepared = preparePasswordReset(input);
  tx.insert(passwordResetTokens).values(prepared.row).run();
  const mail = enqueueMail(tx, prepared.mail);
  const issued = { tokenId: prepared.row.id, mailId: mail.id, expiresAt: prepared.expiresAt };
  recordAudit(tx, resetRequestedAudit(input, issued));
  return { link: prepared.link, mailId: mail.id, expiresAt: prepared.expiresAt };
}

export const resetRefused = (retryAfterSeconds: number) =>
  new DomainError('TOO_MANY_ATTEMPTS', 'Too many reset requests. Try again shortly.', {
    retryAfterSeconds,
  });

/** The bucket keys a reset request takes from: its address, and its network when known. */
export function resetBucketKeys(email: string, ip: string | null) {
  return {
    byEmail: `reset:${email}`,
    byNetwork: ip ? `reset-net:${networkOf(ip)}` : null,
  };
}

/** The same work as the real path minus the inserts: nothing to tell the two answers apart. */
export function decoyPasswordReset(input: { email: string; locale?: MailLocale; baseUrl: string }) {
  const { token } = generateSessionToken();
  renderMail('password_reset', mailLocale(input.locale), {
    link: resetLink(input.baseUrl, token),
    minutes: RESET_LINK_MINUTES,
    email: input.email,
  });
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
    const keys = resetBucketKeys(email, input.ip);
    const byEmail = takeToken(tx, keys.byEmail, RESET_EMAIL_BUCKET, input.now);
    const byNetwork = keys.byNetwork
      ? takeToken(tx, keys.byNetwork, RESET_NETWORK_BUCKET, input.now)
      : { ok: true as const };
    const refusal = !byEmail.ok ? byEmail : !byNetwork.ok ? byNetwork : null;
    // Throwing rolls back the token taken from the other bucket.
    if (refusal) throw resetRefused(refusal.retryAfterSeconds);
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
      decoyPasswordReset({ ...input, email });
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
