// The member context: everything a gate needs to know about the caller, built once per request.
// The membership issue adds active memberships, merged entitlements and quota windows here.
import type { DbOrTx, TenantKind, TenantRole } from '@tessera/db';
import { PLATFORM_TENANT_ID } from '@tessera/db';
import type { SessionUser, ValidSession } from '../auth/sessions.ts';
import { listUserRoles } from '../domain/tenancy/list-user-roles.ts';

export interface TenantRoleGrant {
  tenantId: string;
  tenantKind: TenantKind;
  role: TenantRole;
}

export interface MemberContext {
  user: SessionUser;
  session: ValidSession;
  tenantRoles: TenantRoleGrant[];
  isPlatformAdmin: boolean;
}

export function isPlatformAdmin(roles: readonly TenantRoleGrant[]): boolean {
  return roles.some(
    (r) => r.tenantId === PLATFORM_TENANT_ID && (r.role === 'owner' || r.role === 'admin'),
  );
}

export function buildMemberContext(
  db: DbOrTx,
  auth: { user: SessionUser; session: ValidSession },
): MemberContext {
  const tenantRoles = listUserRoles(db, auth.user.id);
  return { ...auth, tenantRoles, isPlatformAdmin: isPlatformAdmin(tenantRoles) };
}
