// Linked outside accounts on PostgreSQL (decision 023): listing and unlinking. Signing in through
// an issuer (and linking on the way) starts a session, so it belongs with the auth store.
import { type PgDb, userIdentities } from '@tessera/db/pg';
import { and, asc, eq } from 'drizzle-orm';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';
import { pgRecordAudit, pgTransaction } from './pg-shared.ts';

export function pgIdentities(
  db: PgDb,
): Pick<AccountStore, 'listUserIdentities' | 'unlinkIdentity'> {
  return {
    listUserIdentities: (userId) =>
      db
        .select({
          provider: userIdentities.provider,
          subject: userIdentities.subject,
          email: userIdentities.email,
          createdAt: userIdentities.createdAt,
        })
        .from(userIdentities)
        .where(eq(userIdentities.userId, userId))
        .orderBy(asc(userIdentities.createdAt)),

    unlinkIdentity(input) {
      return pgTransaction(db, async (tx) => {
        const removed = await tx
          .delete(userIdentities)
          .where(
            and(
              eq(userIdentities.userId, input.userId),
              eq(userIdentities.provider, input.provider),
              eq(userIdentities.subject, input.subject),
            ),
          )
          .returning({ provider: userIdentities.provider });
        if (removed.length === 0) throw new DomainError('NOT_FOUND', 'No such linked account.');
        await pgRecordAudit(tx, {
          tenantId: null,
          actorUserId: input.userId,
          action: 'user.identity_unlinked',
          subjectType: 'user',
          subjectId: input.userId,
          data: { provider: input.provider, subject: input.subject },
          ip: input.ip,
          createdAt: input.now,
        });
        return { ok: true as const };
      });
    },
  };
}
