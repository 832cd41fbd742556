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
