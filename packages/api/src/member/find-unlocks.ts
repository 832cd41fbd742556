// On a denial: which marks, and which plans selling them, would grant what is missing. Only runs
// on the (rare) denial path, so it may read the catalog.
import type { Db } from '@tessera/db';
import { marks } from '@tessera/db';
import { inArray } from 'drizzle-orm';
import { type CatalogPlan, listCatalog } from '../domain/plans/list-catalog.ts';
import { DomainError } from '../errors.ts';
import type { CatalogStore } from '../storage/catalog-store.ts';
import type { Missing } from './check-requirement.ts';

export interface Unlock {
  markKey: string;
  markName: string;
  plans: {
    id: string;
    name: string;
    priceMinor: number;
    currency: string;
    interval: string;
    trialDays: number;
  }[];
}

export function grants(plan: CatalogPlan, missing: Missing): boolean {
  switch (missing.kind) {
    case 'marks':
      return missing.marks.includes(plan.markKey);
    case 'model':
      return plan.entitlements.models.includes(missing.model);
    case 'feature':
      return plan.entitlements.plugins.includes(missing.feature);
    case 'apiAccess':
      return plan.entitlements.apiAccess;
    case 'quota': {
      // More requests in that window than the member has now (unlimited counts).
      const planLimit =
        missing.window === 'day'
          ? plan.entitlements.requestsPerDay
          : plan.entitlements.requestsPerMonth;
      return planLimit === null || (missing.limit !== null && planLimit > missing.limit);
    }
  }
}

/** What would grant `missing`, as `viewerId` can buy it (their used trials are not offered). */
export function findUnlocks(db: Db, missing: Missing, viewerId: string): Unlock[] {
  const byMark = unlocksByMark(listCatalog(db, { viewerId }), missing);
  const unsold = unsoldMarks(missing, byMark);
  if (unsold.length > 0) {
    for (const mark of db
      .select({ key: marks.key, name: marks.name })
      .from(marks)
      .where(inArray(marks.key, unsold))
      .all()) {
      byMark.set(mark.key, { markKey: mark.key, markName: mark.name, plans: [] });
    }
  }
  return [...byMark.values()];
}

/**
 * `findUnlocks` through the catalog store (any engine): the same answer, the plans read from the
 * store's per-process catalog cache.
 */
export async function findUnlocksIn(
  catalog: Pick<CatalogStore, 'listCatalog' | 'getMarkByKey'>,
  missing: Missing,
  viewerId: string,
): Promise<Unlock[]> {
  const byMark = unlocksByMark(await catalog.listCatalog({ viewerId }), missing);
  for (const key of unsoldMarks(missing, byMark)) {
    const mark = await markNamed(catalog, key);
    if (mark) byMark.set(mark.key, { markKey: mark.key, markName: mark.name, plans: [] });
  }
  return [...byMark.values()];
}

/**
 * `findUnlocksIn` for several denials of one request (a list of models, plugins, assistants): the
 * viewer's catalog is read once and shared by every answer.
 */
export function unlockFinder(
  catalog: Pick<CatalogStore, 'listCatalog' | 'getMarkByKey'>,
  viewerId: string,
): (missing: Missing) => Promise<Unlock[]> {
  let plans: Promise<CatalogPlan[]> | undefined;
  const once: Pick<CatalogStore, 'listCatalog' | 'getMarkByKey'> = {
    listCatalog: () => {
      plans ??= catalog.listCatalog({ viewerId });
      return plans;
    },
    getMarkByKey: (key) => catalog.getMarkByKey(key),
  };
  return (missing) => findUnlocksIn(once, missing, viewerId);
}

/** The plans granting `missing`, grouped by the mark each sells (catalog order). */
function unlocksByMark(plans: readonly CatalogPlan[], missing: Missing): Map<string, Unlock> {
  const byMark = new Map<string, Unlock>();
  for (const plan of plans) {
    if (!grants(plan, missing)) continue;
    const unlock = byMark.get(plan.markKey) ?? {
      markKey: plan.markKey,
      markName: plan.markName,
      plans: [],
    };
    unlock.plans.push({
      id: plan.id,
      name: plan.name,
      priceMinor: plan.priceMinor,
      currency: plan.currency,
      interval: plan.interval,
      trialDays: plan.trialDays,
    });
    byMark.set(plan.markKey, unlock);
  }
  return byMark;
}

/** A required mark no plan sells is still worth naming (an admin can grant it). */
function unsoldMarks(missing: Missing, byMark: ReadonlyMap<string, Unlock>): string[] {
  if (missing.kind !== 'marks') return [];
  return missing.marks.filter((key) => !byMark.has(key));
}

async function markNamed(
  catalog: Pick<CatalogStore, 'getMarkByKey'>,
  key: string,
): Promise<{ key: string; name: string } | null> {
  try {
    return await catalog.getMarkByKey(key);
  } catch (error) {
    // An unknown key is left out, as the SQLite read leaves it out.
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
