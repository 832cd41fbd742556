import type { DbOrTx } from '@tessera/db';
import { marks, memberships } from '@tessera/db';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { appendMemberEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lapseAllowance } from '../credits/lapse-allowance.ts';
import { membershipRefusal } from './grant-mark.ts';

/**
 * Ends a mark now: status `revoked` and `expires_at` moved to this moment, so the one access test
 * (`expires_at > now`) denies it from here on. Refuses when the user holds no live membership.
 */
export function revokeMark(
  db: DbOrTx,
  input: {
    userId: string;
    markId: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    reason?: string | null;
    now: Date;
  },
) {
  return db.transaction((tx) => {
    const mark = tx
      .select({ key: marks.key, tenantId: marks.tenantId })
      .from(marks)
      .where(eq(marks.id, input.markId))
      .get();
    if (!mark) throw membershipRefusal.noSuchMark();
    const row = tx
      .update(memberships)
      .set({ status: 'revoked', expiresAt: input.now, updatedAt: input.now })
      .where(
        and(
          eq(memberships.userId, input.userId),
          eq(memberships.markId, input.markId),
          or(isNull(memberships.expiresAt), gt(memberships.expiresAt, input.now)),
        ),
      )
      .returning()
      .get();
    if (!row) throw membershipRefusal.notHeld();
    appendMemberEvent(tx, {
      userId: input.userId,
      kind: 'membership.revoked',
      markKey: mark.key,
      now: input.now,
    });
    recordAudit(tx, {
      tenantId: mark.tenantId,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'membership.revoked',
      subjectType: 'user',
      subjectId: input.userId,
      data: { markKey: mark.key, reason: input.reason ?? null },
      ip: null,
      createdAt: input.now,
    });
    // The allowance this mark's refills granted goes with it; purchased credits stay.
    lapseAllowance(tx, {
      userId: input.userId,
      markKey: mark.key,
      tenantId: mark.tenantId,
      key: `lapse:${input.userId}:${input.markId}:${input.now.getTime()}`,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      now: input.now,
    });
    return { membership: row, markKey: mark.key };
  }, IMMEDIATE);
}
