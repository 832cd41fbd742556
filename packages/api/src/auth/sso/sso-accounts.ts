// The storage of SSO accounts on SQLite (the auth and account stores' SQLite adapters call these):
// where a sign-in lands, the account an issuer signs up, the link made in the session's
// transaction, and the list on the Account page. The decisions are sign-in-with-sso.ts's.
import type { Db, DbOrTx, Tx } from '@tessera/db';
import { userIdentities, users, userTotp } from '@tessera/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { type CreatedUser, insertNewUser } from '../../domain/users/create-user.ts';
import { DomainError } from '../../errors.ts';
import type { IdentityLink, NewUser, SsoAccountMatch } from '../../storage/auth-store.ts';
import { assertSignupAllowed } from '../sign-up.ts';

/** The account linked to (provider, subject), else the account of the (normalised) email. */
export function findSsoAccount(
  db: DbOrTx,
  input: { provider: string; subject: string; email: string | null },
): SsoAccountMatch | null {
  const columns = {
    id: users.id,
    disabledAt: users.disabledAt,
    emailVerifiedAt: users.emailVerifiedAt,
    totpEnabledAt: userTotp.enabledAt,
  };
  const withTotp = and(eq(userTotp.userId, users.id), isNotNull(userTotp.enabledAt));
  const linked = db
    .select(columns)
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .leftJoin(userTotp, withTotp)
    .where(
      and(eq(userIdentities.provider, input.provider), eq(userIdentities.subject, input.subject)),
    )
    .get();
  if (linked) return matchOf(linked, 'identity');
  if (input.email === null) return null;
  const byEmail = db
    .select(columns)
    .from(users)
    .leftJoin(userTotp, withTotp)
    .where(eq(users.email, input.email))
    .get();
  return byEmail ? matchOf(byEmail, 'email') : null;
}

function matchOf(
  row: {
    id: string;
    disabledAt: Date | null;
    emailVerifiedAt: Date | null;
    totpEnabledAt: Date | null;
  },
  by: SsoAccountMatch['by'],
): SsoAccountMatch {
  const { totpEnabledAt, ...account } = row;
  return { ...account, by, twoFactor: totpEnabledAt !== null };
}

/** The account an issuer signs up: createUser's transaction with sign-up's mode inside it. */
export function insertSsoAccount(db: Db, input: NewUser): CreatedUser {
  return insertNewUser(db, {
    ...input,
    // An issuer is another way to sign up, so sign-up's mode holds here too (no invite with it).
    admit: (tx, account) => assertSignupAllowed(tx, account, { invited: false }),
  });
}

/** Links the outside account in the sign-in's session transaction (startSessionOnly), audited. */
export function linkIdentity(
  tx: Tx,
  link: IdentityLink & { userId: string; ip: string | null; now: Date },
): void {
  const inserted = tx
    .insert(userIdentities)
    .values({
      provider: link.provider,
      subject: link.subject,
      userId: link.userId,
      email: link.email,
      createdAt: link.now,
    })
    .onConflictDoNothing()
    .returning({ userId: userIdentities.userId })
    .get();
  if (!inserted) {
    // A racing sign-in of the same outside account linked it first (another process, a double
    // click): fine if to this very user, and a refusal — rolling back this session — if not.
    const owner = tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(eq(userIdentities.provider, link.provider), eq(userIdentities.subject, link.subject)),
      )
      .get();
    if (owner?.userId === link.userId) return;
    throw identityTaken();
  }
  recordAudit(tx, {
    tenantId: null,
    actorUserId: link.userId,
    action: 'user.identity_linked',
    subjectType: 'user',
    subjectId: link.userId,
    data: { provider: link.provider, subject: link.subject, outcome: link.outcome },
    ip: link.ip,
    createdAt: link.now,
  });
}

/** The refusal of a link to an outside account that another account holds, on every engine. */
export function identityTaken() {
  return new DomainError('CONFLICT', 'This outside account is already linked to another account.');
}

/** The outside accounts linked to a user, for the Account page. */
export function listUserIdentities(db: Db, userId: string) {
  return db
    .select({
      provider: userIdentities.provider,
      subject: userIdentities.subject,
      email: userIdentities.email,
      createdAt: userIdentities.createdAt,
    })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId))
    .orderBy(userIdentities.createdAt)
    .all();
}
