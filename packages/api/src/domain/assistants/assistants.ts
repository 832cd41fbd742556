// Vendors' assistants: created and edited inside the vendor's own tenant; listed for members with
// whether they hold the mark each needs.
import type { Db } from '@tessera/db';
import { assistants, marks, models, tenants } from '@tessera/db';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { patchSchema } from '../../lib/patch-schema.ts';
import { isForeignKeyViolation } from '../../lib/sqlite-errors.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { readTenantLimits, type TenantLimits } from '../tenancy/tenant-ceiling.ts';

export const assistantFieldsSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80, { error: 'TOO_LONG' }),
  description: z.string().max(500, { error: 'TOO_LONG' }).default(''),
  systemPrompt: z.string().trim().min(1, { error: 'REQUIRED' }).max(8000, { error: 'TOO_LONG' }),
  modelId: z.string().min(1).max(100),
  markId: z.string().min(1).max(64),
  active: z.boolean().default(true),
});
export type AssistantFieldsInput = z.input<typeof assistantFieldsSchema>;

export type CreateAssistantInput = Parameters<typeof createAssistant>[1];
export type UpdateAssistantInput = Parameters<typeof updateAssistant>[1];
export type ListAssistantsOptions = { tenantId?: string; activeOnly?: boolean };

export const markNotInVendor = () =>
  new DomainError('NOT_FOUND', 'No such mark in this vendor.', {
    fieldErrors: { markId: ['NOT_FOUND'] },
  });

/** The model must be in the catalog and, for a vendor, among the models its ceiling delegates. */
function assertModel(db: Db, tenantId: string, modelId: string | undefined) {
  if (modelId === undefined) return;
  const exists =
    db.select({ id: models.id }).from(models).where(eq(models.id, modelId)).get() !== undefined;
  assertAssistantModel(exists, readTenantLimits(db, tenantId), modelId);
}

/** An assistant's model: in the catalog (`exists`) and, for a vendor, within its ceiling. */
export function assertAssistantModel(exists: boolean, tenant: TenantLimits, modelId: string) {
  if (!exists) {
    throw new DomainError('VALIDATION', `No model "${modelId}" in the catalog.`, {
      fieldErrors: { 'fields.modelId': [`UNKNOWN_MODEL:${modelId}`] },
    });
  }
  const { ceiling } = tenant;
  if (ceiling && !ceiling.models.includes(modelId)) {
    throw new DomainError('VALIDATION', `The model "${modelId}" is above this vendor's ceiling.`, {
      fieldErrors: { 'fields.modelId': [`OVER_CEILING:${modelId}`] },
    });
  }
}

export function createAssistant(
  db: Db,
  input: { tenantId: string; fields: AssistantFieldsInput; actorUserId: string | null; now: Date },
) {
  const fields = validate(assistantFieldsSchema, input.fields, 'fields');
  assertModel(db, input.tenantId, fields.modelId);
  return db.transaction((tx) => {
    let row: typeof assistants.$inferSelect;
    try {
      row = tx
        .insert(assistants)
        .values({
          id: randomId(),
          tenantId: input.tenantId,
          ...fields,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning()
        .get();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw markNotInVendor();
      throw error;
    }
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'assistant.created',
      subjectType: 'assistant',
      subjectId: row.id,
      data: { name: row.name, modelId: row.modelId },
      ip: null,
      createdAt: input.now,
    });
    return row;
  });
}

/** An edit's fields, validated, keeping only those the caller sent. */
export function parseAssistantPatch(
  input: Partial<AssistantFieldsInput>,
): Partial<z.output<typeof assistantFieldsSchema>> {
  const parsed = validate(patchSchema(assistantFieldsSchema), input, 'fields');
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in input));
}

export function updateAssistant(
  db: Db,
  input: {
    tenantId: string;
    assistantId: string;
    fields: Partial<AssistantFieldsInput>;
    actorUserId: string | null;
    now: Date;
  },
) {
  const fields = parseAssistantPatch(input.fields);
  assertModel(db, input.tenantId, fields.modelId);
  return db.transaction((tx) => {
    let row: typeof assistants.$inferSelect | undefined;
    try {
      row = tx
        .update(assistants)
        .set({ ...fields, updatedAt: input.now })
        .where(and(eq(assistants.id, input.assistantId), eq(assistants.tenantId, input.tenantId)))
        .returning()
        .get();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw markNotInVendor();
      throw error;
    }
    if (!row) throw new DomainError('NOT_FOUND', 'No such assistant.');
    recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'assistant.updated',
      subjectType: 'assistant',
      subjectId: row.id,
      data: fields,
      ip: null,
      createdAt: input.now,
    });
    return row;
  });
}

/** Assistants with their vendor and required mark; `tenantId` limits to one vendor's (any state). */
export function listAssistants(db: Db, options: ListAssistantsOptions = {}) {
  return db
    .select({
      id: assistants.id,
      tenantId: assistants.tenantId,
      tenantName: tenants.name,
      name: assistants.name,
      description: assistants.description,
      systemPrompt: assistants.systemPrompt,
      modelId: assistants.modelId,
      markId: assistants.markId,
      markKey: marks.key,
      markName: marks.name,
      active: assistants.active,
    })
    .from(assistants)
    .innerJoin(marks, eq(marks.id, assistants.markId))
    .innerJoin(tenants, eq(tenants.id, assistants.tenantId))
    .where(
      and(
        options.tenantId ? eq(assistants.tenantId, options.tenantId) : undefined,
        options.activeOnly ? eq(assistants.active, true) : undefined,
      ),
    )
    .orderBy(asc(tenants.name), asc(assistants.name))
    .all();
}

export function getActiveAssistant(db: Db, assistantId: string) {
  return listAssistants(db, { activeOnly: true }).find((a) => a.id === assistantId);
}
