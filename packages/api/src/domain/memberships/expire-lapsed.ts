import type { DbOrTx } from '@tessera/db';
import { marks, memberships } from '@tessera/db';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { appendMemberEvent } from '../../events/outbox.ts';
import { recordAudit } from '../audit/record-audit.ts';

/**
 * The sign-in sweep: marks whose time has passed are switched to `expired`, with an audit event
 * each. Bookkeeping only — access was already denied by `expires_at > now` the moment they lapsed.
 */
export function expireLapsedMemberships(
  db: DbOrTx,
  input: { userId: string; now: Date },
): string[] {
  const lapsed = db
    .update(memberships)
    .set({ status: 'expired', updatedAt: input.now })
    .where(
      and(
        eq(memberships.userId, input.userId),
        eq(memberships.status, 'active'),
        lte(memberships.expiresAt, input.now),
      ),
    )
    .returning({ markId: memberships.markId, expiresAt: memberships.expiresAt })
    .all();
  if (lapsed.length === 0) return [];
  const keys = db
    .select({ id: marks.id, key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(
      inArray(
        marks.id,
        lapsed.map((l) => l.markId),
      ),
    )
    .all();
  for (const mark of keys) {
    appendMemberEvent(db, {
      userId: input.userId,
      kind: 'membership.expired',
      markKey: mark.key,
      now: input.now,
    });
    recordAudit(db, {
      tenantId: mark.tenantId,
      actorUserId: null,
      action: 'membership.expired',
      subjectType: 'user',
      subjectId: input.userId,
      data: { markKey: mark.key },
      ip: null,
      createdAt: input.now,
    });
  }
  return keys.map((k) => k.key);
}
