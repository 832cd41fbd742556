import type { DbOrTx } from '@tessera/db';
import { tenantMembers, tenants } from '@tessera/db';
import { eq } from 'drizzle-orm';

/** Every tenant the user belongs to, with the role held there. */
export function listUserRoles(db: DbOrTx, userId: string) {
  return db
    .select({
      tenantId: tenantMembers.tenantId,
      tenantKind: tenants.kind,
      role: tenantMembers.role,
    })
    .from(tenantMembers)
    .innerJoin(tenants, eq(tenants.id, tenantMembers.tenantId))
    .where(eq(tenantMembers.userId, userId))
    .all();
}
