import type { DbOrTx } from '@tessera/db';
import { marks, plans, tenants } from '@tessera/db';
import { and, asc, eq } from 'drizzle-orm';
import { parseStoredEntitlements } from '../entitlements/entitlements.ts';

/** Active plans of every tenant (platform first), each with the mark it grants. */
export function listCatalog(
  db: DbOrTx,
  options: { tenantId?: string; includeInactive?: boolean } = {},
) {
  return db
    .select({
      id: plans.id,
      name: plans.name,
      description: plans.description,
      priceMinor: plans.priceMinor,
      currency: plans.currency,
      interval: plans.interval,
      durationDays: plans.durationDays,
      trialDays: plans.trialDays,
      seats: plans.seats,
      stripePriceId: plans.stripePriceId,
      active: plans.active,
      sortOrder: plans.sortOrder,
      tenantId: tenants.id,
      tenantKind: tenants.kind,
      tenantName: tenants.name,
      markId: marks.id,
      markKey: marks.key,
      markName: marks.name,
      markDescription: marks.description,
      entitlements: marks.entitlements,
    })
    .from(plans)
    .innerJoin(marks, eq(marks.id, plans.markId))
    .innerJoin(tenants, eq(tenants.id, plans.tenantId))
    .where(
      and(
        options.includeInactive ? undefined : eq(plans.active, true),
        options.tenantId ? eq(plans.tenantId, options.tenantId) : undefined,
      ),
    )
    .orderBy(asc(tenants.kind), asc(tenants.name), asc(plans.sortOrder), asc(plans.priceMinor))
    .all()
    .map((row) => ({ ...row, entitlements: parseStoredEntitlements(row.entitlements) }));
}

export type CatalogPlan = ReturnType<typeof listCatalog>[number];
