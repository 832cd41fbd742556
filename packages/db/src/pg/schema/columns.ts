// Column types the PostgreSQL mirror shares, so every table maps SQLite's storage the same way
// (docs/decisions/027-two-engines-schema-and-migrations.md):
//   integer ms timestamp  → bigint, read and written as a Date (like SQLite's `timestamp_ms`)
//   integer               → bigint, as a JS number (SQLite integers are 64-bit; values stay < 2^53)
//   integer boolean       → boolean
//   JSON text             → jsonb
//   real                  → double precision
//   blob                  → bytea (a Buffer)
// Row types therefore equal the SQLite ones, and domain code handles rows of either engine alike.
import { sql } from 'drizzle-orm';
import { bigint, customType } from 'drizzle-orm/pg-core';

/** Milliseconds since the epoch in a bigint column; a Date in TypeScript. */
export const timestampMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  // node-postgres returns int8 as a string (drizzle queries use the global parsers).
  fromDriver: (value) => new Date(Number(value)),
});

/** A 64-bit integer as a JS number: counts, credits, tokens, minor units, ids. */
export const int = () => bigint({ mode: 'number' });

/** Binary data (hashes, sealed secrets, image bytes) as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/**
 * Slugs (tenant, mark, plan) are 1–48 of [a-z0-9-]. SQLite says it with `not glob`; here with a
 * regular expression, same set of strings.
 */
export const slugCheck = (column: unknown) =>
  sql`length(${column}) between 1 and 48 and ${column} !~ '[^a-z0-9-]'`;
