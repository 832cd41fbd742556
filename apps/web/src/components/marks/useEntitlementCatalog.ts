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
