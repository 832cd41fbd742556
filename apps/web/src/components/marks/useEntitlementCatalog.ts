import { useMemo } from 'react';
import { catalogOptions, type EntitlementCatalog } from '../../lib/catalog.ts';
import { type Entitlements, trpc } from '../../lib/trpc.ts';

/** The model and plugin pickers' options, within `ceiling` when a vendor edits. */
export function useEntitlementCatalog(
  ceiling?: Pick<Entitlements, 'models' | 'plugins'> | null,
): EntitlementCatalog {
  const models = trpc.chat.models.useQuery();
  const plugins = trpc.chat.plugins.useQuery();
  return useMemo(
    () => catalogOptions(models.data ?? [], plugins.data ?? [], ceiling),
    [models.data, plugins.data, ceiling],
  );
}

/**
 * For the admin's list of every tenant's marks: a platform mark may pick anything, a vendor's
 * only what that vendor's ceiling delegates (the ceilings load with the list).
 */
export function useCatalogPerTenant(tenantIds: readonly string[]) {
  const models = trpc.chat.models.useQuery();
  const plugins = trpc.chat.plugins.useQuery();
  const ceilings = trpc.useQueries((t) =>
    tenantIds.map((tenantId) => t.admin.vendors.ceiling({ tenantId })),
  );
  // Recomputed per render: a few vendors, and only the open drawer asks.
  return (tenantId: string | null) => {
    const index = tenantId === null ? -1 : tenantIds.indexOf(tenantId);
    // A vendor's ceiling not loaded yet offers nothing rather than everything.
    const ceiling = index === -1 ? null : (ceilings[index]?.data ?? NOTHING);
    return catalogOptions(models.data ?? [], plugins.data ?? [], ceiling);
  };
}

const NOTHING = { models: [], plugins: [] };
