import type { DbOrTx } from '@tessera/db';
import { tenants } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { catalogViolationsGiven, modelIdsNamed, unknownModels } from '../catalog/check-catalog.ts';
import type { Entitlements } from '../entitlements/entitlements.ts';
import { type Ceiling, ceilingViolations, parseStoredCeiling } from './ceiling.ts';

export interface TenantLimits {
  id: string;
  kind: 'platform' | 'vendor';
  slug: string;
  /** null for the platform: it is not capped by anyone. */
  ceiling: Ceiling | null;
  suspended: boolean;
}

/** A tenant and what bounds it; NOT_FOUND when there is no such tenant. */
export function readTenantLimits(db: DbOrTx, tenantId: string): TenantLimits {
  const row = db
    .select({
      id: tenants.id,
      kind: tenants.kind,
      slug: tenants.slug,
      ceiling: tenants.ceiling,
      suspendedAt: tenants.suspendedAt,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return tenantLimitsOf(row);
}

/** What bounds a tenant, from its stored row (either engine's); NOT_FOUND when there is none. */
export function tenantLimitsOf(
  row:
    | {
        id: string;
        kind: 'platform' | 'vendor';
        slug: string;
        ceiling: unknown;
        suspendedAt: Date | null;
      }
    | undefined,
): TenantLimits {
  if (!row) throw new DomainError('NOT_FOUND', 'No such tenant.');
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    ceiling: row.kind === 'vendor' ? parseStoredCeiling(row.ceiling) : null,
    suspended: row.suspendedAt !== null,
  };
}

/**
 * Refuses entitlements that name ids outside the catalog or, for a vendor, exceed its ceiling,
 * with field errors that say what is unknown or over. Nothing is written by the caller then.
 */
export function assertEntitlementsAllowed(
  db: DbOrTx,
  tenant: TenantLimits,
  entitlements: Entitlements,
): void {
  const named = modelIdsNamed(entitlements);
  const unknown = new Set(unknownModels(db, named));
  assertEntitlementsWithin(tenant, entitlements, new Set(named.filter((id) => !unknown.has(id))));
}

/** `assertEntitlementsAllowed` given the named model ids that exist (see `modelIdsNamed`). */
export function assertEntitlementsWithin(
  tenant: TenantLimits,
  entitlements: Entitlements,
  knownModels: ReadonlySet<string>,
): void {
  const fieldErrors: Record<string, string[]> = catalogViolationsGiven(
    entitlements,
    'entitlements',
    knownModels,
  );
  if (tenant.ceiling) {
    for (const [field, codes] of Object.entries(ceilingViolations(entitlements, tenant.ceiling))) {
      fieldErrors[field] = [...(fieldErrors[field] ?? []), ...codes];
    }
  }
  const fields = Object.keys(fieldErrors);
  if (fields.length === 0) return;
  const over = Object.entries(fieldErrors)
    .map(([field, codes]) => `${field.replace(/^entitlements\./, '')} (${codes.join('; ')})`)
    .join(', ');
  throw new DomainError('VALIDATION', `Not allowed for this tenant: ${over}.`, { fieldErrors });
}
