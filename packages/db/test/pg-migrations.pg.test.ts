// The PostgreSQL migrations and the test-database harness, on a real PostgreSQL server
// (TEST_DATABASE_URL; `pnpm services` starts one). Run with `pnpm test:scale`.
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateDb } from '../src/client.ts';
import { migratePgDb } from '../src/pg/client.ts';
import { appMeta, createPgDb, marks, models, tenants, users } from '../src/pg/index.ts';
import * as sqliteSchema from '../src/schema/index.ts';
import {
  buildTemplateDatabase,
  createTestPgDatabase,
  databaseUrl,
  type TestPgDatabase,
  testDatabaseUrl,
} from '../src/testing-pg.ts';

const now = new Date('2026-01-02T03:04:05.678Z');

describe('migrations on a fresh database', () => {
  const name = `pg_schema_fresh_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database "${name}"`);
  });
  afterAll(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it('apply cleanly, twice, and seed what the app needs', async () => {
    const handle = createPgDb(databaseUrl(testDatabaseUrl(), name), { max: 2 });
    try {
      await migratePgDb(handle.db);
      await migratePgDb(handle.db); // a second start finds nothing to do
      const { db } = handle;
      expect(await db.select({ id: tenants.id, kind: tenants.kind }).from(tenants)).toEqual([
        { id: 'platform', kind: 'platform' },
      ]);
      const [free] = await db.select().from(marks).where(eq(marks.key, 'free'));
      expect(free?.entitlements).toMatchObject({ requestsPerDay: 20, models: ['tessera-mini'] });
      const seeded = await db
        .select({ id: models.id, vision: models.vision })
        .from(models)
        .orderBy(models.id);
      expect(seeded).toEqual([
        { id: 'tessera-mini', vision: false },
        { id: 'tessera-plus', vision: true },
        { id: 'tessera-ultra', vision: true },
      ]);
      const [epoch] = await db.select().from(appMeta).where(eq(appMeta.key, 'auth_epoch'));
      expect(epoch?.value).toBe('0');
    } finally {
      await handle.close();
    }
  });

  it('add what the SQLite migrations add by hand: the same triggers and seed rows', async () => {
    const sqlite = createDb(':memory:');
    migrateDb(sqlite.db);
    const handle = createPgDb(databaseUrl(testDatabaseUrl(), name), { max: 1 });
    try {
      await migratePgDb(handle.db);
      const sqliteTriggers = sqlite.sqlite
        .prepare('select name, tbl_name as "table" from sqlite_master where type = \'trigger\'')
        .all();
      const pgTriggers = await handle.pool.query(
        `select tgname as name, tgrelid::regclass::text as "table"
           from pg_trigger where not tgisinternal`,
      );
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(pgTriggers.rows.sort(byName)).toEqual(
        (sqliteTriggers as { name: string }[]).sort(byName),
      );

      const seeded = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
      for (const [table, columns] of [
        ['tenants', 'id, kind, slug, name'],
        ['marks', 'id, tenant_id, key, description'],
        ['models', 'id, input_price_per_million, output_price_per_million, provider_id'],
        ['app_meta', 'key, value'],
      ] as const) {
        const query = `select ${columns} from ${table}`;
        expect(seeded((await handle.pool.query(query)).rows), table).toEqual(
          seeded(sqlite.sqlite.prepare(query).all()),
        );
      }
      // Whole rows through Drizzle (JSON, booleans), all but the moment they were written.
      const undated = (rows: Record<string, unknown>[]) =>
        rows.map(({ createdAt: _c, updatedAt: _u, ...row }) => row);
      for (const [pgTable, sqliteTable] of [
        [tenants, sqliteSchema.tenants],
        [marks, sqliteSchema.marks],
        [models, sqliteSchema.models],
      ] as const) {
        const pgRows = await handle.db.select().from(pgTable).orderBy(pgTable.id);
        const sqliteRows = sqlite.db.select().from(sqliteTable).orderBy(sqliteTable.id).all();
        expect(undated(pgRows)).toEqual(undated(sqliteRows));
      }
    } finally {
      await handle.close();
      sqlite.close();
    }
  });
});

describe('the template database', () => {
  it('is built once when several workers ask for it at the same moment', async () => {
    const name = `pg_schema_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      // Four callers, four sessions: each finds, or builds, the template under the advisory lock.
      const built = await Promise.all([1, 2, 3, 4].map(() => buildTemplateDatabase(name)));
      expect(built).toEqual([name, name, name, name]);
      const databases = await admin.query('select datname from pg_database where datname like $1', [
        `${name}%`,
      ]);
      // Exactly the template: no second build, no half-built database left under another name.
      expect(databases.rows).toEqual([{ datname: name }]);
      const copy = new pg.Client({ connectionString: databaseUrl(testDatabaseUrl(), name) });
      await copy.connect();
      try {
        const migrated = await copy.query(
          'select count(*)::int as n from drizzle.__drizzle_migrations',
        );
        expect(migrated.rows[0].n).toBeGreaterThan(0);
      } finally {
        await copy.end();
      }
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});

describe('a test database from the template', () => {
  let a: TestPgDatabase;
  let b: TestPgDatabase;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      createTestPgDatabase('pg_schema_a'),
      createTestPgDatabase('pg_schema_b'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  const user = (id: string) => ({
    id,
    email: `${id}@example.com`,
    passwordHash: 'x',
    createdAt: now,
  });

  it('is migrated and isolated: a row written in one is absent from another', async () => {
    await a.db.insert(users).values(user('u1'));
    expect(await a.db.select({ id: users.id }).from(users)).toEqual([{ id: 'u1' }]);
    expect(await b.db.select({ id: users.id }).from(users)).toEqual([]);
    expect(a.name).not.toBe(b.name);
  });

  it('drop() removes the database', async () => {
    const c = await createTestPgDatabase('pg_schema_c');
    await c.drop();
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const left = await admin.query('select 1 from pg_database where datname = $1', [c.name]);
      expect(left.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
