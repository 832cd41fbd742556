// Test databases on PostgreSQL, the same way as SQLite's testing.ts: one template database
// migrated once per migrations content, then every test file gets its own
// `CREATE DATABASE … TEMPLATE` copy (tens of ms): the real engine, nothing shared between files.
//
// TEST_DATABASE_URL is an admin URL (a role with CREATEDB); the default matches `pnpm services`.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPgDb, migratePgDb, PG_MIGRATIONS_FOLDER, type PgDbHandle } from './pg/client.ts';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://tessera:tessera@127.0.0.1:5432/postgres';

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

/** The same server as `base`, another database. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A hash of the migrations and of the role that builds the template: the tables of a copy belong
 * to the template's builder, so another role (another person on a shared server) needs its own.
 */
function templateFingerprint(): string {
  const hash = createHash('sha256');
  hash.update(`${new URL(testDatabaseUrl()).username || process.env.PGUSER || ''}\n`);
  for (const name of readdirSync(PG_MIGRATIONS_FOLDER).sort()) {
    if (name.endsWith('.sql'))
      hash.update(name).update(readFileSync(join(PG_MIGRATIONS_FOLDER, name)));
  }
  hash.update(readFileSync(join(PG_MIGRATIONS_FOLDER, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 12);
}

/** The template's name for the current migrations: a changed migration gets a new template. */
export function templateDatabaseName(): string {
  return `tessera_tpl_${templateFingerprint()}`;
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

let template: Promise<string> | undefined;

/**
 * Name of the migrated template for the current migrations, built on first use. Several vitest
 * workers (or several test runs) starting together serialise on an advisory lock; the template is
 * migrated under a temporary name and renamed when complete, so a crash halfway never leaves a
 * half-migrated template behind under the real name.
 */
export function ensureTemplateDatabase(): Promise<string> {
  template ??= buildTemplateDatabase(templateDatabaseName()).catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

/**
 * Creates the migrated database `name` unless it exists; returns when it does. Concurrent callers
 * (any process) wait on one advisory lock, so it is built once.
 */
export async function buildTemplateDatabase(name: string): Promise<string> {
  const lockKey = Number.parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16);
  return withAdminClient(async (admin) => {
    await admin.query('select pg_advisory_lock($1)', [lockKey]);
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount) return name;
      const building = `${name}_b${randomBytes(3).toString('hex')}`;
      await admin.query(`create database ${quote(building)}`);
      try {
        const handle = createPgDb(databaseUrl(testDatabaseUrl(), building), { max: 1 });
        try {
          await migratePgDb(handle.db);
        } finally {
          await handle.close();
        }
        await admin.query(`alter database ${quote(building)} rename to ${quote(name)}`);
      } catch (error) {
        await admin.query(`drop database if exists ${quote(building)} with (force)`);
        throw error;
      }
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [lockKey]);
    }
  });
}

export interface TestPgDatabase extends PgDbHandle {
  /** The database's own name and URL (for a server process under test). */
  name: string;
  url: string;
  /** Closes the pool and drops the database (other sessions on it are ended). */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own. Use one per test file (beforeAll / afterAll → drop()).
 * `prefix` names it (letters, digits, `_`), so a shared server shows whose databases are whose.
 */
export async function createTestPgDatabase(prefix = 'tessera_test'): Promise<TestPgDatabase> {
  const templateName = await ensureTemplateDatabase();
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (admin) => {
    // Copying fails while another session is connected to the template (only ever briefly, while
    // another worker checks it); a short retry covers that.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${quote(name)} template ${quote(templateName)}`);
        return;
      } catch (error) {
        const busy = (error as { code?: string }).code === '55006';
        if (!busy || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 + attempt * 10));
      }
    }
  });
  const url = databaseUrl(testDatabaseUrl(), name);
  const handle = createPgDb(url, { max: 4 });
  let dropped = false;
  return {
    ...handle,
    name,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await handle.close();
      await withAdminClient((admin) =>
        admin.query(`drop database if exists ${quote(name)} with (force)`),
      );
    },
  };
}

/** The PostgreSQL side of a test's engine-neutral `sql()` (see runSharedSql in testing.ts). */
export async function runSharedSqlPg<Row>(
  database: Pick<PgDbHandle, 'pool'>,
  text: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  const values = params.map((v) => (v instanceof Date ? v.getTime() : v));
  return (await database.pool.query(text, values)).rows as Row[];
}

/**
 * An empty database (no tables, not from the template), for a test of migrating at start-up:
 * PostgreSQL's counterpart of a SQLite path with no file yet. `drop()` removes it.
 */
export async function createEmptyTestPgDatabase(
  prefix = 'tessera_empty',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((admin) => admin.query(`create database ${quote(name)}`));
  return {
    name,
    url: databaseUrl(testDatabaseUrl(), name),
    drop: () =>
      withAdminClient(async (admin) => {
        await admin.query(`drop database if exists ${quote(name)} with (force)`);
      }),
  };
}
