// Models, providers and vendors' assistants on PostgreSQL: models.ts's and assistants.ts's
// transactions with the same validation, refusals and audit rows. Text sorts byte-wise, as SQLite's.
import {
  assistants,
  marks,
  models,
  type PgDb,
  type PgDbOrTx,
  type PgTx,
  providers,
  tenants,
} from '@tessera/db/pg';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  assertAssistantModel,
  assistantFieldsSchema,
  type CreateAssistantInput,
  type ListAssistantsOptions,
  markNotInVendor,
  parseAssistantPatch,
  type UpdateAssistantInput,
} from '../../../domain/assistants/assistants.ts';
import {
  type modelFieldsSchema,
  modelTaken,
  noSuchProviderField,
  parseModelSave,
  parseProviderSave,
  providerAuditData,
  type providerFieldsSchema,
  providerToCheck,
  type SaveModelInput,
  type SaveProviderInput,
} from '../../../domain/models/models.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import { validate } from '../../../lib/validate.ts';
import type {
  AssistantListRow,
  AssistantRow,
  ModelRow,
  ProviderRow,
  SavedProvider,
} from '../../catalog-store.ts';
import {
  inTransaction,
  isPgForeignKeyViolation,
  readTenantLimitsPg,
  recordAuditPg,
} from './pg-support.ts';

const bytewise = (column: unknown) => sql`${column} collate "C"`;

export async function listModelsPg(db: PgDb): Promise<ModelRow[]> {
  return db.select().from(models).orderBy(asc(models.inputPricePerMillion), bytewise(models.id));
}

export async function saveModelPg(db: PgDb, input: SaveModelInput): Promise<ModelRow> {
  const { id, fields } = parseModelSave(input);
  return inTransaction(db, async (tx) => {
    const providerId = providerToCheck(fields.providerId);
    if (providerId !== null) {
      const [provider] = await tx
        .select({ id: providers.id })
        .from(providers)
        .where(eq(providers.id, providerId));
      if (!provider) throw noSuchProviderField();
    }
    const [row] = input.create
      ? await tx
          .insert(models)
          .values({ id, ...(fields as z.output<typeof modelFieldsSchema>), createdAt: input.now })
          .onConflictDoNothing({ target: models.id })
          .returning()
      : await tx.update(models).set(fields).where(eq(models.id, id)).returning();
    if (!row) {
      if (input.create) throw modelTaken(id);
      throw new DomainError('NOT_FOUND', 'No such model.');
    }
    await recordAuditPg(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      action: input.create ? 'model.created' : 'model.updated',
      subjectType: 'model',
      subjectId: id,
      data: fields,
      ip: null,
      createdAt: input.now,
    });
    return row;
  });
}

export async function listProvidersPg(db: PgDb): Promise<ProviderRow[]> {
  const rows = await db
    .select({
      id: providers.id,
      name: providers.name,
      baseUrl: providers.baseUrl,
      apiKey: providers.apiKey,
      active: providers.active,
      updatedAt: providers.updatedAt,
    })
    .from(providers)
    .orderBy(bytewise(providers.name));
  return rows.map(({ apiKey, ...p }) => ({ ...p, apiKeySet: apiKey !== null }));
}

export async function saveProviderPg(db: PgDb, input: SaveProviderInput): Promise<SavedProvider> {
  const { creating, fields } = parseProviderSave(input);
  return inTransaction(db, async (tx) => {
    const [row] = creating
      ? await tx
          .insert(providers)
          .values({
            id: randomId(),
            ...(fields as z.output<typeof providerFieldsSchema>),
            createdAt: input.now,
            updatedAt: input.now,
          })
          .returning()
      : await tx
          .update(providers)
          .set({ ...fields, updatedAt: input.now })
          .where(eq(providers.id, input.id!))
          .returning();
    if (!row) throw new DomainError('NOT_FOUND', 'No such provider.');
    await recordAuditPg(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      action: creating ? 'provider.created' : 'provider.updated',
      subjectType: 'provider',
      subjectId: row.id,
      data: providerAuditData(fields),
      ip: null,
      createdAt: input.now,
    });
    const { apiKey, ...rest } = row;
    return { ...rest, apiKeySet: apiKey !== null };
  });
}

/** assistants.ts's model check: in the catalog and within a vendor's ceiling. */
async function assertModelPg(tx: PgDbOrTx, tenantId: string, modelId: string | undefined) {
  if (modelId === undefined) return;
  const [model] = await tx.select({ id: models.id }).from(models).where(eq(models.id, modelId));
  assertAssistantModel(model !== undefined, await readTenantLimitsPg(tx, tenantId), modelId);
}

/** The mark must be one of this vendor's (the composite foreign key's rule, checked first). */
async function assertMarkInVendor(tx: PgTx, tenantId: string, markId: string | undefined) {
  if (markId === undefined) return;
  const [mark] = await tx
    .select({ id: marks.id })
    .from(marks)
    .where(and(eq(marks.id, markId), eq(marks.tenantId, tenantId)));
  if (!mark) throw markNotInVendor();
}

async function createAssistantIn(tx: PgTx, input: CreateAssistantInput): Promise<AssistantRow> {
  const fields = validate(assistantFieldsSchema, input.fields, 'fields');
  await assertModelPg(tx, input.tenantId, fields.modelId);
  await assertMarkInVendor(tx, input.tenantId, fields.markId);
  const [row] = await tx
    .insert(assistants)
    .values({
      id: randomId(),
      tenantId: input.tenantId,
      ...fields,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning();
  await recordAuditPg(tx, {
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    action: 'assistant.created',
    subjectType: 'assistant',
    subjectId: row!.id,
    data: { name: row!.name, modelId: row!.modelId },
    ip: null,
    createdAt: input.now,
  });
  return row!;
}

export async function createAssistantPg(
  db: PgDb,
  input: CreateAssistantInput,
): Promise<AssistantRow> {
  return inTransaction(db, (tx) => createAssistantIn(tx, input));
}

export async function updateAssistantPg(
  db: PgDb,
  input: UpdateAssistantInput,
): Promise<AssistantRow> {
  const fields = parseAssistantPatch(input.fields);
  return inTransaction(db, async (tx) => {
    await assertModelPg(tx, input.tenantId, fields.modelId);
    let row: typeof assistants.$inferSelect | undefined;
    try {
      [row] = await tx
        .update(assistants)
        .set({ ...fields, updatedAt: input.now })
        .where(and(eq(assistants.id, input.assistantId), eq(assistants.tenantId, input.tenantId)))
        .returning();
    } catch (error) {
      if (isPgForeignKeyViolation(error)) throw markNotInVendor();
      throw error;
    }
    if (!row) throw new DomainError('NOT_FOUND', 'No such assistant.');
    await recordAuditPg(tx, {
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

export async function listAssistantsPg(
  db: PgDb,
  options: ListAssistantsOptions = {},
): Promise<AssistantListRow[]> {
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
    .orderBy(bytewise(tenants.name), bytewise(assistants.name));
}
