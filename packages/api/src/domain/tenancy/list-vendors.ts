import type { DbOrTx } from '@tessera/db';
import { tenantMembers, tenants, users } from '@tessera/db';
import { and, asc, eq } from 'drizzle-orm';

export function listVendors(db: DbOrTx) {
  return db
    .select({
      id: tenants.id,
      kind: tenants.kind,
      slug: tenants.slug,
      name: tenants.name,
      createdAt: tenants.createdAt,
      ownerEmail: users.email,
    })
    .from(tenants)
    .leftJoin(
      tenantMembers,
      and(eq(tenantMembers.tenantId, tenants.id), eq(tenantMembers.role, 'owner')),
    )
    .leftJoin(users, eq(users.id, tenantMembers.userId))
    .where(eq(tenants.kind, 'vendor'))
    .orderBy(asc(tenants.slug))
    .all();
}
