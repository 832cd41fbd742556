// CI check (`pnpm db:check`), for both engines (docs/decisions/027):
// 1. The committed migrations describe the current schema, for SQLite and for PostgreSQL.
//    drizzle-kit generates into a scratch copy of each migrations folder; if it writes a new
//    migration, someone edited a schema without running `pnpm db:generate` / `pnpm generate:pg`.
// 2. The two schemas describe the same database (src/pg/parity.ts): same tables, columns,
//    nullability, keys, indexes, foreign keys and checks.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../src/client.ts';
import { PG_MIGRATIONS_FOLDER } from '../src/pg/client.ts';
import { schemaDifferences } from '../src/pg/parity.ts';
import * as pgSchema from '../src/pg/schema/index.ts';
import * as sqliteSchema from '../src/schema/index.ts';

interface Engine {
  label: string;
  dialect: 'sqlite' | 'postgresql';
  schema: string;
  migrations: string;
  generate: string;
}

const engines: Engine[] = [
  {
    label: 'SQLite',
    dialect: 'sqlite',
    schema: './src/schema/index.ts',
    migrations: MIGRATIONS_FOLDER,
    generate: 'pnpm db:generate',
  },
  {
    label: 'PostgreSQL',
    dialect: 'postgresql',
    schema: './src/pg/schema/index.ts',
    migrations: PG_MIGRATIONS_FOLDER,
    generate: 'pnpm --filter @tessera/db generate:pg',
  },
];

// drizzle-kit prefixes `--out` with './', so an absolute path (the system temp folder) fails with
// ENOENT — and it still exits 0. Hence a scratch folder under this package (git-ignored), given as
// a relative path, and a check that drizzle-kit said what it did.
mkdirSync('.tmp', { recursive: true });
let failed = false;
for (const engine of engines) {
  const scratch = mkdtempSync(join('.tmp', 'migrations-'));
  try {
    if (!checkMigrations(engine, scratch)) failed = true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (!checkParity()) failed = true;
process.exitCode = failed ? 1 : 0;

function checkMigrations(engine: Engine, scratch: string): boolean {
  cpSync(engine.migrations, scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  const output = execFileSync(
    'drizzle-kit',
    [
      'generate',
      '--dialect',
      engine.dialect,
      '--schema',
      engine.schema,
      '--casing',
      'snake_case',
      '--out',
      `./${scratch}`,
    ],
    { stdio: 'pipe', encoding: 'utf8' },
  );
  const added = readdirSync(scratch).filter((name) => !before.includes(name));
  if (added.length > 0) {
    console.error(
      `${engine.label}: schema and migrations disagree: drizzle-kit would add ${added.join(', ')}.`,
    );
    console.error(`Run \`${engine.generate}\`, read the SQL, and commit it.`);
    return false;
  }
  if (!/nothing to migrate/i.test(output)) {
    console.error(
      `${engine.label}: drizzle-kit neither generated a migration nor said the schema is unchanged:`,
    );
    console.error(output);
    return false;
  }
  const count = before.filter((n) => n.endsWith('.sql')).length;
  console.log(`${engine.label}: schema and migrations agree (${count} migrations).`);
  return true;
}

function checkParity(): boolean {
  const differences = schemaDifferences(sqliteSchema, pgSchema);
  if (differences.length > 0) {
    console.error('The SQLite schema and its PostgreSQL mirror (src/pg/schema) differ:');
    for (const line of differences) console.error(`  ${line}`);
    console.error('Mirror the change in the other schema, then generate its migration too.');
    return false;
  }
  console.log('SQLite and PostgreSQL schemas describe the same tables, columns and keys.');
  return true;
}
