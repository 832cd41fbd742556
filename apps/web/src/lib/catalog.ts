import type { ChatModel, Entitlements, RouterOutputs } from './trpc.ts';

type CatalogPlugin = Pick<RouterOutputs['chat']['plugins'][number], 'id' | 'name'>;

export interface CatalogOption {
  value: string;
  label: string;
}

/** What the entitlements pickers offer (models by name, plugins by name). */
export interface EntitlementCatalog {
  models: CatalogOption[];
  plugins: CatalogOption[];
}

/**
 * The pickers' options: the models the server lists as switched on (chat.models lists only active
 * ones) and the plugin registry, narrowed to a vendor's ceiling when there is one: a vendor may
 * only grant what the platform delegates to it (the server checks again on save).
 */
export function catalogOptions(
  models: readonly Pick<ChatModel, 'id' | 'displayName'>[],
  plugins: readonly CatalogPlugin[],
  ceiling?: Pick<Entitlements, 'models' | 'plugins'> | null,
): EntitlementCatalog {
  const within = (list: readonly string[] | undefined, id: string) => !list || list.includes(id);
  return {
    models: models
      .filter((m) => within(ceiling?.models, m.id))
      .map((m) => ({ value: m.id, label: `${m.displayName} (${m.id})` })),
    plugins: plugins
      .filter((p) => within(ceiling?.plugins, p.id))
      .map((p) => ({ value: p.id, label: p.name })),
  };
}
