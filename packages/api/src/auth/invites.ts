// Invites: an admin mails someone a single-use sign-up link (hashed at rest like every link,
// decision 021), valid for 7 days. While sign-up is invite-only it is the only way in; in any mode
// an account created through it counts its address as verified when it is the invited one — the
// link reached that mailbox.
import type { Db, DbOrTx } from '@tessera/db';
import { signupInvites, users } from '@tessera/db';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { normalizeEmail } from '../domain/users/normalize-email.ts';
import { DomainError } from '../errors.ts';
import { appLink } from '../mail/app-link.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { type MailLocale, mailLocale } from '../mail/templates.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from './session-token.ts';

export const INVITE_LIFETIME_MS = 7 * 24 * 3_600_000;

export type InviteStatus = 'pending' | 'used' | 'revoked' | 'expired';
type InviteProblem = 'unknown' | 'used' | 'revoked' | 'expired';

export const invalidInvite = (reason: InviteProblem) =>
  new DomainError(
    'INVITE_INVALID',
    reason === 'unknown'
      ? 'This invite link is not valid.'
      : reason === 'used'
        ? 'This invite was already used.'
        : reason === 'revoked'
          ? 'This invite was withdrawn.'
          : 'This invite has expired. Ask for a new one.',
    { reason },
  );

/** `<base>/sign-up?invite=…`: the sign-up page, carrying the invite. */
export function inviteLink(baseUrl: string, token: string): string {
  return appLink(baseUrl, '/sign-up', { invite: token });
}

export function createInvite(
  db: Db,
  input: {
    email: string;
    locale?: MailLocale;
    baseUrl: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    ip?: string | null;
    now: Date;
  },
): { id: string; email: string; link: string; expiresAt: Date } {
  const email = normalizeEmail(input.email);
  return db.transaction((tx) => {
    const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (existing) throw emailTaken();
    // One live invite per address: an earlier link stops working when a new one is sent.
    tx.update(signupInvites)
      .set({ revokedAt: input.now })
      .where(
        and(
          eq(signupInvites.email, email),
          isNull(signupInvites.usedAt),
          isNull(signupInvites.revokedAt),
        ),
      )
      .run();
    const prepared = prepareInvite({ ...input, email });
    tx.insert(signupInvites).values(prepared.row).run();
    const mail = enqueueMail(tx, prepared.mail);
    recordAudit(tx, prepared.audit(mail.id));
    const { id, expiresAt } = prepared.row;
    return { id, email, link: prepared.link, expiresAt };
  });
}

export const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'An account with this email already exists.', {
    fieldErrors: { email: ['EMAIL_TAKEN'] },
  });

/** A new invite's row, link, mail and audit row (given the mail's id): what every engine stores. */
export function prepareInvite(input: {
  email: string;
  locale?: MailLocale;
  baseUrl: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  ip?: string | null;
  now: Date;
}) {
  const { email } = input;
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + INVITE_LIFETIME_MS);
  const link = inviteLink(input.baseUrl, token);
  return {
    row: {
      id,
      secretHash: Buffer.from(secretHash),
      email,
      invitedBy: input.actorUserId,
      createdAt: input.now,
      expiresAt,
    },
    link,
    mail: {
      to: email,
      locale: mailLocale(input.locale),
      template: 'signup_invite' as const,
      params: { link, days: INVITE_LIFETIME_MS / (24 * 3_600_000), email },
      now: input.now,
    },
    audit: (mailId: string) => ({
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'signup.invite_sent',
      subjectType: 'invite',
      subjectId: id,
      data: { email, mailId, expiresAt: expiresAt.toISOString() },
      ip: input.ip ?? null,
      createdAt: input.now,
    }),
  };
}

/** The live invite behind a token, or the typed reason it cannot be used. */
function findUsableInvite(db: DbOrTx, token: string, now: Date) {
  const parsed = parseSessionToken(token);
  if (!parsed) throw invalidInvite('unknown');
  const row = db.select().from(signupInvites).where(eq(signupInvites.id, parsed.id)).get();
  checkInvite(parsed.secret, row, now);
  return row;
}

/** Refuses an invite whose row is missing, does not match, was used, revoked, or has expired. */
export function checkInvite<
  R extends {
    secretHash: Uint8Array;
    usedAt: Date | null;
    revokedAt: Date | null;
    expiresAt: Date;
  },
>(secret: string, row: R | undefined, now: Date): asserts row is R {
  if (!row || !secretMatches(secret, row.secretHash)) throw invalidInvite('unknown');
  if (row.usedAt !== null) throw invalidInvite('used');
  if (row.revokedAt !== null) throw invalidInvite('revoked');
  if (row.expiresAt.getTime() <= now.getTime()) throw invalidInvite('expired');
}

/** What the sign-up page shows for an invite link: the invited address, or why it is dead. */
export function describeInvite(db: DbOrTx, token: string, now: Date): { email: string } {
  return { email: findUsableInvite(db, token, now).email };
}

/**
 * Uses an invite for a new account, inside the transaction that creates it: one guarded UPDATE
 * (unused, not revoked, unexpired now), so an invite opens exactly one account.
 */
export function consumeInvite(
  tx: DbOrTx,
  input: { token: string; email: string; userId: string; now: Date },
): { matchesEmail: boolean } {
  const row = findUsableInvite(tx, input.token, input.now);
  const consumed = tx
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
    .returning({ id: signupInvites.id })
    .get();
  if (!consumed) throw invalidInvite('used');
  return { matchesEmail: row.email === normalizeEmail(input.email) };
}

export function inviteStatus(
  row: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InviteStatus {
  if (row.usedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}

/** The newest invites first, with their status now. */
export function listInvites(db: DbOrTx, input: { now: Date; limit?: number }) {
  return db
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
    .limit(input.limit ?? 200)
    .all()
    .map((row) => ({ ...row, status: inviteStatus(row, input.now) }));
}

/** Withdraws an invite that has not been used; NOT_FOUND for an unknown, used or revoked one. */
export function revokeInvite(
  db: Db,
  input: { id: string; actorUserId: string | null; ip?: string | null; now: Date },
): { ok: true } {
  return db.transaction((tx) => {
    const revoked = tx
      .update(signupInvites)
      .set({ revokedAt: input.now })
      .where(
        and(
          eq(signupInvites.id, input.id),
          isNull(signupInvites.usedAt),
          isNull(signupInvites.revokedAt),
        ),
      )
      .returning({ email: signupInvites.email })
      .get();
    if (!revoked) throw new DomainError('NOT_FOUND', 'No pending invite with this id.');
    recordAudit(tx, {
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
}
