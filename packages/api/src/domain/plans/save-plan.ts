import type { DbOrTx } from '@tessera/db';
import { plans } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { patchSchema } from '../../lib/patch-schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../lib/sqlite-errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertPriceFree } from '../payments/assert-price-free.ts';
import { trialOverCeiling } from '../tenancy/ceiling.ts';
import { readTenantLimits, type TenantLimits } from '../tenancy/tenant-ceiling.ts';
import { type PlanFields, type PlanFieldsInput, planFieldsSchema } from './plan-input.ts';
import { newPlanKey } from './plan-key.ts';

/** A plan naming a mark of another tenant (the composite foreign key refused it). */
export const markNotInTenant = () =>
  new DomainError('NOT_FOUND', 'No such mark in this tenant.', {
    fieldErrors: { markId: ['NOT_FOUND'] },
  });

/** The refusal of a plan key another plan holds. */
export function planKeyTaken(key: string): DomainError {
  return new DomainError('CONFLICT', `A plan with key "${key}" already exists.`, {
    fieldErrors: { slug: ['SLUG_TAKEN'] },
  });
}

export type CreatePlanInput = Parameters<typeof createPlan>[1];
export type UpdatePlanInput = Parameters<typeof updatePlan>[1];

/** The fields of an edit, validated, keeping only those the caller sent (defaults must not overwrite). */
export function parsePlanPatch(input: Partial<PlanFieldsInput>): Partial<PlanFields> {
  const parsed = validate(patchSchema(planFieldsSchema), input, 'fields');
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in input));
}

/** A vendor's plan may give a trial only as long as its ceiling allows. */
function assertTrialAllowed(db: DbOrTx, tenantId: string, trialDays: number | undefined) {
  if (trialDays === undefined) return;
  assertTrialWithin(readTenantLimits(db, tenantId), trialDays);
}

/** `assertTrialAllowed` for a tenant already read. */
export function assertTrialWithin(tenant: TenantLimits, trialDays: number | undefined) {
  if (trialDays === undefined) return;
  const { ceiling } = tenant;
  const over = ceiling ? trialOverCeiling(trialDays, ceiling) : null;
  if (over) {
    throw new DomainError(
      'VALIDATION',
      `A trial of ${trialDays} days is above this vendor's ceiling (${ceiling?.trialDays ?? 0}).`,
      { fieldErrors: over },
    );
  }
}

/**
 * Creates a plan of `tenantId` granting one of that tenant's marks (the composite key enforces it).
 * `slug` names it for scripts and Stripe (`plan:link`); without one it is derived from the name.
 */
export function createPlan(
  db: DbOrTx,
  input: {
    tenantId: string;
    markId: string;
    slug?: string;
    fields: PlanFieldsInput;
    actorUserId: string | null;
    now: Date;
  },
) {
  const fields = validate(planFieldsSchema, input.fields, 'fields');
  return db.transaction((tx) => {
    assertTrialAllowed(tx, input.tenantId, fields.trialDays);
    assertPriceFree(tx, fields.stripePriceId);
    const { slug, key } = newPlanKey(tx, readTenantLimits(tx, input.tenantId), {
      slug: input.slug,
      name: fields.name,
    });
    let plan: typeof plans.$inferSelect;
    try {
      plan = tx
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
        .returning()
        .get();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw markNotInTenant();
      if (isUniqueViolation(error)) throw planKeyTaken(key);
      throw error;
    }
    recordAudit(tx, {
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
  }, IMMEDIATE);
}

/** Edits a plan of `tenantId`; another tenant's plan is NOT_FOUND. */
export function updatePlan(
  db: DbOrTx,
  input: {
    tenantId: string;
    planId: string;
    markId?: string;
    fields: Partial<PlanFieldsInput>;
    actorUserId: string | null;
    now: Date;
  },
) {
  const fields = parsePlanPatch(input.fields);
  return db.transaction((tx) => {
    assertTrialAllowed(tx, input.tenantId, fields.trialDays);
    assertPriceFree(tx, fields.stripePriceId, {
      planId: input.planId,
    });
    let plan: typeof plans.$inferSelect | undefined;
    try {
      plan = tx
        .update(plans)
        .set({ ...fields, markId: input.markId, updatedAt: input.now })
        .where(and(eq(plans.id, input.planId), eq(plans.tenantId, input.tenantId)))
        .returning()
        .get();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw markNotInTenant();
      throw error;
    }
    if (!plan) throw new DomainError('NOT_FOUND', 'No such plan.');
    recordAudit(tx, {
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
  }, IMMEDIATE);
}
