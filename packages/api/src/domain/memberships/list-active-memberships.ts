import type { DbOrTx } from '@tessera/db';
import { marks, memberships, tenants } from '@tessera/db';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { type Entitlements, parseStoredEntitlements } from '../entitlements/entitlements.ts';

export interface ActiveMembership {
  markId: string;
  markKey: string;
  markName: string;
  tenantId: string;
  tenantName: string;
  startsAt: Date;
  expiresAt: Date | null;
  source: string;
  entitlements: Entitlements;
}

// Parsing JSON and validating it on every request would dominate building the member context;
// entitlements only change with the mark's `updated_at`, so parsed values are cached by that.
const parsedCache = new Map<string, { updatedAt: number; value: Entitlements }>();

function cachedEntitlements(markId: string, updatedAt: Date, raw: unknown): Entitlements {
  const hit = parsedCache.get(markId);
  if (hit && hit.updatedAt === updatedAt.getTime()) return hit.value;
  const value = parseStoredEntitlements(raw);
  if (parsedCache.size > 10_000) parsedCache.clear();
  parsedCache.set(markId, { updatedAt: updatedAt.getTime(), value });
  return value;
}

/** The marks a user holds at `now`: the one place access is decided (`expires_at > now`). */
export function listActiveMemberships(db: DbOrTx, userId: string, now: Date): ActiveMembership[] {
  return db
    .select({
      markId: marks.id,
      markKey: marks.key,
      markName: marks.name,
      markUpdatedAt: marks.updatedAt,
      tenantId: marks.tenantId,
      tenantName: tenants.name,
      startsAt: memberships.startsAt,
      expiresAt: memberships.expiresAt,
      source: memberships.source,
      entitlements: marks.entitlements,
    })
    .from(memberships)
    .innerJoin(marks, eq(marks.id, memberships.markId))
    .innerJoin(tenants, eq(tenants.id, marks.tenantId))
    .where(
      and(
        eq(memberships.userId, userId),
        or(isNull(memberships.expiresAt), gt(memberships.expiresAt, now)),
      ),
    )
    .all()
    .map(({ markUpdatedAt, entitlements, ...row }) => ({
      ...row,
      entitlements: cachedEntitlements(row.markId, markUpdatedAt, entitlements),
    }));
}
