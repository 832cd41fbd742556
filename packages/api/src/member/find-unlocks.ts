// On a denial: which marks, and which plans selling them, would grant what is missing. Only runs
// on the (rare) denial path, so it may read the catalog.
import type { Db } from '@tessera/db';
import { marks } from '@tessera/db';
import { inArray } from 'drizzle-orm';
import { type CatalogPlan, listCatalog } from '../domain/plans/list-catalog.ts';
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
  const byMark = new Map<string, Unlock>();
  for (const plan of listCatalog(db, { viewerId })) {
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
    const unsold = missing.marks.filter((key) => !byMark.has(key));
    if (unsold.length > 0) {
      for (const mark of db
        .select({ key: marks.key, name: marks.name })
        .from(marks)
        .where(inArray(marks.key, [...unsold]))
        .all()) {
        byMark.set(mark.key, { markKey: mark.key, markName: mark.name, plans: [] });
      }
    }
  }
  return [...byMark.values()];
}
