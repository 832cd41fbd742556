// The model rows the chat needs, read by statements compiled once per connection: the row the
// engine routes an answer by (is it active, which provider serves it, under which upstream name),
// and the active models the chat page lists on every load.
import type { Db } from '@tessera/db';

const modelStatements = new WeakMap<Db['$client'], (id: string) => ModelRow | undefined>();
export type ModelRow = {
  id: string;
  active: boolean;
  providerId: string | null;
  upstreamModel: string | null;
  /** Accepts image content parts (decision 026). */
  vision: boolean;
};

/** The model row the engine needs, by a prepared statement (this runs on every answer). */
export function modelById(db: Db, id: string): ModelRow | undefined {
  let read = modelStatements.get(db.$client);
  if (!read) {
    const statement = db.$client.prepare<
      [string],
      {
        id: string;
        active: number;
        provider_id: string | null;
        upstream_model: string | null;
        vision: number;
      }
    >('select id, active, provider_id, upstream_model, vision from models where id = ?');
    read = (modelId) => {
      const row = statement.get(modelId);
      return row
        ? {
            id: row.id,
            active: row.active === 1,
            providerId: row.provider_id,
            upstreamModel: row.upstream_model,
            vision: row.vision === 1,
          }
        : undefined;
    };
    modelStatements.set(db.$client, read);
  }
  return read(id);
}

/** The active models that accept images, cheapest first (what a refusal of images points to). */
export function visionModelIds(db: Db): string[] {
  return db.$client
    .prepare<[], { id: string }>(
      'select id from models where vision = 1 and active = 1 order by input_price_per_million, id',
    )
    .all()
    .map((row) => row.id);
}

/** An active model as the chat page's picker lists it. */
export interface ActiveModel {
  id: string;
  displayName: string;
  inputPricePerMillion: number;
  outputPricePerMillion: number;
  vision: boolean;
}

const activeModelStatements = new WeakMap<Db['$client'], () => ActiveModel[]>();

/** The active models, cheapest first (the chat page asks on every load: a prepared statement). */
export function activeModels(db: Db): ActiveModel[] {
  let read = activeModelStatements.get(db.$client);
  if (!read) {
    const statement = db.$client.prepare<
      [],
      {
        id: string;
        display_name: string;
        input_price_per_million: number;
        output_price_per_million: number;
        vision: number;
      }
    >(
      `select id, display_name, input_price_per_million, output_price_per_million, vision
       from models where active = 1 order by input_price_per_million, id`,
    );
    read = () =>
      statement.all().map((row) => ({
        id: row.id,
        displayName: row.display_name,
        inputPricePerMillion: row.input_price_per_million,
        outputPricePerMillion: row.output_price_per_million,
        vision: row.vision === 1,
      }));
    activeModelStatements.set(db.$client, read);
  }
  return read();
}

const apiModelStatements = new WeakMap<Db['$client'], () => { id: string; createdAt: number }[]>();

/** The active models by id with their creation time in ms (GET /v1/models; prepared once). */
export function apiModels(db: Db): { id: string; createdAt: number }[] {
  let read = apiModelStatements.get(db.$client);
  if (!read) {
    const statement = db.$client.prepare<[], { id: string; created_at: number }>(
      'select id, created_at from models where active = 1 order by id',
    );
    read = () => statement.all().map((row) => ({ id: row.id, createdAt: row.created_at }));
    apiModelStatements.set(db.$client, read);
  }
  return read();
}

/** An admin-configured provider's row (read on every answer it serves: prepared once). */
export interface ProviderRow {
  id: string;
  baseUrl: string;
  apiKey: string | null;
  active: boolean;
  /** ms; a changed row gets a new client. */
  updatedAt: number;
}

const providerStatements = new WeakMap<Db['$client'], (id: string) => ProviderRow | undefined>();

export function providerById(db: Db, id: string): ProviderRow | undefined {
  let read = providerStatements.get(db.$client);
  if (!read) {
    const statement = db.$client.prepare<
      [string],
      { id: string; base_url: string; api_key: string | null; active: number; updated_at: number }
    >('select id, base_url, api_key, active, updated_at from providers where id = ?');
    read = (providerId) => {
      const row = statement.get(providerId);
      return row
        ? {
            id: row.id,
            baseUrl: row.base_url,
            apiKey: row.api_key,
            active: row.active === 1,
            updatedAt: row.updated_at,
          }
        : undefined;
    };
    providerStatements.set(db.$client, read);
  }
  return read(id);
}
