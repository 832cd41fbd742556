// The member context: everything a gate needs to know about the caller, built once per request.
import type { Db, TenantKind, TenantRole } from '@tessera/db';
import { PLATFORM_TENANT_ID } from '@tessera/db';
import type { SessionUser, ValidSession } from '../auth/sessions.ts';
import type { HeldRefill } from '../domain/credits/refill-user.ts';
import { type Entitlements, mergeEntitlements } from '../domain/entitlements/entitlements.ts';
import {
  type ActiveMembership,
  listActiveMemberships,
} from '../domain/memberships/list-active-memberships.ts';
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
  /** Marks held at `evaluatedAt` (expiry already applied). */
  memberships: ActiveMembership[];
  /** The merge of every held mark's entitlements. */
  entitlements: Entitlements;
  /** Refill policies of held marks (each refills on its own schedule, not merged). */
  refills: HeldRefill[];
  evaluatedAt: Date;
  /**
   * The auth epoch (auth-epoch.ts) read before this context was built, when a member cache built
   * it. While the epoch is unchanged nothing that could take access away has committed since, so a
   * stream's watcher can start from this context instead of rebuilding it.
   */
  epoch?: string;
}

export function isPlatformAdmin(roles: readonly TenantRoleGrant[]): boolean {
  return roles.some(
    (r) => r.tenantId === PLATFORM_TENANT_ID && (r.role === 'owner' || r.role === 'admin'),
  );
}

// The merge depends only on which entitlement objects are held (those are cached per stored
// JSON), so it is memoised on their identities; callers get a frozen, shared result.
const entitlementIds = new WeakMap<Entitlements, number>();
let nextEntitlementId = 1;
const mergeCache = new Map<string, Entitlements>();

function mergedFor(memberships: readonly ActiveMembership[]): Entitlements {
  const key = memberships
    .map((m) => {
      let id = entitlementIds.get(m.entitlements);
      if (id === undefined) {
        id = nextEntitlementId++;
        entitlementIds.set(m.entitlements, id);
      }
      return id;
    })
    .sort((a, b) => a - b)
    .join(',');
  let merged = mergeCache.get(key);
  if (!merged) {
    merged = mergeEntitlements(memberships.map((m) => m.entitlements));
    Object.freeze(merged.models);
    Object.freeze(merged.plugins);
    Object.freeze(merged);
    if (mergeCache.size > 10_000) mergeCache.clear();
    mergeCache.set(key, merged);
  }
  return merged;
}

export function buildMemberContext(
  db: Db,
  auth: { user: SessionUser; session: ValidSession },
  now: Date,
): MemberContext {
  return memberContextOf(
    auth,
    listUserRoles(db, auth.user.id),
    listActiveMemberships(db, auth.user.id, now),
    now,
  );
}

/** The member context from its rows, read by any engine (roles, marks held at `now`). */
export function memberContextOf(
  auth: { user: SessionUser; session: ValidSession },
  tenantRoles: TenantRoleGrant[],
  memberships: ActiveMembership[],
  now: Date,
): MemberContext {
  return {
    ...auth,
    tenantRoles,
    isPlatformAdmin: isPlatformAdmin(tenantRoles),
    memberships,
    entitlements: mergedFor(memberships),
    refills: memberships.flatMap((m) =>
      m.entitlements.refill
        ? [{ markId: m.markId, markKey: m.markKey, policy: m.entitlements.refill }]
        : [],
    ),
    evaluatedAt: now,
  };
}

/** When the first held mark with an end runs out; null when nothing held will expire. */
export function earliestExpiry(member: Pick<MemberContext, 'memberships'>): Date | null {
  let earliest: Date | null = null;
  for (const m of member.memberships) {
    if (m.expiresAt && (!earliest || m.expiresAt < earliest)) earliest = m.expiresAt;
  }
  return earliest;
}
