import type { DbOrTx } from '@tessera/db';
import { tenantMembers, users } from '@tessera/db';
import { asc, eq } from 'drizzle-orm';

/** A tenant's members with their roles (owner first). */
export function listTenantMembers(db: DbOrTx, tenantId: string) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      role: tenantMembers.role,
      createdAt: tenantMembers.createdAt,
    })
    .from(tenantMembers)
    .innerJoin(users, eq(users.id, tenantMembers.userId))
    .where(eq(tenantMembers.tenantId, tenantId))
    .orderBy(asc(tenantMembers.role), asc(users.email))
    .all();
}
