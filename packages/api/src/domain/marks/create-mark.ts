import type { DbOrTx } from '@tessera/db';
import { marks } from '@tessera/db';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { isUniqueViolation } from '../../lib/sqlite-errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { type EntitlementsInput, entitlementsSchema } from '../entitlements/entitlements.ts';
import { assertEntitlementsAllowed, readTenantLimits } from '../tenancy/tenant-ceiling.ts';
import { markKey, slugSchema } from './slug.ts';

export interface CreateMarkInput {
  tenantId: string;
  slug: string;
  name: string;
  description?: string;
  entitlements: EntitlementsInput;
  actorUserId: string | null;
  now: Date;
}

/** The refusal of a mark key another mark holds (a unique violation on either engine). */
export function markKeyTaken(key: string): DomainError {
  return new DomainError('CONFLICT', `A mark with key "${key}" already exists.`, {
    fieldErrors: { slug: ['SLUG_TAKEN'] },
  });
}

/** The validated slug and entitlements of a new mark (before any storage is touched). */
export function parseNewMark(input: Pick<CreateMarkInput, 'slug' | 'entitlements'>) {
  return {
    slug: validate(slugSchema, input.slug, 'slug'),
    entitlements: validate(entitlementsSchema, input.entitlements, 'entitlements'),
  };
}

export function createMark(db: DbOrTx, input: CreateMarkInput) {
  const { slug, entitlements } = parseNewMark(input);
  return db.transaction((tx) => {
    const tenant = readTenantLimits(tx, input.tenantId);
    assertEntitlementsAllowed(tx, tenant, entitlements);
    const key = markKey(tenant, slug);
    let mark: typeof marks.$inferSelect;
    try {
      mark = tx
        .insert(marks)
        .values({
          id: randomId(),
          tenantId: input.tenantId,
          slug,
          key,
          name: input.name,
          description: input.description ?? '',
          entitlements,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning()
        .get();
    } catch (error) {
      if (isUniqueViolation(error)) throw markKeyTaken(key);
      throw error;
    }
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'mark.created',
      subjectType: 'mark',
      subjectId: mark.id,
      data: { key, entitlements },
      ip: null,
      createdAt: input.now,
    });
    return { ...mark, entitlements };
  }, IMMEDIATE);
}
