// The cross-engine check behind `pnpm db:check` and test/schema-parity.test.ts: the SQLite schema
// and its PostgreSQL mirror must describe the same database — same tables, columns (name, kind
// under the type mapping of decision 027, nullability, default, enum values), primary keys, unique
// keys, indexes (including which are partial), foreign keys and CHECK names. Anything else is
// reported as a difference.
import { is } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';

interface ColumnShape {
  kind: string;
  notNull: boolean;
  default: string;
  enumValues: string;
}

/** One table as the two engines must agree on it; every value is a comparable string. */
interface TableShape {
  columns: Map<string, ColumnShape>;
  primaryKey: string;
  /** A name → description map each for unique keys, indexes, foreign keys and checks. */
  keys: Map<string, string>;
}

type AnyColumn = {
  name: string;
  keyAsName: boolean;
  columnType: string;
  notNull: boolean;
  primary: boolean;
  isUnique: boolean;
  uniqueName?: string;
  hasDefault: boolean;
  default: unknown;
  enumValues?: readonly string[];
  generatedIdentity?: unknown;
  getSQLType(): string;
};

const columnName = (column: unknown): string => {
  const c = column as { name: string; keyAsName?: boolean };
  return c.keyAsName ? toSnakeCase(c.name) : c.name;
};
const names = (columns: readonly unknown[]) => columns.map(columnName).join(',');

/** The storage kind, so that `integer` ↔ `bigint` etc. count as the same column (decision 027). */
function kindOf(column: AnyColumn): string {
  switch (column.columnType) {
    case 'SQLiteText':
    case 'PgText':
      return 'text';
    case 'SQLiteTextJson':
    case 'PgJsonb':
      return 'json';
    case 'SQLiteBoolean':
    case 'PgBoolean':
      return 'boolean';
    case 'SQLiteReal':
    case 'PgDoublePrecision':
      return 'real';
    case 'SQLiteBlobBuffer':
      return 'blob';
    case 'SQLiteTimestamp':
      return 'timestamp-ms';
    case 'SQLiteInteger':
    case 'PgBigInt53':
      return column.primary && column.columnType === 'SQLiteInteger' ? 'row-id' : 'integer';
    case 'PgCustomColumn':
      if (column.getSQLType() === 'bytea') return 'blob';
      if (column.getSQLType() === 'bigint') return 'timestamp-ms';
      break;
  }
  return `unmapped ${column.columnType} (${column.getSQLType()})`;
}

function describeDefault(column: AnyColumn): string {
  if (!column.hasDefault) return 'none';
  const value = column.default;
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return JSON.stringify(value);
  }
  // SQL or object defaults (`'{}'` on SQLite, `{}` as jsonb): present on both is what matters.
  return 'expression';
}

function describe(config: ReturnType<typeof getSqliteTableConfig | typeof getPgTableConfig>) {
  const columns = new Map<string, ColumnShape>();
  const keys = new Map<string, string>();
  let primaryKey = '';
  for (const column of config.columns as unknown as AnyColumn[]) {
    const name = columnName(column);
    let kind = kindOf(column);
    // SQLite's INTEGER PRIMARY KEY assigns ids itself; the mirror needs an identity column.
    if (kind === 'integer' && column.primary && column.generatedIdentity) kind = 'row-id';
    columns.set(name, {
      kind,
      notNull: column.notNull,
      default: describeDefault(column),
      enumValues: column.enumValues?.join('|') ?? '',
    });
    if (column.primary) primaryKey = name;
    if (column.isUnique) keys.set(`unique ${column.uniqueName}`, name);
  }
  for (const pk of config.primaryKeys) primaryKey = names(pk.columns);
  for (const uc of config.uniqueConstraints) keys.set(`unique ${uc.getName()}`, names(uc.columns));
  for (const index of config.indexes) {
    const { name, columns: on, unique, where } = index.config;
    const label = unique ? `unique ${name}` : `index ${name}`;
    keys.set(label, `${names(on)}${where ? ' (partial)' : ''}`);
  }
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    const target = is(ref.foreignTable, PgTable)
      ? getPgTableConfig(ref.foreignTable).name
      : getSqliteTableConfig(ref.foreignTable as SQLiteTable).name;
    keys.set(
      `foreign key (${names(ref.columns)})`,
      `${target}(${names(ref.foreignColumns)}) on delete ${fk.onDelete ?? 'no action'}`,
    );
  }
  for (const check of config.checks) keys.set(`check ${check.name}`, '');
  return { name: config.name, shape: { columns, primaryKey, keys } satisfies TableShape };
}

function shapes(schema: Record<string, unknown>, dialect: 'sqlite' | 'pg') {
  const tables = new Map<string, TableShape>();
  for (const value of Object.values(schema)) {
    if (dialect === 'sqlite' && is(value, SQLiteTable)) {
      const { name, shape } = describe(getSqliteTableConfig(value));
      tables.set(name, shape);
    } else if (dialect === 'pg' && is(value, PgTable)) {
      const { name, shape } = describe(getPgTableConfig(value));
      tables.set(name, shape);
    }
  }
  return tables;
}

/**
 * Differences between the SQLite schema module and the PostgreSQL one (each a module namespace or
 * any record of tables), one readable line each; empty when they agree.
 */
export function schemaDifferences(
  sqliteSchema: Record<string, unknown>,
  pgSchema: Record<string, unknown>,
): string[] {
  const sqlite = shapes(sqliteSchema, 'sqlite');
  const pg = shapes(pgSchema, 'pg');
  const out: string[] = [];
  for (const name of sqlite.keys()) if (!pg.has(name)) out.push(`${name}: missing on PostgreSQL`);
  for (const name of pg.keys()) if (!sqlite.has(name)) out.push(`${name}: missing on SQLite`);
  for (const [table, a] of sqlite) {
    const b = pg.get(table);
    if (!b) continue;
    for (const column of a.columns.keys()) {
      if (!b.columns.has(column)) out.push(`${table}.${column}: missing on PostgreSQL`);
    }
    for (const [column, pgColumn] of b.columns) {
      const sqliteColumn = a.columns.get(column);
      if (!sqliteColumn) {
        out.push(`${table}.${column}: missing on SQLite`);
        continue;
      }
      for (const field of ['kind', 'notNull', 'default', 'enumValues'] as const) {
        if (sqliteColumn[field] !== pgColumn[field]) {
          out.push(
            `${table}.${column}: ${field} is ${sqliteColumn[field]} on SQLite, ${pgColumn[field]} on PostgreSQL`,
          );
        }
      }
    }
    if (a.primaryKey !== b.primaryKey) {
      out.push(
        `${table}: primary key (${a.primaryKey}) on SQLite, (${b.primaryKey}) on PostgreSQL`,
      );
    }
    for (const [key, value] of a.keys) {
      if (!b.keys.has(key)) out.push(`${table}: ${key} missing on PostgreSQL`);
      else if (b.keys.get(key) !== value) {
        out.push(`${table}: ${key} is ${value} on SQLite, ${b.keys.get(key)} on PostgreSQL`);
      }
    }
    for (const key of b.keys.keys()) {
      if (!a.keys.has(key)) out.push(`${table}: ${key} missing on SQLite`);
    }
  }
  return out;
}
