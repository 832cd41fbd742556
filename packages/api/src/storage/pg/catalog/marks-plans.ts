// Marks and plans on PostgreSQL: the SQLite functions' transactions (create-mark.ts,
// update-mark.ts, save-plan.ts) with the same validation, refusals and audit rows. The `…In`
// functions run inside a caller's transaction (the demo seed composes them).
import { marks, type PgDb, type PgTx, plans, tenants } from '@tessera/db/pg';
import { and, eq, like, sql } from 'drizzle-orm';
import { modelIdsNamed } from '../../../domain/catalog/check-catalog.ts';
import { parseStoredEntitlements } from '../../../domain/entitlements/entitlements.ts';
import {
  type CreateMarkInput,
  markKeyTaken,
  parseNewMark,
} from '../../../domain/marks/create-mark.ts';
import { markKey } from '../../../domain/marks/slug.ts';
import {
  assertSlugKept,
  markEditedFields,
  parseMarkEdit,
  type UpdateMarkInput,
} from '../../../domain/marks/update-mark.ts';
import { planFieldsSchema } from '../../../domain/plans/plan-input.ts';
import { derivedKeyPrefix, freeDerivedKey, givenPlanKey } from '../../../domain/plans/plan-key.ts';
import {
  assertTrialWithin,
  type CreatePlanInput,
  markNotInTenant,
  parsePlanPatch,
  planKeyTaken,
  type UpdatePlanInput,
} from '../../../domain/plans/save-plan.ts';
import { assertEntitlementsWithin } from '../../../domain/tenancy/tenant-ceiling.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import { validate } from '../../../lib/validate.ts';
import type { MarkListRow, MarkRef, SavedMark, SavedPlan } from '../../catalog-store.ts';
import {
  appendBroadcastEventPg,
  assertPriceFreePg,
  inTransaction,
  isPgForeignKeyViolation,
  isPgUniqueViolation,
  knownModelsPg,
  readTenantLimitsPg,
  recordAuditPg,
} from './pg-support.ts';

/** Byte order, as SQLite sorts text (PostgreSQL's default collation would not). */
const bytewise = (column: unknown) => sql`${column} collate "C"`;

export async function listMarksPg(db: PgDb, tenantId: string | null): Promise<MarkListRow[]> {
  const rows = await db
    .select({
      id: marks.id,
      tenantId: marks.tenantId,
      slug: marks.slug,
      key: marks.key,
      name: marks.name,
      description: marks.description,
      entitlements: marks.entitlements,
      createdAt: marks.createdAt,
      updatedAt: marks.updatedAt,
      tenantName: tenants.name,
      tenantKind: tenants.kind,
    })
    .from(marks)
    .innerJoin(tenants, eq(tenants.id, marks.tenantId))
    .where(tenantId === null ? undefined : eq(marks.tenantId, tenantId))
    .orderBy(bytewise(tenants.kind), bytewise(marks.key));
  return rows.map((m) => ({ ...m, entitlements: parseStoredEntitlements(m.entitlements) }));
}

export async function getMarkByKeyPg(db: PgDb, key: string): Promise<MarkRef> {
  const [mark] = await db
    .select({ id: marks.id, key: marks.key, name: marks.name, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.key, key));
  if (!mark) throw new DomainError('NOT_FOUND', `No mark with the key "${key}".`);
  return mark;
}

async function assertAllowedPg(
  tx: PgTx,
  tenant: Awaited<ReturnType<typeof readTenantLimitsPg>>,
  entitlements: Parameters<typeof modelIdsNamed>[0],
) {
  const known = await knownModelsPg(tx, modelIdsNamed(entitlements));
  assertEntitlementsWithin(tenant, entitlements, known);
}

export async function createMarkIn(tx: PgTx, input: CreateMarkInput): Promise<SavedMark> {
  const { slug, entitlements } = parseNewMark(input);
  const tenant = await readTenantLimitsPg(tx, input.tenantId);
  await assertAllowedPg(tx, tenant, entitlements);
  const key = markKey(tenant, slug);
  // `on conflict do nothing`: a taken key is refused without aborting the caller's transaction.
  const [mark] = await tx
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
    .onConflictDoNothing({ target: marks.key })
    .returning();
  if (!mark) throw markKeyTaken(key);
  await recordAuditPg(tx, {
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    action: 'mark.created',
    subjectType: 'mark',
    subjectId: mark.id,
    data: { key, entitlements },
    ip: null,
    createdAt: input.now,
  });
  return { ...mark, entitlements } as SavedMark;
}

