import type { DbOrTx } from '@tessera/db';
import { marks, memberships } from '@tessera/db';
import { and, desc, eq } from 'drizzle-orm';

/** Every membership a user has had (live, expired, revoked), optionally limited to one tenant's marks. */
export function listUserMemberships(
  db: DbOrTx,
  input: { userId: string; tenantId?: string; now: Date },
) {
  return db
    .select({
      id: memberships.id,
      markId: marks.id,
      markKey: marks.key,
      markName: marks.name,
      startsAt: memberships.startsAt,
      expiresAt: memberships.expiresAt,
      status: memberships.status,
      source: memberships.source,
      reference: memberships.reference,
    })
    .from(memberships)
    .innerJoin(marks, eq(marks.id, memberships.markId))
    .where(
      and(
        eq(memberships.userId, input.userId),
        input.tenantId ? eq(marks.tenantId, input.tenantId) : undefined,
      ),
    )
    .orderBy(desc(memberships.updatedAt))
    .all()
    .map((m) => ({ ...m, activeNow: m.expiresAt === null || m.expiresAt > input.now }));
}
