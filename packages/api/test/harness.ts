// A real API over a real database: createCaller with the same context the server builds, a
// cookie jar that behaves like a browser's, and a clock the test moves. `createTestApi` is a SQLite
// file (tests of SQLite functions reach `api.db`); `openTestApi` is the engine of the run
// (TEST_ENGINE=postgres: a fresh PostgreSQL database), for tests that go through `stores` and
// `sql` only, so one body checks both engines (decision 043).
import type { Db } from '@tessera/db';
import { createTestDb, runSharedSql, type TestDb } from '@tessera/db/testing';
import type { CookieJar, CookieOptions } from '../src/auth/session-cookie.ts';
import { twoFactorSettings } from '../src/auth/two-factor/secret-box.ts';
import type { ChatDeps } from '../src/chat/chat-types.ts';
import { createLiveAnswers } from '../src/chat/live-answers.ts';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { createContext } from '../src/context.ts';
import { adjustCreditsThrough } from '../src/domain/credits/adjust-credits.ts';
import { seedDemoData } from '../src/domain/seed/seed-demo.ts';
import type { MemberEventBus } from '../src/events/member-event-bus.ts';
import type { MemberContext } from '../src/member/member-context.ts';
import { appRouter } from '../src/routers/_app.ts';
import { type Engine, type Stores, sqliteStoresOf } from '../src/storage/stores.ts';
import { createCallerFactory } from '../src/trpc.ts';

const createCaller = createCallerFactory(appRouter);

export class Browser implements CookieJar {
  readonly cookies = new Map<string, { value: string; options: CookieOptions }>();
  constructor(
    readonly ip: string | null = '203.0.113.7',
    readonly userAgent = 'vitest-browser',
  ) {}
  get(name: string) {
    return this.cookies.get(name)?.value;
  }
  set(name: string, value: string, options: CookieOptions) {
    if (options.expires.getTime() <= 0) this.cookies.delete(name);
    else this.cookies.set(name, { value, options });
  }
}

/** The API on either engine: everything but the SQLite handle. */
export interface EngineTestApi {
  engine: Engine;
  /** The database through the same ports the routers use. */
  stores: Stores;
  /**
   * One fixture or assertion statement in the SQL both engines share (`$1, $2…` placeholders,
   * `true`/`false`, integer ms timestamps); returns its rows. For what no port offers.
   */
  sql<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  events: MemberEventBus;
  clock: { now: Date; advance(ms: number): void };
  caller(browser?: Browser): ReturnType<typeof createCaller>;
  /** The request context a browser would get, for callers of other (test-only) routers. */
  contextFor(browser: Browser): ReturnType<typeof createContext>;
  destroy(): void | Promise<void>;
}

/** The API on a SQLite file, with its handle for tests of SQLite functions. */
export interface TestApi extends EngineTestApi {
  db: TestDb;
  destroy(): void;
}

export interface TestApiOptions {
  secureCookies?: boolean;
  start?: Date;
  seedDemo?: boolean;
  timeZone?: string;
  /** Platform admins must enrol in TOTP (ADMIN_TWO_FACTOR_REQUIRED). */
  adminTwoFactorRequired?: boolean;
}

/** The engine of this run: TEST_ENGINE=postgres, else SQLite. */
export function testEngine(): Engine {
  return process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

export function createTestApi(options: TestApiOptions = {}): TestApi {
  const db = createTestDb();
  const stores = sqliteStoresOf(db.db);
  const api = assembleApi(stores, db.db, options, async () => db.destroy());
  if (options.seedDemo) seedDemoData(db.db, api.clock.now);
  return {
    ...api,
    db,
    sql: async (text, params) => runSharedSql(db.sqlite, text, params),
    destroy() {
      api.events.close();
      db.destroy();
    },
  };
}

/** The API on the engine of this run (testEngine()): use `stores` and `sql`, never a handle. */
export async function openTestApi(options: TestApiOptions = {}): Promise<EngineTestApi> {
  if (testEngine() === 'sqlite') return createTestApi(options);
  // Loaded only on PostgreSQL runs, so the SQLite suite never loads node-postgres.
  const [{ createTestPgDatabase, runSharedSqlPg }, { createPgStores }] = await Promise.all([
    import('@tessera/db/testing-pg'),
    import('../src/storage/pg/pg-stores.ts'),
  ]);
  const database = await createTestPgDatabase('api');
  const stores = createPgStores(database);
  const api = assembleApi(stores, NO_SQLITE, options, () => database.drop());
  if (options.seedDemo) await stores.catalog.seedDemo(api.clock.now);
  return {
    ...api,
    sql: (text, params) => runSharedSqlPg(database, text, params),
    async destroy() {
      api.events.close();
      await database.drop();
    },
  };
}

/** A PostgreSQL run's `deps.db`: any use is a path still tied to SQLite, and fails loudly. */
const NO_SQLITE = new Proxy({} as Db, {
  get(_target, property) {
    if (property === 'then') return undefined;
    throw new Error(`deps.db.${String(property)}: this path needs SQLite (TEST_ENGINE=postgres)`);
  },
});

function assembleApi(
  stores: Stores,
  db: Db,
  options: TestApiOptions,
  drop: () => Promise<void>,
): Omit<EngineTestApi, 'sql'> {
  const events = stores.ops.memberEventBus({ intervalMs: 5 });
  const clock = {
    now: options.start ?? new Date('2026-03-01T12:00:00Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const deps = {
    db,
    stores,
    secureCookies: options.secureCookies ?? false,
    exposeErrorDetails: false,
    now: () => clock.now,
    events,
    timeZone: options.timeZone ?? 'UTC',
    providers: createProviderRegistry({
      demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 2000 }),
    }),
    liveAnswers: createLiveAnswers({ graceMs: 100 }),
    twoFactor: twoFactorSettings({
      encryptionKey: 'test-two-factor-key-0123456789',
      adminRequired: options.adminTwoFactorRequired ?? false,
    }),
  };
  const contextFor = (browser: Browser) =>
    createContext(deps, browser, { ip: browser.ip, userAgent: browser.userAgent });
  return {
    engine: stores.engine,
    stores,
    events,
    clock,
    caller: (browser = new Browser()) => createCaller(contextFor(browser)),
    contextFor,
    async destroy() {
      events.close();
      await drop();
    },
  };
}

