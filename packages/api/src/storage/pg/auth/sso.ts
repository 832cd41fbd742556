// Sign-in through an identity provider on PostgreSQL (decision 023), the storage steps of
// auth/sso/sign-in-with-sso.ts as auth/sso/sso-accounts.ts writes them on SQLite: where a sign-in
// lands (one read), the account an issuer signs up (createUser's transaction with sign-up's mode),
// and the link made in the session's transaction (./sessions.ts startSession).
//
// Two first sign-ins of one outside account at once (a double click, two instances): the unique
// email lets one account through (`on conflict do nothing`: EMAIL_TAKEN for the other, which then
// signs in again as a link), and the primary key of (provider, subject) one link: the loser's
// `on conflict do nothing` waits for the winner's commit, then finds the link its own (fine) or
// another account's (CONFLICT, its session rolled back). Neither raises 23505.
import { type PgDb, type PgTx, userIdentities, users, userTotp } from '@tessera/db/pg';
import { and, eq, isNotNull } from 'drizzle-orm';
import { identityTaken } from '../../../auth/sso/sso-accounts.ts';
import type { AuthStore, IdentityLink, SsoAccountMatch } from '../../auth-store.ts';
import { insertUser } from './create-user.ts';
import { assertPgModeAdmits } from './sign-up.ts';
import { insertAudit } from './writes.ts';

const columns = {
  id: users.id,
  disabledAt: users.disabledAt,
  emailVerifiedAt: users.emailVerifiedAt,
  totpEnabledAt: userTotp.enabledAt,
};
const withTotp = and(eq(userTotp.userId, users.id), isNotNull(userTotp.enabledAt));

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

export function createPgSso(db: PgDb): Pick<AuthStore, 'findSsoAccount' | 'createSsoAccount'> {
  return {
    async findSsoAccount(input) {
      const [linked] = await db
        .select(columns)
        .from(userIdentities)
        .innerJoin(users, eq(users.id, userIdentities.userId))
        .leftJoin(userTotp, withTotp)
        .where(
          and(
            eq(userIdentities.provider, input.provider),
            eq(userIdentities.subject, input.subject),
          ),
        );
      if (linked) return matchOf(linked, 'identity');
      if (input.email === null) return null;
      const [byEmail] = await db
        .select(columns)
        .from(users)
        .leftJoin(userTotp, withTotp)
        .where(eq(users.email, input.email));
      return byEmail ? matchOf(byEmail, 'email') : null;
    },

    // No retry: a conflict here is an answer (EMAIL_TAKEN), as in createUser.
    createSsoAccount: (input) =>
      db.transaction((tx) =>
        insertUser(tx, input, (account) => assertPgModeAdmits(tx, account, { invited: false })),
      ),
  };
}

/** Links the outside account in a sign-in's session transaction, audited (SQLite: linkIdentity). */
export async function pgLinkIdentity(
  tx: PgTx,
  link: IdentityLink & { userId: string; ip: string | null; now: Date },
): Promise<void> {
  const inserted = await tx
    .insert(userIdentities)
    .values({
      provider: link.provider,
      subject: link.subject,
      userId: link.userId,
      email: link.email,
      createdAt: link.now,
    })
    .onConflictDoNothing()
    .returning({ userId: userIdentities.userId });
  if (inserted.length === 0) {
    // Linked by a racing sign-in (committed, since the insert waited for it): to this very user
    // is fine; to another, the refusal rolls this session back.
    const [owner] = await tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(eq(userIdentities.provider, link.provider), eq(userIdentities.subject, link.subject)),
      );
    if (owner?.userId === link.userId) return;
    throw identityTaken();
  }
  await insertAudit(tx, {
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
