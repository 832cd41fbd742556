import type { DbOrTx } from '@tessera/db';
import { tenantMembers, tenants, users } from '@tessera/db';
import { and, asc, eq, sql } from 'drizzle-orm';

/** Every vendor with its owner, whether it is suspended, and how much it sells to whom. */
export function listVendors(db: DbOrTx, now: Date) {
  return db
    .select({
      id: tenants.id,
      kind: tenants.kind,
      slug: tenants.slug,
      name: tenants.name,
      createdAt: tenants.createdAt,
      suspendedAt: tenants.suspendedAt,
      suspendedReason: tenants.suspendedReason,
      ownerEmail: users.email,
      marks: sql<number>`(select count(*) from marks m where m.tenant_id = ${tenants.id})`,
      plans: sql<number>`(select count(*) from plans p where p.tenant_id = ${tenants.id})`,
      activeSubscribers: sql<number>`(select count(distinct ms.user_id) from memberships ms
        join marks m on m.id = ms.mark_id
        where m.tenant_id = ${tenants.id}
          and (ms.expires_at is null or ms.expires_at > ${now.getTime()}))`,
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
