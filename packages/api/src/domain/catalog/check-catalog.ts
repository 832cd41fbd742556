// Catalog integrity: mark, plan and assistant editors (platform and vendor) may only name models
// and plugins that exist. A switched-off model is still known (switching off is reversible), so a
// mark may list it; admission refuses it while it is off.
import type { DbOrTx } from '@tessera/db';
import { models } from '@tessera/db';
import { inArray } from 'drizzle-orm';
import { PLUGINS } from '../../chat/plugins.ts';
import type { Entitlements } from '../entitlements/entitlements.ts';

/** The model ids of `ids` that are not in the catalog. */
export function unknownModels(db: DbOrTx, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const known = new Set(
    db
      .select({ id: models.id })
      .from(models)
      .where(inArray(models.id, [...ids]))
      .all()
      .map((m) => m.id),
  );
  return ids.filter((id) => !known.has(id));
}

/** The plugin ids of `ids` that no server-side plugin implements. */
export function unknownPlugins(ids: readonly string[]): string[] {
  return ids.filter((id) => !PLUGINS.some((p) => p.id === id));
}

/** Field errors (keyed like the mark form's fields) for ids the catalog does not have. */
export function catalogViolations(
  db: DbOrTx,
  e: Entitlements,
  prefix: string,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const missingModels = unknownModels(db, e.models);
  if (missingModels.length > 0)
    errors[`${prefix}.models`] = [`UNKNOWN_MODEL:${missingModels.join(',')}`];
  const missingPlugins = unknownPlugins(e.plugins);
  if (missingPlugins.length > 0) {
    errors[`${prefix}.plugins`] = [`UNKNOWN_PLUGIN:${missingPlugins.join(',')}`];
  }
  if (e.fallbackModel !== null && unknownModels(db, [e.fallbackModel]).length > 0) {
    errors[`${prefix}.fallbackModel`] = [`UNKNOWN_MODEL:${e.fallbackModel}`];
  }
  return errors;
}
