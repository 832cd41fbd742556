import type { Db } from '@tessera/db';
import {
  type CachedPlan,
  type CatalogRow,
  cachedCatalog,
  catalogForViewer,
} from './catalog-statements.ts';

export interface ListCatalogOptions {
  tenantId?: string;
  includeInactive?: boolean;
  viewerId?: string;
}

/**
 * Plans of every tenant (platform first), each with the mark it grants; active ones unless
 * `includeInactive`. With `viewerId`, the catalog as that member sees it: no suspended vendor's
 * plans, vendor plans showing what they really grant (clamped to the vendor's ceiling), and no
 * trial where the viewer already took their one trial from that tenant or the ceiling allows none.
 * The rows come from a per-process cache that any catalog change invalidates (catalog-statements.ts).
 */
export function listCatalog(db: Db, options: ListCatalogOptions = {}): CatalogRow[] {
  const viewer = options.viewerId ? catalogForViewer(db, options.viewerId) : null;
  return selectCatalog(viewer?.plans ?? cachedCatalog(db), viewer?.trialTenants ?? null, options);
}

/**
 * What `listCatalog` answers from the cached plans (either engine's) and, for a viewer, the
 * tenants whose one trial they took (null: no viewer).
 */
export function selectCatalog(
  plans: readonly CachedPlan[],
  trialsTaken: ReadonlySet<string> | null,
  options: ListCatalogOptions,
): CatalogRow[] {
  const { tenantId, includeInactive } = options;
  const result: CatalogRow[] = [];
  for (const { row, viewerEntitlements, viewerTrialDays } of plans) {
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
