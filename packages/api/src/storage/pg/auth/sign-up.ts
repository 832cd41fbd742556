// Sign-up's admission on PostgreSQL, inside the creating transaction (decision 022), as
// auth/sign-up.ts's signupAdmission does on SQLite: the mode, the invite consumed by one guarded
// UPDATE, then the address verified by the invite or a verification link stored and its mail
// queued (the mail outbox row with enqueueMail's columns: no mail port yet).
import {
  appMeta,
  emailVerificationTokens,
  mailOutbox,
  type PgTx,
  signupInvites,
  users,
} from '@tessera/db/pg';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { VERIFY_LINK_LIFETIME_MS, verifyLink } from '../../../auth/email-verification.ts';
import { checkInvite, invalidInvite } from '../../../auth/invites.ts';
import { generateSessionToken, parseSessionToken } from '../../../auth/session-token.ts';
import { assertModeAdmits } from '../../../auth/sign-up.ts';
import { SIGNUP_MODE_KEY, signupModeOf } from '../../../auth/signup-mode.ts';
import { randomId } from '../../../lib/ids.ts';
import { mailLocale, renderMail } from '../../../mail/templates.ts';
import type { SignUpRequest } from '../../auth-store.ts';
import type { NewAccount } from './create-user.ts';

/** Sign-up's mode inside the creating transaction: the first account always, then as the mode says. */
export async function assertPgModeAdmits(
  tx: PgTx,
  account: Pick<NewAccount, 'firstAccount'>,
  options: { invited: boolean },
): Promise<void> {
  if (account.firstAccount) return;
  const [row] = await tx
    .select({ value: appMeta.value })
    .from(appMeta)
    .where(eq(appMeta.key, SIGNUP_MODE_KEY));
  assertModeAdmits(signupModeOf(row), options);
}

type Admission = Pick<SignUpRequest, 'inviteToken' | 'locale' | 'baseUrl' | 'now'>;

export async function admitSignUp(tx: PgTx, account: NewAccount, request: Admission) {
  const { now } = request;
  await assertPgModeAdmits(tx, account, { invited: !!request.inviteToken });

  let invitedHere = false;
  if (request.inviteToken) {
    const parsed = parseSessionToken(request.inviteToken);
    if (!parsed) throw invalidInvite('unknown');
    const [row] = await tx.select().from(signupInvites).where(eq(signupInvites.id, parsed.id));
    checkInvite(parsed.secret, row, now);
    const invite = row;
    const consumed = await tx
      .update(signupInvites)
      .set({ usedAt: now, usedBy: account.id })
      .where(
        and(
          eq(signupInvites.id, parsed.id),
          isNull(signupInvites.usedAt),
          isNull(signupInvites.revokedAt),
          gt(signupInvites.expiresAt, now),
        ),
      )
      .returning({ id: signupInvites.id });
    if (consumed.length === 0) throw invalidInvite('used');
    invitedHere = invite.email === account.email;
  }

  if (invitedHere) {
    await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, account.id));
    return;
  }
  const { id, token, secretHash } = generateSessionToken();
  await tx.insert(emailVerificationTokens).values({
    id,
    secretHash: Buffer.from(secretHash),
    userId: account.id,
    email: account.email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + VERIFY_LINK_LIFETIME_MS),
  });
  const locale = mailLocale(request.locale);
  const params = {
    link: verifyLink(request.baseUrl, token),
    hours: VERIFY_LINK_LIFETIME_MS / 3_600_000,
    email: account.email,
  };
  await tx.insert(mailOutbox).values({
    id: randomId(),
    to: account.email,
    locale,
    template: 'verify_email',
    ...renderMail('verify_email', locale, params),
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
}
