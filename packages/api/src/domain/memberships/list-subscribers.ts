import type { DbOrTx } from '@tessera/db';
import { marks, memberships, users } from '@tessera/db';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';

export type ListSubscribersInput = { tenantId: string; now: Date; activeOnly?: boolean };

/** Who holds (or held) a tenant's marks — scoped to that tenant's marks only. */
export function listSubscribers(db: DbOrTx, input: ListSubscribersInput) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      markKey: marks.key,
      markName: marks.name,
      startsAt: memberships.startsAt,
      expiresAt: memberships.expiresAt,
      status: memberships.status,
      source: memberships.source,
    })
    .from(memberships)
    .innerJoin(marks, eq(marks.id, memberships.markId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(marks.tenantId, input.tenantId),
        input.activeOnly
          ? or(isNull(memberships.expiresAt), gt(memberships.expiresAt, input.now))
          : undefined,
      ),
    )
    .orderBy(desc(memberships.updatedAt))
    .limit(500)
    .all()
    .map((s) => ({ ...s, activeNow: s.expiresAt === null || s.expiresAt > input.now }));
}
