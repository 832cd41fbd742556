import type { Db } from '@tessera/db';
import { type CatalogRow, cachedCatalog, catalogForViewer } from './catalog-statements.ts';

/**
 * Plans of every tenant (platform first), each with the mark it grants; active ones unless
 * `includeInactive`. With `viewerId`, the catalog as that member sees it: no suspended vendor's
 * plans, vendor plans showing what they really grant (clamped to the vendor's ceiling), and no
 * trial where the viewer already took their one trial from that tenant or the ceiling allows none.
 * The rows come from a per-process cache that any catalog change invalidates (catalog-statements.ts).
 */
export function listCatalog(
  db: Db,
  options: { tenantId?: string; includeInactive?: boolean; viewerId?: string } = {},
): CatalogRow[] {
  const { tenantId, includeInactive, viewerId } = options;
  const viewer = viewerId ? catalogForViewer(db, viewerId) : null;
  const trialsTaken = viewer?.trialTenants ?? null;
  const result: CatalogRow[] = [];
  for (const { row, viewerEntitlements, viewerTrialDays } of viewer?.plans ?? cachedCatalog(db)) {
    if (!includeInactive && !row.active) continue;
    if (tenantId && row.tenantId !== tenantId) continue;
    if (!trialsTaken) {
      result.push({ ...row });
      continue;
    }
    if (row.suspendedAt !== null) continue;
    result.push({
      ...row,
      trialDays: trialsTaken.has(row.tenantId) ? 0 : viewerTrialDays,
      entitlements: viewerEntitlements,
    });
  }
  return result;
}

export type CatalogPlan = CatalogRow;
