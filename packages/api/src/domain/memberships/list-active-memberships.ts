import type { Db } from '@tessera/db';
import { type MembershipRow, memberStatements } from '../../member/member-statements.ts';
import { type Entitlements, parseStoredEntitlements } from '../entitlements/entitlements.ts';
import { clampToCeiling, parseStoredCeiling } from '../tenancy/ceiling.ts';

export interface ActiveMembership {
  markId: string;
  markKey: string;
  markName: string;
  tenantId: string;
  tenantName: string;
  startsAt: Date;
  expiresAt: Date | null;
  source: string;
  entitlements: Entitlements;
}

// Parsing and validating entitlements JSON on every request would dominate building the member
// context. The stored JSON texts (the mark's, and its vendor's ceiling) are the cache key, so an
// edited mark or ceiling can never be served stale; equal inputs share one frozen object, which
// the merge memo in member-context.ts relies on.
const parsedCache = new Map<string, Entitlements>();

function cachedEntitlements(json: string, ceiling: string | null): Entitlements {
  const key = ceiling === null ? json : `${json}\u0000${ceiling}`;
  let value = parsedCache.get(key);
  if (!value) {
    value = parseStoredEntitlements(JSON.parse(json));
    // A vendor's mark never grants more than the platform delegated to the vendor, whatever it
    // says: checked when the mark is written, and again here, so a lowered ceiling applies at once.
    if (ceiling !== null) value = clampToCeiling(value, parseStoredCeiling(JSON.parse(ceiling)));
    if (parsedCache.size > 10_000) parsedCache.clear();
    parsedCache.set(key, value);
  }
  return value;
}

/**
 * The marks a user holds at `now`: the one place access is decided (`expires_at > now`, the vendor
 * not suspended), with vendor marks clamped to their vendor's ceiling.
 */
export function listActiveMemberships(db: Db, userId: string, now: Date): ActiveMembership[] {
  return memberStatements(db.$client)
    .activeMemberships.all(userId, now.getTime())
    .map(activeMembershipOf);
}

/** One row of the active-memberships read (any engine: timestamps as ms) as the domain's value. */
export function activeMembershipOf(row: MembershipRow): ActiveMembership {
  return {
    markId: row.mark_id,
    markKey: row.mark_key,
    markName: row.mark_name,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    startsAt: new Date(row.starts_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    source: row.source,
    entitlements: cachedEntitlements(row.entitlements, row.ceiling),
  };
}
