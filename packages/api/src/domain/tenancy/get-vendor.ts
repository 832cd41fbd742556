import type { DbOrTx } from '@tessera/db';
import { tenants } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';

/** A vendor tenant by id; the platform tenant and unknown ids are NOT_FOUND. */
export function getVendor(db: DbOrTx, tenantId: string) {
  const tenant = db
    .select()
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), eq(tenants.kind, 'vendor')))
    .get();
  if (!tenant) throw new DomainError('NOT_FOUND', 'No such vendor.');
  return tenant;
}

/** A vendor tenant by slug (the CLI names vendors by slug); NOT_FOUND otherwise. */
export function getVendorBySlug(db: DbOrTx, slug: string) {
  const tenant = db
    .select()
    .from(tenants)
    .where(and(eq(tenants.slug, slug), eq(tenants.kind, 'vendor')))
    .get();
  if (!tenant) throw new DomainError('NOT_FOUND', `No vendor "${slug}".`);
  return tenant;
}
