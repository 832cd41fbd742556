// The model row the chat engine needs to route an answer (is it active, which provider serves it,
// under which upstream name), read by a statement compiled once per connection.
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
