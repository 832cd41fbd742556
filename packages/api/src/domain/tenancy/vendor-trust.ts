// What only the platform decides about a vendor: its ceiling, whether it is suspended, and who
// owns it. Each change is one transaction with its audit row and a member event for every holder
// of the vendor's marks, so live streams that relied on what was taken away stop at once.
import type { DbOrTx } from '@tessera/db';
import { tenantMembers, tenants, users } from '@tessera/db';
import { and, eq, ne } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { appendBroadcastEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { catalogViolations } from '../catalog/check-catalog.ts';
import { normalizeEmail } from '../users/normalize-email.ts';
import { type Ceiling, type CeilingInput, ceilingSchema } from './ceiling.ts';
import { noAccountWithEmail } from './create-vendor.ts';
import { readTenantLimits, type TenantLimits } from './tenant-ceiling.ts';

interface Actor {
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

export type VendorActor = Actor;

function vendorLimits(db: DbOrTx, tenantId: string) {
  return vendorOnly(readTenantLimits(db, tenantId));
}

/** The tenant if it is a vendor; the platform is NOT_FOUND here. */
export function vendorOnly(tenant: TenantLimits): TenantLimits {
  if (tenant.kind !== 'vendor') throw new DomainError('NOT_FOUND', 'No such vendor.');
  return tenant;
}

/** Refuses a ceiling naming models or plugins the catalog does not have. */
export function assertCeilingInCatalog(fieldErrors: Record<string, string[]>): void {
  if (Object.keys(fieldErrors).length > 0) {
    throw new DomainError('VALIDATION', 'The ceiling names ids outside the catalog.', {
      fieldErrors,
    });
  }
}

/** The columns a suspension or reinstatement writes, and the audit action and data. */
export function suspensionChange(input: { suspended: boolean; reason?: string; now: Date }) {
  return {
    set: input.suspended
      ? { suspendedAt: input.now, suspendedReason: input.reason ?? null }
      : { suspendedAt: null, suspendedReason: null },
    action: input.suspended ? 'vendor.suspended' : 'vendor.reinstated',
    data: input.reason ? { reason: input.reason } : null,
  };
}

/**
 * What every change to what a vendor delegates writes in its transaction: a member event for
 * everyone (live answers that relied on the vendor re-check at once) and the audit row.
 */
function vendorChanged(
  tx: DbOrTx,
  input: Actor & { tenantId: string },
  action: string,
  data: Record<string, unknown> | null,
) {
  appendBroadcastEvent(tx, { kind: 'tenant.changed', now: input.now });
  recordAudit(tx, {
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel ?? null,
    action,
    subjectType: 'tenant',
    subjectId: input.tenantId,
    data,
    ip: null,
    createdAt: input.now,
  });
}

/** A vendor's ceiling as stored (NOT_FOUND for the platform or an unknown id). */
export function getVendorCeiling(db: DbOrTx, tenantId: string): Ceiling {
  return vendorLimits(db, tenantId).ceiling!;
}

/** Replaces a vendor's ceiling. Models and plugins must exist; the vendor's marks are not edited. */
export function setVendorCeiling(
  db: DbOrTx,
  input: Actor & { tenantId: string; ceiling: CeilingInput },
): Ceiling {
  const ceiling = validate(ceilingSchema, input.ceiling, 'ceiling');
  return db.transaction((tx) => {
    const previous = vendorLimits(tx, input.tenantId).ceiling;
    assertCeilingInCatalog(catalogViolations(tx, ceiling, 'ceiling'));
    tx.update(tenants).set({ ceiling }).where(eq(tenants.id, input.tenantId)).run();
    vendorChanged(tx, input, 'vendor.ceiling_set', { previous, ceiling });
    return ceiling;
  }, IMMEDIATE);
}

/** Suspends a vendor (its marks grant nothing from now on) or reinstates it. Nothing is deleted. */
export function setVendorSuspended(
  db: DbOrTx,
  input: Actor & { tenantId: string; suspended: boolean; reason?: string },
) {
  return db.transaction((tx) => {
    vendorLimits(tx, input.tenantId);
    const change = suspensionChange(input);
    const row = tx
      .update(tenants)
      .set(change.set)
      .where(eq(tenants.id, input.tenantId))
      .returning({ suspendedAt: tenants.suspendedAt, suspendedReason: tenants.suspendedReason })
      .get()!;
    vendorChanged(tx, input, change.action, change.data);
    return row;
  }, IMMEDIATE);
}

/**
 * Makes an existing account the vendor's owner. The previous owner, if any, stays on as an admin
 * (a vendor has one owner; nobody loses access to its console by surprise).
 */
export function setVendorOwner(db: DbOrTx, input: Actor & { tenantId: string; email: string }) {
  return db.transaction((tx) => {
    vendorLimits(tx, input.tenantId);
    const user = tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.email, normalizeEmail(input.email)))
      .get();
    if (!user) throw noAccountWithEmail('email');
    const previous = tx
      .update(tenantMembers)
      .set({ role: 'admin' })
      .where(
        and(
          eq(tenantMembers.tenantId, input.tenantId),
          eq(tenantMembers.role, 'owner'),
          ne(tenantMembers.userId, user.id),
        ),
      )
      .returning({ userId: tenantMembers.userId })
      .all();
    tx.insert(tenantMembers)
      .values({ tenantId: input.tenantId, userId: user.id, role: 'owner', createdAt: input.now })
      .onConflictDoUpdate({
        target: [tenantMembers.tenantId, tenantMembers.userId],
        set: { role: 'owner' },
      })
      .run();
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'vendor.owner_set',
      subjectType: 'user',
      subjectId: user.id,
      data: { previousOwnerUserIds: previous.map((p) => p.userId) },
      ip: null,
      createdAt: input.now,
    });
    return { userId: user.id, email: user.email, role: 'owner' as const };
  }, IMMEDIATE);
}
