// `findUnlocks` (member/find-unlocks.ts) through the catalog store, so a refusal can name what would
// unlock it on either engine. Only runs on the (rare) denial path, so it may read the catalog.

import type { Missing } from '../member/check-requirement.ts';
import { grants, type Unlock } from '../member/find-unlocks.ts';
import type { CatalogStore } from '../storage/catalog-store.ts';

/** What would grant `missing`, as `viewerId` can buy it (their used trials are not offered). */
export async function unlocksOf(
  catalog: CatalogStore,
  missing: Missing,
  viewerId: string,
): Promise<Unlock[]> {
  const byMark = new Map<string, Unlock>();
  for (const plan of await catalog.listCatalog({ viewerId })) {
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
  // A required mark no plan sells is still worth naming (an admin can grant it).
  if (missing.kind === 'marks') {
    const unsold = new Set(missing.marks.filter((key) => !byMark.has(key)));
    if (unsold.size > 0) {
      for (const mark of await catalog.listMarks(null)) {
        if (unsold.has(mark.key))
          byMark.set(mark.key, { markKey: mark.key, markName: mark.name, plans: [] });
      }
    }
  }
  return [...byMark.values()];
}
