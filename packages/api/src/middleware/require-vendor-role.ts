import type { TenantRole } from '@tessera/db';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';

/**
 * Resolves the vendor tenant a procedure acts on from the member's verified roles. The id the
 * client sends only selects among tenants the member belongs to; anything else is NOT_FOUND, so
 * another vendor's existence is not even confirmed. Platform admins oversee every vendor: they
 * act in any vendor's console with the vendor-admin role (the ceiling still bounds what they write
 * there; raising it is the admin console's business).
 */
export function requireVendorRole(allowed: readonly TenantRole[]) {
  return t.middleware(async ({ ctx, input, next }) => {
    const { member, stores } = ctx as typeof ctx & {
      member: MemberContext;
      stores: Context['stores'];
    };
    const tenantId = (input as { tenantId?: unknown } | undefined)?.tenantId;
    const grant =
      member.tenantRoles.find((r) => r.tenantId === tenantId && r.tenantKind === 'vendor') ??
      (member.isPlatformAdmin &&
      typeof tenantId === 'string' &&
      (await stores.members.isVendorTenant(tenantId))
        ? { tenantId, role: 'admin' as const }
        : undefined);
    if (!grant) throw toTRPCError(new DomainError('NOT_FOUND', 'No such vendor.'));
    if (!allowed.includes(grant.role)) {
      throw toTRPCError(
        new DomainError('FORBIDDEN', `This needs the ${allowed.join(' or ')} role in this vendor.`),
      );
    }
    return next({ ctx: { tenant: { id: grant.tenantId, role: grant.role } } });
  });
}
