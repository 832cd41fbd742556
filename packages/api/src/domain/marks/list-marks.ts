import type { DbOrTx } from '@tessera/db';
import { marks, tenants } from '@tessera/db';
import { asc, eq } from 'drizzle-orm';
import { parseStoredEntitlements } from '../entitlements/entitlements.ts';

/** A tenant's marks, or every tenant's (platform first) when `tenantId` is null. */
export function listMarks(db: DbOrTx, tenantId: string | null) {
  return db
    .select({
      id: marks.id,
      tenantId: marks.tenantId,
      slug: marks.slug,
      key: marks.key,
      name: marks.name,
      description: marks.description,
      entitlements: marks.entitlements,
      createdAt: marks.createdAt,
      updatedAt: marks.updatedAt,
      tenantName: tenants.name,
      tenantKind: tenants.kind,
    })
    .from(marks)
    .innerJoin(tenants, eq(tenants.id, marks.tenantId))
    .where(tenantId === null ? undefined : eq(marks.tenantId, tenantId))
    .orderBy(asc(tenants.kind), asc(marks.key))
    .all()
    .map((m) => ({ ...m, entitlements: parseStoredEntitlements(m.entitlements) }));
}
