// A run of real server processes on one PostgreSQL database and one Redis (decisions 029, 030,
// 034), for the multi-instance tests of the scale suite: each test takes a database of its own
// (a template copy), seeds the demo catalog through the PostgreSQL stores before any instance
// starts — so fixtures (policies, limits, members) are in place before an instance caches them —
// and starts its instances with the environment it needs (short leases, a fast scheduler tick).
import { adjustCreditsThrough, type Stores } from '@tessera/api';
import { createPgStores } from '@tessera/api/pg';
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { CookieFetch, STRONG_PASSWORD, trpcClient } from './harness.ts';
import { TEST_REDIS_URL, uniquePrefix } from './instances.ts';
import {
  killAllServerProcesses,
  type ServerProcess,
  startServerProcess,
} from './server-process.ts';

export interface PgRun {
  database: TestPgDatabase;
  stores: Stores;
  /** One statement on the run's database; bigint columns come back as strings (wrap in Number). */
  sql<Row extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** `count` instances started together on the run's database and Redis prefix. */
  start(count: number, env?: Record<string, string>): Promise<ServerProcess[]>;
  /** A member with an API key (Enterprise, API access), created through the stores. */
  apiMember(email: string, marks?: string[]): Promise<{ userId: string; key: string }>;
  /** Sets a member's balance through the ledger, as `credits:set` does. */
  setBalance(userId: string, amount: number): Promise<unknown>;
  /** The first account, signed up over HTTP on `on`: the platform admin. Its session's cookies. */
  signUpAdmin(on: ServerProcess): Promise<Map<string, string>>;
  /** What `credits:check` finds wrong, and any credits still reserved: [] when all is settled. */
  ledgerProblems(): Promise<unknown[]>;
  end(): Promise<void>;
}

export async function openPgRun(name: string): Promise<PgRun> {
  const database = await createTestPgDatabase(name);
  const stores = createPgStores(database);
  await stores.catalog.seedDemo(new Date());
  const prefix = uniquePrefix();
  const sql: PgRun['sql'] = async (text, params = []) =>
    (await database.pool.query(text, params)).rows;
  return {
    database,
    stores,
    sql,
    start: (count, env = {}) =>
      Promise.all(
        Array.from({ length: count }, () =>
          // DATABASE_URL wins: the SQLite path is never opened on PostgreSQL (storage.ts).
          startServerProcess('unused-on-postgres.db', {
            DATABASE_URL: database.url,
            REDIS_URL: TEST_REDIS_URL,
            REDIS_KEY_PREFIX: prefix,
            ...env,
          }),
        ),
      ),
    async apiMember(email, marks = ['enterprise']) {
      const now = new Date();
      const user = await stores.auth.createUser({
        email,
        passwordHash: 'never signs in',
        displayName: null,
        platformAdmin: false,
        emailVerified: true,
        actorUserId: null,
        actorLabel: 'test',
        ip: null,
        now,
      });
      for (const mark of marks)
        await stores.members.grantMark({
          userId: user.id,
          markId: (await stores.catalog.getMarkByKey(mark)).id,
          days: 30,
          source: 'admin',
          actorUserId: null,
          now,
        });
      const { key } = await stores.members.createApiKey({
        userId: user.id,
        name: 'test',
        actorUserId: null,
        now,
      });
      return { userId: user.id, key };
    },
    setBalance: (userId, amount) =>
      adjustCreditsThrough((move) => stores.money.moveCredits(move), {
        userId,
        mode: 'set',
        amount,
        reason: 'test funds',
        actorUserId: null,
        now: new Date(),
      }),
    async signUpAdmin(on) {
      const browser = new CookieFetch(on.url);
      await trpcClient(on.url, browser).auth.signUp.mutate({
        email: 'admin@example.com',
        password: STRONG_PASSWORD,
      });
      return browser.jar;
    },
    async ledgerProblems() {
      const report = await stores.money.checkInvariants();
      const held = await sql<{ id: string }>(
        "select id from credit_reservations where status = 'open'",
      );
      const reserved = await sql<{ user_id: string }>(
        'select user_id from credit_accounts where reserved <> 0',
      );
      return [
        ...report.problems,
        ...held.map((r) => `reservation ${r.id} still open`),
        ...reserved.map((r) => `credits still reserved for ${r.user_id}`),
      ];
    },
    async end() {
      killAllServerProcesses();
      await database.drop();
    },
  };
}

/** The tRPC client of a browser on `on` carrying `jar` (sessions live in the database). */
export function consoleOn(on: ServerProcess, jar: Map<string, string>) {
  const browser = new CookieFetch(on.url);
  for (const [k, v] of jar) browser.jar.set(k, v);
  return trpcClient(on.url, browser);
}

/** A /v1 chat completion with an API key; resolves to the status and the parsed body. */
export async function complete(
  on: ServerProcess,
  key: string,
  body: Record<string, unknown> = {},
): Promise<{ status: number; body: { error?: { code: string } } & Record<string, unknown> }> {
  const response = await fetch(`${on.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'tessera-mini',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hello' }],
      ...body,
    }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Polls the async `check` until it gives a value other than undefined/false; fails after `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sets a field of a mark's entitlements (JSON), as an admin's edit would. */
export async function setEntitlement(run: PgRun, markKey: string, field: string, value: unknown) {
  await run.sql(
    'update marks set entitlements = jsonb_set(entitlements, $1::text[], $2::jsonb) where key = $3',
    [[field], JSON.stringify(value), markKey],
  );
}