export async function updateMarkPg(db: PgDb, input: UpdateMarkInput): Promise<SavedMark> {
  const { slug, entitlements } = parseMarkEdit(input);
  return inTransaction(db, async (tx) => {
    const [current] = await tx
      .select({
        key: marks.key,
        slug: marks.slug,
        tenantKind: tenants.kind,
        tenantSlug: tenants.slug,
      })
      .from(marks)
      .innerJoin(tenants, eq(tenants.id, marks.tenantId))
      .where(and(eq(marks.id, input.markId), eq(marks.tenantId, input.tenantId)))
      .for('update', { of: marks });
    if (!current) throw new DomainError('NOT_FOUND', 'No such mark.');
    if (entitlements !== undefined) {
      await assertAllowedPg(tx, await readTenantLimitsPg(tx, input.tenantId), entitlements);
    }
    assertSlugKept(current, slug);
    const key =
      slug === undefined
        ? undefined
        : markKey({ kind: current.tenantKind, slug: current.tenantSlug }, slug);
    let updated: typeof marks.$inferSelect | undefined;
    try {
      [updated] = await tx
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
        .returning();
    } catch (error) {
      if (isPgUniqueViolation(error)) throw markKeyTaken(key ?? current.key);
      throw error;
    }
    if (!updated) throw new DomainError('NOT_FOUND', 'No such mark.');
    if (entitlements !== undefined || key !== undefined) {
      await appendBroadcastEventPg(tx, {
        kind: 'mark.changed',
        markKey: updated.key,
        now: input.now,
      });
    }
    await recordAuditPg(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'mark.updated',
      subjectType: 'mark',
      subjectId: input.markId,
      data: { previousKey: current.key, key: updated.key, changed: markEditedFields(input) },
      ip: null,
      createdAt: input.now,
    });
    return { ...updated, entitlements: parseStoredEntitlements(updated.entitlements) } as SavedMark;
  });
}

export async function createPlanIn(tx: PgTx, input: CreatePlanInput): Promise<SavedPlan> {
  const fields = validate(planFieldsSchema, input.fields, 'fields');
  const tenant = await readTenantLimitsPg(tx, input.tenantId);
  assertTrialWithin(tenant, fields.trialDays);
  await assertPriceFreePg(tx, fields.stripePriceId);
  let planKey: { slug: string; key: string };
  if (input.slug !== undefined) planKey = givenPlanKey(tenant, input.slug);
  else {
    const prefix = derivedKeyPrefix(tenant, fields.name);
    const taken = await tx
      .select({ key: plans.key })
      .from(plans)
      .where(like(plans.key, `${prefix}%`));
    planKey = freeDerivedKey(tenant, fields.name, new Set(taken.map((row) => row.key)));
  }
  const { slug, key } = planKey;
  const [mark] = await tx
    .select({ id: marks.id })
    .from(marks)
    .where(and(eq(marks.id, input.markId), eq(marks.tenantId, input.tenantId)));
  if (!mark) throw markNotInTenant();
  const [plan] = await tx
    .insert(plans)
    .values({
      id: randomId(),
      tenantId: input.tenantId,
      markId: input.markId,
      slug,
      key,
      ...fields,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoNothing({ target: plans.key })
    .returning();
  if (!plan) throw planKeyTaken(key);
  await recordAuditPg(tx, {
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    action: 'plan.created',
    subjectType: 'plan',
    subjectId: plan.id,
    data: { markId: input.markId, key, ...fields },
    ip: null,
    createdAt: input.now,
  });
  return plan;
}

/**
 * A plan whose slug comes from its name never fails over a name already used: two created at
 * once may both pick the same free key, and the one that loses tries again with the next.
 */
export async function createPlanPg(db: PgDb, input: CreatePlanInput): Promise<SavedPlan> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, (tx) => createPlanIn(tx, input));
    } catch (error) {
      const derived = input.slug === undefined;
      const keyTaken =
        error instanceof DomainError && error.details.fieldErrors?.slug?.[0] === 'SLUG_TAKEN';
      if (!derived || !keyTaken || attempt >= 5) throw error;
    }
  }
}

export async function updatePlanPg(db: PgDb, input: UpdatePlanInput): Promise<SavedPlan> {
  const fields = parsePlanPatch(input.fields);
  return inTransaction(db, async (tx) => {
    if (fields.trialDays !== undefined) {
      assertTrialWithin(await readTenantLimitsPg(tx, input.tenantId), fields.trialDays);
    }
    await assertPriceFreePg(tx, fields.stripePriceId, { planId: input.planId });
    let plan: typeof plans.$inferSelect | undefined;
    try {
      [plan] = await tx
        .update(plans)
        .set({ ...fields, markId: input.markId, updatedAt: input.now })
        .where(and(eq(plans.id, input.planId), eq(plans.tenantId, input.tenantId)))
        .returning();
    } catch (error) {
      if (isPgForeignKeyViolation(error)) throw markNotInTenant();
      throw error;
    }
    if (!plan) throw new DomainError('NOT_FOUND', 'No such plan.');
    await recordAuditPg(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'plan.updated',
      subjectType: 'plan',
      subjectId: plan.id,
      data: { ...fields, ...(input.markId ? { markId: input.markId } : {}) },
      ip: null,
      createdAt: input.now,
    });
    return plan;
  });
}