export const STRONG_PASSWORD = 'tessellated-mosaic-42';

/**
 * Signs up a fresh account in its own browser and returns both. The address counts as verified
 * (as if the mailed link had been opened) unless `verified: false`: trials, plan codes and
 * checkout need it (decision 022); the verification tests use the real link.
 */
export async function signedUp(
  api: EngineTestApi,
  email: string,
  password = STRONG_PASSWORD,
  options: { verified?: boolean } = {},
) {
  const browser = new Browser();
  const viewer = await api.caller(browser).auth.signUp({ email, password });
  if (options.verified !== false) await markEmailVerified(api, viewer.user.id);
  return { browser, viewer };
}

/** A test-only shortcut for opening the verification link: sets users.email_verified_at. */
export async function markEmailVerified(api: EngineTestApi, userId: string): Promise<void> {
  await api.sql('update users set email_verified_at = $1 where id = $2', [api.clock.now, userId]);
}

/**
 * A signed-up member with `balance` credits, for the chat engine: `context()` builds the member
 * context a chat request is gated with, from their session, at the moment it is called (so marks
 * granted in between are in it).
 */
export async function chatMember(api: EngineTestApi, email: string, balance = 1_000_000) {
  const { browser, viewer } = await signedUp(api, email);
  const userId = viewer.user.id;
  await adjustCreditsThrough((move) => api.stores.money.moveCredits(move), {
    userId,
    mode: 'set',
    amount: balance,
    reason: 'test',
    actorUserId: null,
    now: api.clock.now,
  });
  const session = (await api.caller(browser).auth.sessions())[0]!;
  return {
    userId,
    browser,
    async context(): Promise<MemberContext> {
      const auth = { user: viewer.user, session: { ...session, userId } };
      const member = await api.stores.members.currentMember(auth, new Date());
      if (!member) throw new Error(`${email} no longer qualifies as a member`);
      return member;
    },
  };
}

/** Ids of the demo catalog's marks and plans, by key and name. */
export async function demoIds(api: EngineTestApi) {
  const byKey = async (text: string) => {
    const rows = await api.sql<{ name: string; id: string }>(text);
    return Object.fromEntries(rows.map((row) => [row.name, row.id])) as Record<string, string>;
  };
  return {
    marks: await byKey('select key as name, id from marks'),
    plans: await byKey('select name, id from plans'),
  };
}

/**
 * The SQLite connection behind an `openTestApi` on SQLite, which the routers hand the chat
 * engine's watcher there (its re-check stays synchronous, decision 006); undefined on PostgreSQL.
 */
export function sqliteDbOf(api: EngineTestApi): Db | undefined {
  return api.engine === 'sqlite' && 'db' in api ? (api as TestApi).db.db : undefined;
}

/**
 * The chat engine's deps as the routers build them on this run's engine: the stores, the bus,
 * and on SQLite the connection (sqliteDbOf). `providers` and anything else may be replaced.
 */
export function chatDepsOf(
  api: EngineTestApi,
  over: Partial<ChatDeps> & Pick<ChatDeps, 'providers'>,
): ChatDeps {
  return {
    stores: api.stores,
    db: sqliteDbOf(api),
    events: api.events,
    now: () => new Date(),
    timeZone: 'UTC',
    ...over,
  };
}

/**
 * Takes every mark's refill away, so a low balance stays low (the entitlements JSON is edited in
 * TypeScript: SQLite's json_set has no PostgreSQL twin in the shared SQL).
 */
export async function withoutRefills(api: EngineTestApi) {
  const marks = await api.sql<{ id: string; entitlements: string | Record<string, unknown> }>(
    'select id, entitlements from marks',
  );
  for (const { id, entitlements } of marks) {
    const parsed = typeof entitlements === 'string' ? JSON.parse(entitlements) : entitlements;
    await api.sql('update marks set entitlements = $1 where id = $2', [
      JSON.stringify({ ...parsed, refill: null }),
      id,
    ]);
  }
}

/**
 * Lets the member-event bus read what is already written, so a subscriber made next hears only
 * what comes after. On PostgreSQL the bus's cursor starts with the bus (decision 035) and would
 * hand a first subscriber everything written since, e.g. the member's own sign-up grant.
 */
export async function busUpToDate(api: EngineTestApi): Promise<void> {
  const stop = api.events.subscribe('(nobody)', () => {});
  api.events.poke();
  await api.events.catchUp();
  stop();
}
