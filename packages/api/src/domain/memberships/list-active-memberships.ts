import type { Db } from '@tessera/db';
import { memberStatements } from '../../member/member-statements.ts';
import { type Entitlements, parseStoredEntitlements } from '../entitlements/entitlements.ts';

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
// context. The stored JSON text is the cache key, so an edited mark can never be served stale.
const parsedCache = new Map<string, Entitlements>();

function cachedEntitlements(json: string): Entitlements {
  let value = parsedCache.get(json);
  if (!value) {
    value = parseStoredEntitlements(JSON.parse(json));
    if (parsedCache.size > 10_000) parsedCache.clear();
    parsedCache.set(json, value);
  }
  return value;
}

/** The marks a user holds at `now`: the one place access is decided (`expires_at > now`). */
export function listActiveMemberships(db: Db, userId: string, now: Date): ActiveMembership[] {
  return memberStatements(db.$client)
    .activeMemberships.all(userId, now.getTime())
    .map((row) => ({
      markId: row.mark_id,
      markKey: row.mark_key,
      markName: row.mark_name,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      startsAt: new Date(row.starts_at),
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
      source: row.source,
      entitlements: cachedEntitlements(row.entitlements),
    }));
}
