import type { Db } from '@tessera/db';
import { memberStatements } from '../../member/member-statements.ts';

/** Every tenant the user belongs to, with the role held there. */
export function listUserRoles(db: Db, userId: string) {
  return memberStatements(db.$client)
    .roles.all(userId)
    .map((r) => ({ tenantId: r.tenant_id, tenantKind: r.tenant_kind, role: r.role }));
}
