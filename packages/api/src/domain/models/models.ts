// The model catalog and the endpoints behind it, as admins edit them. Provider API keys are
// write-only: listed as "set" or not, never returned.
import type { Db } from '@tessera/db';
import { models, providers } from '@tessera/db';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { patchSchema } from '../../lib/patch-schema.ts';
import { isUniqueViolation } from '../../lib/sqlite-errors.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';

const price = z.number().int().min(0).max(1_000_000_000);
export const modelFieldsSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(80),
  inputPricePerMillion: price,
  outputPricePerMillion: price,
  providerId: z.string().min(1).max(64).nullable(),
  upstreamModel: z.string().trim().min(1).max(200).nullable().default(null),
  /** Accepts image content parts (decision 026). */
  vision: z.boolean().default(false),
  active: z.boolean().default(true),
});
export const modelIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._:/-]{0,99}$/, { error: 'INVALID_IDENTIFIER' });

export const providerFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1).max(500).nullable().optional(),
  active: z.boolean().default(true),
});

export type SaveModelInput = Parameters<typeof saveModel>[1];
export type SaveProviderInput = Parameters<typeof saveProvider>[1];

/** The provider a model names, when it must exist as a row (null and `openai` need none). */
export function providerToCheck(providerId: string | null | undefined): string | null {
  return providerId === null || providerId === undefined || providerId === 'openai'
    ? null
    : providerId;
}

export const noSuchProviderField = () =>
  new DomainError('NOT_FOUND', 'No such provider.', {
    fieldErrors: { 'fields.providerId': ['NOT_FOUND'] },
  });

export const modelTaken = (id: string) =>
  new DomainError('CONFLICT', `A model "${id}" already exists.`, {
    fieldErrors: { modelId: ['TAKEN'] },
  });

function assertProvider(db: Db, providerId: string | null | undefined) {
  const id = providerToCheck(providerId);
  if (id === null) return;
  if (!db.select({ id: providers.id }).from(providers).where(eq(providers.id, id)).get()) {
    throw noSuchProviderField();
  }
}

/** A save's model id and fields, validated (an edit keeps only the fields it sent). */
export function parseModelSave(input: SaveModelInput) {
  const id = validate(modelIdSchema, input.id, 'modelId');
  const parsed = input.create
    ? validate(modelFieldsSchema, input.fields, 'fields')
    : validate(patchSchema(modelFieldsSchema), input.fields, 'fields');
  const fields = input.create
    ? parsed
    : Object.fromEntries(Object.entries(parsed).filter(([k]) => k in input.fields));
  return { id, fields: fields as Partial<z.output<typeof modelFieldsSchema>> };
}

/** A provider save's fields, validated (an edit keeps only the fields it sent). */
export function parseProviderSave(input: SaveProviderInput) {
  const creating = input.id === undefined;
  const parsed = creating
    ? validate(providerFieldsSchema, input.fields, 'fields')
    : validate(patchSchema(providerFieldsSchema), input.fields, 'fields');
  const fields = creating
    ? parsed
    : Object.fromEntries(Object.entries(parsed).filter(([k]) => k in input.fields));
  return { creating, fields: fields as Partial<z.output<typeof providerFieldsSchema>> };
}

/** What a provider save audits: never the key itself, only whether it changed. */
export function providerAuditData(fields: Record<string, unknown>) {
  const { apiKey: _secret, ...audited } = fields;
  return { ...audited, apiKeyChanged: 'apiKey' in fields };
}

export function listModels(db: Db) {
  return db.select().from(models).orderBy(asc(models.inputPricePerMillion), asc(models.id)).all();
}

export function saveModel(
  db: Db,
  input: {
    id: string;
    fields: Partial<z.input<typeof modelFieldsSchema>>;
    create: boolean;
    actorUserId: string;
    now: Date;
  },
) {
  const { id, fields } = parseModelSave(input);
  assertProvider(db, fields.providerId);
  return db.transaction((tx) => {
    let row: typeof models.$inferSelect | undefined;
    try {
      row = input.create
        ? tx
            .insert(models)
            .values({ id, ...(fields as z.output<typeof modelFieldsSchema>), createdAt: input.now })
            .returning()
            .get()
        : tx.update(models).set(fields).where(eq(models.id, id)).returning().get();
    } catch (error) {
      if (
        isUniqueViolation(error) ||
        (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      ) {
        throw modelTaken(id);
      }
      throw error;
    }
    if (!row) throw new DomainError('NOT_FOUND', 'No such model.');
    recordAudit(tx, {
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

export function listProviders(db: Db) {
  return db
    .select({
      id: providers.id,
      name: providers.name,
      baseUrl: providers.baseUrl,
      apiKey: providers.apiKey,
      active: providers.active,
      updatedAt: providers.updatedAt,
    })
    .from(providers)
    .orderBy(asc(providers.name))
    .all()
    .map(({ apiKey, ...p }) => ({ ...p, apiKeySet: apiKey !== null }));
}

export function saveProvider(
  db: Db,
  input: {
    id?: string;
    fields: Partial<z.input<typeof providerFieldsSchema>>;
    actorUserId: string;
    now: Date;
  },
) {
  const { creating, fields } = parseProviderSave(input);
  return db.transaction((tx) => {
    const row = creating
      ? tx
          .insert(providers)
          .values({
            id: randomId(),
            ...(fields as z.output<typeof providerFieldsSchema>),
            createdAt: input.now,
            updatedAt: input.now,
          })
          .returning()
          .get()
      : tx
          .update(providers)
          .set({ ...fields, updatedAt: input.now })
          .where(eq(providers.id, input.id!))
          .returning()
          .get();
    if (!row) throw new DomainError('NOT_FOUND', 'No such provider.');
    recordAudit(tx, {
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
