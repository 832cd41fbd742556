// The SQLite schema and its PostgreSQL mirror describe the same database (decision 027). No server
// needed: the comparison reads both Drizzle schemas.
import * as pgCore from 'drizzle-orm/pg-core';
import * as sqliteCore from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { schemaDifferences } from '../src/pg/parity.ts';
import { timestampMs } from '../src/pg/schema/columns.ts';
import * as pgSchema from '../src/pg/schema/index.ts';
import * as sqliteSchema from '../src/schema/index.ts';

describe('schema parity between SQLite and PostgreSQL', () => {
  it('finds no difference between the two schemas', () => {
    expect(schemaDifferences(sqliteSchema, pgSchema)).toEqual([]);
  });

  it('compares every table of both', () => {
    const { creditReservations: _, ...withoutOne } = pgSchema;
    expect(schemaDifferences(sqliteSchema, withoutOne)).toEqual([
      'credit_reservations: missing on PostgreSQL',
    ]);
  });

  // A pair of small tables, equal until one side changes.
  const sqliteTable = (extra: Record<string, sqliteCore.SQLiteColumnBuilderBase> = {}) =>
    sqliteCore.sqliteTable(
      'leases',
      {
        name: sqliteCore.text().primaryKey(),
        holder: sqliteCore.text().notNull(),
        expiresAt: sqliteCore.integer({ mode: 'timestamp_ms' }).notNull(),
        ...extra,
      },
      (t) => [sqliteCore.uniqueIndex('leases_holder_unique').on(t.holder)],
    );
  const pgTable = (
    columns: Record<string, pgCore.PgColumnBuilderBase>,
    keys: 'unique' | 'none' = 'unique',
  ) =>
    pgCore.pgTable('leases', columns, (t) =>
      keys === 'unique' && 'holder' in t
        ? [pgCore.uniqueIndex('leases_holder_unique').on(t.holder as pgCore.PgColumn)]
        : [],
    );
  const pgColumns = () => ({
    name: pgCore.text().primaryKey(),
    holder: pgCore.text().notNull(),
    expiresAt: timestampMs().notNull(),
  });

  it('accepts a faithful mirror', () => {
    expect(schemaDifferences({ t: sqliteTable() }, { t: pgTable(pgColumns()) })).toEqual([]);
  });

  it('fails when a column is missing on either side', () => {
    const { expiresAt: _, ...withoutExpiry } = pgColumns();
    expect(schemaDifferences({ t: sqliteTable() }, { t: pgTable(withoutExpiry) })).toEqual([
      'leases.expires_at: missing on PostgreSQL',
    ]);
    expect(
      schemaDifferences(
        { t: sqliteTable({ leaseUntil: sqliteCore.integer({ mode: 'timestamp_ms' }) }) },
        { t: pgTable(pgColumns()) },
      ),
    ).toEqual(['leases.lease_until: missing on PostgreSQL']);
    expect(
      schemaDifferences(
        { t: sqliteTable() },
        { t: pgTable({ ...pgColumns(), extra: pgCore.text() }) },
      ),
    ).toEqual(['leases.extra: missing on SQLite']);
  });

  it('fails on nullability, type, primary key and unique key differences', () => {
    expect(
      schemaDifferences(
        { t: sqliteTable() },
        { t: pgTable({ ...pgColumns(), holder: pgCore.text() }) },
      ),
    ).toEqual(['leases.holder: notNull is true on SQLite, false on PostgreSQL']);
    expect(
      schemaDifferences(
        { t: sqliteTable() },
        { t: pgTable({ ...pgColumns(), expiresAt: pgCore.bigint({ mode: 'number' }).notNull() }) },
      ),
    ).toEqual(['leases.expires_at: kind is timestamp-ms on SQLite, integer on PostgreSQL']);
    expect(
      schemaDifferences(
        { t: sqliteTable() },
        { t: pgTable({ ...pgColumns(), name: pgCore.text().notNull() }) },
      ),
    ).toEqual(['leases: primary key (name) on SQLite, () on PostgreSQL']);
    expect(schemaDifferences({ t: sqliteTable() }, { t: pgTable(pgColumns(), 'none') })).toEqual([
      'leases: unique leases_holder_unique missing on PostgreSQL',
    ]);
  });

  it('gives rows of both engines the same TypeScript types (checked by pnpm typecheck)', () => {
    expectTypeOf<TablesWhoseRowsDiffer<'$inferSelect'>>().toEqualTypeOf<never>();
    expectTypeOf<TablesWhoseRowsDiffer<'$inferInsert'>>().toEqualTypeOf<never>();
  });
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type PgTables = {
  [K in keyof typeof pgSchema]: (typeof pgSchema)[K] extends pgCore.PgTable ? K : never;
}[keyof typeof pgSchema];
/** The names of the tables whose select (or insert) row type differs between the engines. */
type TablesWhoseRowsDiffer<Row extends '$inferSelect' | '$inferInsert'> = {
  [K in PgTables & keyof typeof sqliteSchema]: Same<
    (typeof pgSchema)[K][Row],
    (typeof sqliteSchema)[K][Row]
  > extends true
    ? never
    : K;
}[PgTables & keyof typeof sqliteSchema];
