// The PostgreSQL migrations and the test-database harness, on a real PostgreSQL server
// (TEST_DATABASE_URL; `pnpm services` starts one). Run with `pnpm test:scale`.
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateDb } from '../src/client.ts';
import { migratePgDb } from '../src/pg/client.ts';
import {
  appMeta,
  createPgDb,
  creditAccounts,
  creditLedger,
  creditReservations,
  marks,
  memberships,
  models,
  tenants,
  usageCounters,
  users,
} from '../src/pg/index.ts';
import {
  buildTemplateDatabase,
  createTestPgDatabase,
  databaseUrl,
  type TestPgDatabase,
  testDatabaseUrl,
} from '../src/testing-pg.ts';

/** The SQLSTATE of a failed query (drizzle wraps the driver's error in `cause`). */
async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
  return undefined;
}

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

  it('round-trips the credit tables with their types', async () => {
    const { db } = a;
    await db.insert(users).values(user('u2'));
    await db
      .insert(creditAccounts)
      .values({ userId: 'u2', balance: 5_000_000_000, updatedAt: now });
    await db.insert(creditLedger).values({
      id: 1,
      userId: 'u2',
      delta: 5_000_000_000,
      balanceAfter: 5_000_000_000,
      kind: 'refill',
      idempotencyKey: 'refill:u2:free:1',
      createdAt: now,
    });
    await db.insert(creditReservations).values({
      id: 'req-1',
      userId: 'u2',
      amount: 700,
      status: 'open',
      createdAt: now,
    });
    await db.insert(usageCounters).values({
      userId: 'u2',
      window: 'day',
      periodStart: now.getTime(),
      requests: 1,
    });

    const [account] = await db.select().from(creditAccounts).where(eq(creditAccounts.userId, 'u2'));
    expect(account).toEqual({
      userId: 'u2',
      balance: 5_000_000_000, // beyond 2^31: bigint, read back as a number
      reserved: 0,
      purchased: 0,
      dailyRequestCap: null,
      monthlyCreditCap: null,
      updatedAt: now,
    });
    const [entry] = await db.select().from(creditLedger);
    expect(entry).toMatchObject({ id: 1, pot: 'allowance', createdAt: now });
    const [reservation] = await db.select().from(creditReservations);
    expect(reservation).toMatchObject({ amount: 700, charged: null, settledAt: null });
    const [counter] = await db.select().from(usageCounters);
    expect(counter).toMatchObject({ periodStart: now.getTime(), requests: 1, credits: 0 });

    // Raw queries on the pool read int8 as numbers too.
    const raw = await a.pool.query('select balance, updated_at from credit_accounts');
    expect(raw.rows).toEqual([{ balance: 5_000_000_000, updated_at: now.getTime() }]);
  });

  it('enforces the credit constraints', async () => {
    const { db } = a;
    await db.insert(users).values(user('u3'));
    const account = { userId: 'u3', updatedAt: now };
    // 0 ≤ purchased ≤ balance
    expect(
      await sqlState(db.insert(creditAccounts).values({ ...account, balance: 10, purchased: 11 })),
    ).toBe('23514');
    // reserved ≤ balance
    expect(
      await sqlState(db.insert(creditAccounts).values({ ...account, balance: 10, reserved: 11 })),
    ).toBe('23514');
    await db.insert(creditAccounts).values({ ...account, balance: 10, purchased: 10 });
    // A guarded spend that would break the invariant fails as a whole.
    expect(
      await sqlState(
        db
          .update(creditAccounts)
          .set({ balance: sql`${creditAccounts.balance} - 5` })
          .where(eq(creditAccounts.userId, 'u3')),
      ),
    ).toBe('23514');

    const entry = {
      userId: 'u3',
      delta: 10,
      balanceAfter: 10,
      kind: 'purchase' as const,
      createdAt: now,
    };
    await db.insert(creditLedger).values({ ...entry, id: 1, idempotencyKey: 'pack:u3:1' });
    // The idempotency key is unique: a retried grant cannot land twice.
    expect(
      await sqlState(
        db.insert(creditLedger).values({ ...entry, id: 2, idempotencyKey: 'pack:u3:1' }),
      ),
    ).toBe('23505');
    // (user_id, id) is the primary key.
    expect(
      await sqlState(db.insert(creditLedger).values({ ...entry, id: 1, idempotencyKey: 'other' })),
    ).toBe('23505');
    // A reservation charges at most its amount.
    expect(
      await sqlState(
        db.insert(creditReservations).values({
          id: 'req-x',
          userId: 'u3',
          amount: 5,
          charged: 6,
          status: 'settled',
          createdAt: now,
        }),
      ),
    ).toBe('23514');
    // One counter row per (user, window, period).
    const counter = { userId: 'u3', window: 'day' as const, periodStart: 1 };
    await db.insert(usageCounters).values(counter);
    expect(await sqlState(db.insert(usageCounters).values(counter))).toBe('23505');
    // A counter never goes negative.
    expect(
      await sqlState(db.insert(usageCounters).values({ ...counter, periodStart: 2, requests: -1 })),
    ).toBe('23514');
    // Rows belong to a user that exists.
    expect(
      await sqlState(db.insert(creditAccounts).values({ userId: 'nobody', updatedAt: now })),
    ).toBe('23503');
  });

  it('bumps the auth epoch in the same transaction as an access change', async () => {
    const { db } = b;
    const epoch = async () =>
      (await db.select().from(appMeta).where(eq(appMeta.key, 'auth_epoch')))[0]?.value;
    const before = Number(await epoch());
    await db.insert(users).values(user('u4'));
    expect(Number(await epoch())).toBe(before); // a new account takes nothing away
    await db.insert(memberships).values({
      id: 'm1',
      userId: 'u4',
      markId: 'free',
      startsAt: now,
      status: 'active',
      source: 'signup',
      createdAt: now,
      updatedAt: now,
    });
    expect(Number(await epoch())).toBe(before + 1);
    await db.update(users).set({ disabledAt: now }).where(eq(users.id, 'u4'));
    expect(Number(await epoch())).toBe(before + 2);
    await db
      .update(tenants)
      .set({ ceiling: { models: [] } })
      .where(eq(tenants.id, 'platform'));
    expect(Number(await epoch())).toBe(before + 3);
  });

  it('keeps the slug rule of SQLite', async () => {
    const mark = {
      tenantId: 'platform',
      name: 'X',
      entitlements: {},
      createdAt: now,
      updatedAt: now,
    };
    await a.db.insert(marks).values({ ...mark, id: 'ok', slug: 'pro-2', key: 'pro-2' });
    for (const slug of ['Pro', 'a:b', 'a b', '']) {
      expect(
        await sqlState(a.db.insert(marks).values({ ...mark, id: slug, slug, key: `k${slug}` })),
      ).toBe('23514');
    }
  });
});
