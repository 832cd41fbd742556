import type { Db, DbOrTx } from '@tessera/db';
import { marks, memberships } from '@tessera/db';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { appendMemberEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lapseAllowance } from '../credits/lapse-allowance.ts';

/**
 * The sweep (at sign-in, and every minute for everyone: sweepLapsedMemberships): marks whose time
 * has passed are switched to `expired`, with an audit event each, and the allowance they granted
 * is taken back (lapseAllowance). Access itself was already denied by `expires_at > now` the
 * moment they lapsed; until the sweep runs, only the lapsed plan's unspent allowance can still be
 * spent, on what the member's remaining marks allow (decision 015).
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
  const endedAt = new Map(lapsed.map((l) => [l.markId, l.expiresAt?.getTime() ?? 0]));
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
    lapseAllowance(db, {
      userId: input.userId,
      markKey: mark.key,
      tenantId: mark.tenantId,
      key: `lapse:${input.userId}:${mark.id}:${endedAt.get(mark.id)}`,
      actorUserId: null,
      now: input.now,
    });
  }
  return keys.map((k) => k.key);
}

/**
 * The scheduled sweep: runs the sweep above for up to `limit` users holding a lapsed mark, each in
 * its own write transaction (short, so chats keep flowing). Returns how many users were swept.
 */
export function sweepLapsedMemberships(db: Db, input: { now: Date; limit?: number }): number {
  const users = db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.status, 'active'), lte(memberships.expiresAt, input.now)))
    .limit(input.limit ?? 500)
    .all();
  for (const { userId } of users) {
    db.transaction((tx) => expireLapsedMemberships(tx, { userId, now: input.now }), IMMEDIATE);
  }
  return users.length;
}
