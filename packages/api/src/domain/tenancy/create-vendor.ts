import type { DbOrTx } from '@tessera/db';
import { PLATFORM_TENANT_ID, tenantMembers, tenants, users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { isUniqueViolation } from '../../lib/sqlite-errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { slugSchema } from '../marks/slug.ts';
import { normalizeEmail } from '../users/normalize-email.ts';

export type CreateVendorInput = Parameters<typeof createVendor>[1];

/** No account has this address (`field`: the form field that named it). */
export function noAccountWithEmail(field: string): DomainError {
  return new DomainError('NOT_FOUND', 'No account with that email.', {
    fieldErrors: { [field]: ['USER_NOT_FOUND'] },
  });
}

export function vendorSlugTaken(slug: string): DomainError {
  return new DomainError('CONFLICT', `A tenant "${slug}" already exists.`, {
    fieldErrors: { slug: ['SLUG_TAKEN'] },
  });
}

/** A new vendor's slug, validated; the platform's own id is reserved. */
export function parseVendorSlug(given: string): string {
  const slug = validate(slugSchema, given, 'slug');
  if (slug === PLATFORM_TENANT_ID) {
    throw new DomainError('CONFLICT', 'That slug is reserved.', {
      fieldErrors: { slug: ['SLUG_TAKEN'] },
    });
  }
  return slug;
}

/** A platform admin creates a vendor tenant and names its owner (an existing account). */
export function createVendor(
  db: DbOrTx,
  input: {
    slug: string;
    name: string;
    ownerEmail: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  const slug = parseVendorSlug(input.slug);
  return db.transaction((tx) => {
    const owner = tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, normalizeEmail(input.ownerEmail)))
      .get();
    if (!owner) throw noAccountWithEmail('ownerEmail');
    let tenant: typeof tenants.$inferSelect;
    try {
      tenant = tx
        .insert(tenants)
        .values({ id: randomId(), kind: 'vendor', slug, name: input.name, createdAt: input.now })
        .returning()
        .get();
    } catch (error) {
      if (isUniqueViolation(error)) throw vendorSlugTaken(slug);
      throw error;
    }
    tx.insert(tenantMembers)
      .values({ tenantId: tenant.id, userId: owner.id, role: 'owner', createdAt: input.now })
      .run();
    recordAudit(tx, {
      tenantId: tenant.id,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'vendor.created',
      subjectType: 'tenant',
      subjectId: tenant.id,
      data: { slug, ownerUserId: owner.id },
      ip: null,
      createdAt: input.now,
    });
    return tenant;
  }, IMMEDIATE);
}
