import type { Db } from '@tessera/db';
import { userIdentities } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { DomainError } from '../../errors.ts';

/**
 * Removes one of the user's own linked outside accounts; the next sign-in with it is treated as
 * new (and links again only through a verified address). The account keeps its password, and
 * "forgot password" sets one for an account created by SSO. NOT_FOUND for anyone else's link.
 */
export function unlinkIdentity(
  db: Db,
  input: { userId: string; provider: string; subject: string; ip: string | null; now: Date },
) {
  db.transaction((tx) => {
    const removed = tx
      .delete(userIdentities)
      .where(
        and(
          eq(userIdentities.userId, input.userId),
          eq(userIdentities.provider, input.provider),
          eq(userIdentities.subject, input.subject),
        ),
      )
      .returning({ provider: userIdentities.provider })
      .get();
    if (!removed) throw new DomainError('NOT_FOUND', 'No such linked account.');
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.userId,
      action: 'user.identity_unlinked',
      subjectType: 'user',
      subjectId: input.userId,
      data: { provider: input.provider, subject: input.subject },
      ip: input.ip,
      createdAt: input.now,
    });
  });
  return { ok: true as const };
}
