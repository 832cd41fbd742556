import type { DbOrTx } from '@tessera/db';
import { marks, plans, tenants, trialRedemptions } from '@tessera/db';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { parseStoredEntitlements } from '../entitlements/entitlements.ts';
import { clampToCeiling, parseStoredCeiling } from '../tenancy/ceiling.ts';

/**
 * Active plans of every tenant (platform first), each with the mark it grants. With `viewerId`,
 * the catalog as that member sees it: no suspended vendor's plans, vendor plans showing what they
 * really grant (clamped to the vendor's ceiling), and no trial where the viewer already took their
 * one trial from that tenant or the ceiling allows none.
 */
export function listCatalog(
  db: DbOrTx,
  options: { tenantId?: string; includeInactive?: boolean; viewerId?: string } = {},
) {
  const rows = db
    .select({
      id: plans.id,
      key: plans.key,
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
      ceiling: tenants.ceiling,
      suspendedAt: tenants.suspendedAt,
    })
    .from(plans)
    .innerJoin(marks, eq(marks.id, plans.markId))
    .innerJoin(tenants, eq(tenants.id, plans.tenantId))
    .where(
      and(
        options.includeInactive ? undefined : eq(plans.active, true),
        options.tenantId ? eq(plans.tenantId, options.tenantId) : undefined,
        options.viewerId ? isNull(tenants.suspendedAt) : undefined,
      ),
    )
    .orderBy(asc(tenants.kind), asc(tenants.name), asc(plans.sortOrder), asc(plans.priceMinor))
    .all();
  const trialsTaken = options.viewerId
    ? new Set(
        db
          .select({ tenantId: trialRedemptions.tenantId })
          .from(trialRedemptions)
          .where(eq(trialRedemptions.userId, options.viewerId))
          .all()
          .map((r) => r.tenantId),
      )
    : null;
  return rows.map(({ ceiling: storedCeiling, ...row }) => {
    const entitlements = parseStoredEntitlements(row.entitlements);
    if (!trialsTaken) return { ...row, entitlements };
    const ceiling = row.tenantKind === 'vendor' ? parseStoredCeiling(storedCeiling) : null;
    const trialDays = trialsTaken.has(row.tenantId)
      ? 0
      : Math.min(row.trialDays, ceiling?.trialDays ?? row.trialDays);
    return {
      ...row,
      trialDays,
      entitlements: ceiling ? clampToCeiling(entitlements, ceiling) : entitlements,
    };
  });
}

export type CatalogPlan = ReturnType<typeof listCatalog>[number];
