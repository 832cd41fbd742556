import type { DbOrTx } from '@tessera/db';
import { plans } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { isForeignKeyViolation } from '../../lib/sqlite-errors.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { type PlanFieldsInput, planFieldsSchema } from './plan-input.ts';

const markNotInTenant = () =>
  new DomainError('NOT_FOUND', 'No such mark in this tenant.', {
    fieldErrors: { markId: ['NOT_FOUND'] },
  });

/** Creates a plan of `tenantId` granting one of that tenant's marks (the composite key enforces it). */
export function createPlan(
  db: DbOrTx,
  input: {
    tenantId: string;
    markId: string;
    fields: PlanFieldsInput;
    actorUserId: string | null;
    now: Date;
  },
) {
  const fields = validate(planFieldsSchema, input.fields, 'fields');
  return db.transaction((tx) => {
    let plan: typeof plans.$inferSelect;
    try {
      plan = tx
        .insert(plans)
        .values({
          id: randomId(),
          tenantId: input.tenantId,
          markId: input.markId,
          ...fields,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning()
        .get();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw markNotInTenant();
      throw error;
    }
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'plan.created',
      subjectType: 'plan',
      subjectId: plan.id,
      data: { markId: input.markId, ...fields },
      ip: null,
      createdAt: input.now,
    });
    return plan;
  });
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
  // Keep only the fields the caller sent: defaults must not overwrite what is stored.
  const parsed = validate(planFieldsSchema.partial(), input.fields, 'fields');
  const fields = Object.fromEntries(Object.entries(parsed).filter(([key]) => key in input.fields));
  return db.transaction((tx) => {
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
  });
}
