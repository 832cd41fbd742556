import type { TenantRole } from '@tessera/db';
import { DomainError } from '../errors.ts';
import type { MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';

/**
 * Resolves the vendor tenant a procedure acts on from the member's verified roles. The id the
 * client sends only selects among tenants the member belongs to; anything else is NOT_FOUND, so
 * another vendor's existence is not even confirmed.
 */
export function requireVendorRole(allowed: readonly TenantRole[]) {
  return t.middleware(({ ctx, input, next }) => {
    const { member } = ctx as typeof ctx & { member: MemberContext };
    const tenantId = (input as { tenantId?: unknown } | undefined)?.tenantId;
    const grant = member.tenantRoles.find(
      (r) => r.tenantId === tenantId && r.tenantKind === 'vendor',
    );
    if (!grant) throw toTRPCError(new DomainError('NOT_FOUND', 'No such vendor.'));
    if (!allowed.includes(grant.role)) {
      throw toTRPCError(
        new DomainError('FORBIDDEN', `This needs the ${allowed.join(' or ')} role in this vendor.`),
      );
    }
    return next({ ctx: { tenant: { id: grant.tenantId, role: grant.role } } });
  });
}
