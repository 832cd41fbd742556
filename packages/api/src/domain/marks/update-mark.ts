import type { DbOrTx } from '@tessera/db';
import { marks, tenants } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { appendBroadcastEvent } from '../../events/outbox.ts';
import { isUniqueViolation } from '../../lib/sqlite-errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import {
  type EntitlementsInput,
  entitlementsSchema,
  parseStoredEntitlements,
} from '../entitlements/entitlements.ts';
import { assertEntitlementsAllowed, readTenantLimits } from '../tenancy/tenant-ceiling.ts';
import { markKeyTaken } from './create-mark.ts';
import { markKey, slugSchema } from './slug.ts';

/** Marks the system itself depends on keep their slug (sign-up grants `free`). */
export const SYSTEM_MARK_KEYS = new Set(['free']);

export interface UpdateMarkInput {
  tenantId: string;
  markId: string;
  slug?: string;
  name?: string;
  description?: string;
  entitlements?: EntitlementsInput;
  actorUserId: string | null;
  now: Date;
}

/** The validated slug and entitlements of an edit (undefined: not changed). */
export function parseMarkEdit(input: Pick<UpdateMarkInput, 'slug' | 'entitlements'>) {
  return {
    slug: input.slug === undefined ? undefined : validate(slugSchema, input.slug, 'slug'),
    entitlements:
      input.entitlements === undefined
        ? undefined
        : validate(entitlementsSchema, input.entitlements, 'entitlements'),
  };
}

/** The system's own marks keep their slug: refuses renaming one. */
export function assertSlugKept(current: { key: string; slug: string }, slug: string | undefined) {
  if (slug !== undefined && slug !== current.slug && SYSTEM_MARK_KEYS.has(current.key)) {
    throw new DomainError('FORBIDDEN', `The "${current.key}" mark keeps its slug.`, {
      fieldErrors: { slug: ['SLUG_LOCKED'] },
    });
  }
}

/** Which fields an edit names (the audit row lists them). */
export function markEditedFields(input: UpdateMarkInput): string[] {
  return Object.keys(input).filter(
    (k) => !['tenantId', 'markId', 'actorUserId', 'now'].includes(k),
  );
}

/** Edits a mark of `tenantId` (another tenant's mark is NOT_FOUND). A new slug re-derives the key. */
export function updateMark(db: DbOrTx, input: UpdateMarkInput) {
  const { slug, entitlements } = parseMarkEdit(input);
  return db.transaction((tx) => {
    const current = tx
      .select({
        key: marks.key,
        slug: marks.slug,
        tenantKind: tenants.kind,
        tenantSlug: tenants.slug,
      })
      .from(marks)
      .innerJoin(tenants, eq(tenants.id, marks.tenantId))
      .where(and(eq(marks.id, input.markId), eq(marks.tenantId, input.tenantId)))
      .get();
    if (!current) throw new DomainError('NOT_FOUND', 'No such mark.');
    if (entitlements !== undefined) {
      assertEntitlementsAllowed(tx, readTenantLimits(tx, input.tenantId), entitlements);
    }
    assertSlugKept(current, slug);
    const key =
      slug === undefined
        ? undefined
        : markKey({ kind: current.tenantKind, slug: current.tenantSlug }, slug);
    let updated: typeof marks.$inferSelect | undefined;
    try {
      updated = tx
        .update(marks)
        .set({
          slug,
          key,
          name: input.name,
          description: input.description,
          entitlements,
          updatedAt: input.now,
        })
        .where(and(eq(marks.id, input.markId), eq(marks.tenantId, input.tenantId)))
        .returning()
        .get();
    } catch (error) {
      if (isUniqueViolation(error)) throw markKeyTaken(key ?? current.key);
      throw error;
    }
    if (!updated) throw new DomainError('NOT_FOUND', 'No such mark.');
    // Live streams re-check against the new entitlements before their next chunk.
    if (entitlements !== undefined || key !== undefined) {
      appendBroadcastEvent(tx, { kind: 'mark.changed', markKey: updated.key, now: input.now });
    }
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'mark.updated',
      subjectType: 'mark',
      subjectId: input.markId,
      data: {
        previousKey: current.key,
        key: updated.key,
        changed: markEditedFields(input),
      },
      ip: null,
      createdAt: input.now,
    });
    return { ...updated, entitlements: parseStoredEntitlements(updated.entitlements) };
  }, IMMEDIATE);
}
