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

/** Every model id `e` names (its list and its fallback): what a writer must find in the catalog. */
export function modelIdsNamed(e: Entitlements): string[] {
  return e.fallbackModel === null ? [...e.models] : [...e.models, e.fallbackModel];
}

/**
 * Field errors (keyed like the mark form's fields) for ids the catalog does not have, given the
 * model ids of `modelIdsNamed(e)` that exist: each engine reads those its own way.
 */
export function catalogViolationsGiven(
  e: Entitlements,
  prefix: string,
  knownModels: ReadonlySet<string>,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const missingModels = e.models.filter((id) => !knownModels.has(id));
  if (missingModels.length > 0)
    errors[`${prefix}.models`] = [`UNKNOWN_MODEL:${missingModels.join(',')}`];
  const missingPlugins = unknownPlugins(e.plugins);
  if (missingPlugins.length > 0) {
    errors[`${prefix}.plugins`] = [`UNKNOWN_PLUGIN:${missingPlugins.join(',')}`];
  }
  if (e.fallbackModel !== null && !knownModels.has(e.fallbackModel)) {
    errors[`${prefix}.fallbackModel`] = [`UNKNOWN_MODEL:${e.fallbackModel}`];
  }
  return errors;
}

/** Field errors (keyed like the mark form's fields) for ids the catalog does not have. */
export function catalogViolations(
  db: DbOrTx,
  e: Entitlements,
  prefix: string,
): Record<string, string[]> {
  const named = modelIdsNamed(e);
  const unknown = new Set(unknownModels(db, named));
  return catalogViolationsGiven(e, prefix, new Set(named.filter((id) => !unknown.has(id))));
}
