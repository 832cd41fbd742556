// A real API over a real SQLite file: createCaller with the same context the server builds, a
// cookie jar that behaves like a browser's, and a clock the test moves.
import { createTestDb, type TestDb } from '@tessera/db/testing';
import type { CookieJar, CookieOptions } from '../src/auth/session-cookie.ts';
import { twoFactorSettings } from '../src/auth/two-factor/secret-box.ts';
import { createLiveAnswers } from '../src/chat/live-answers.ts';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { createContext } from '../src/context.ts';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { seedDemoData } from '../src/domain/seed/seed-demo.ts';
import { createSqliteMemberEventBus, type MemberEventBus } from '../src/events/member-event-bus.ts';
import { buildMemberContext } from '../src/member/member-context.ts';
import { appRouter } from '../src/routers/_app.ts';
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

export interface TestApi {
  db: TestDb;
  events: MemberEventBus;
  clock: { now: Date; advance(ms: number): void };
  caller(browser?: Browser): ReturnType<typeof createCaller>;
  /** The request context a browser would get, for callers of other (test-only) routers. */
  contextFor(browser: Browser): ReturnType<typeof createContext>;
  destroy(): void;
}

export function createTestApi(
  options: {
    secureCookies?: boolean;
    start?: Date;
    seedDemo?: boolean;
    timeZone?: string;
    /** Platform admins must enrol in TOTP (ADMIN_TWO_FACTOR_REQUIRED). */
    adminTwoFactorRequired?: boolean;
  } = {},
): TestApi {
  const db = createTestDb();
  const events = createSqliteMemberEventBus(db.sqlite, { intervalMs: 5 });
  const clock = {
    now: options.start ?? new Date('2026-03-01T12:00:00Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const deps = {
    db: db.db,
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
  if (options.seedDemo) seedDemoData(db.db, clock.now);
  const contextFor = (browser: Browser) =>
    createContext(deps, browser, { ip: browser.ip, userAgent: browser.userAgent });
  return {
    db,
    events,
    clock,
    caller: (browser = new Browser()) => createCaller(contextFor(browser)),
    contextFor,
    destroy: () => {
      events.close();
      db.destroy();
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
  api: TestApi,
  email: string,
  password = STRONG_PASSWORD,
  options: { verified?: boolean } = {},
) {
  const browser = new Browser();
  const viewer = await api.caller(browser).auth.signUp({ email, password });
  if (options.verified !== false) markEmailVerified(api, viewer.user.id);
  return { browser, viewer };
}

/** A test-only shortcut for opening the verification link: sets users.email_verified_at. */
export function markEmailVerified(api: TestApi, userId: string) {
  api.db.sqlite
    .prepare('update users set email_verified_at = ? where id = ?')
    .run(api.clock.now.getTime(), userId);
}

/**
 * A signed-up member with `balance` credits, for the chat engine: `context()` builds the member
 * context a chat request is gated with, from their session, at the moment it is called (so marks
 * granted in between are in it).
 */
export async function chatMember(api: TestApi, email: string, balance = 1_000_000) {
  const { browser, viewer } = await signedUp(api, email);
  const userId = viewer.user.id;
  adjustCredits(api.db.db, {
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
    context: () =>
      buildMemberContext(
        api.db.db,
        { user: viewer.user, session: { ...session, userId } },
        new Date(),
      ),
  };
}

/** Ids of the demo catalog's marks and plans, by key and name. */
export function demoIds(api: TestApi) {
  const marks = Object.fromEntries(
    api.db.sqlite
      .prepare('select key, id from marks')
      .all()
      .map((r) => {
        const row = r as { key: string; id: string };
        return [row.key, row.id];
      }),
  ) as Record<string, string>;
  const plans = Object.fromEntries(
    api.db.sqlite
      .prepare('select name, id from plans')
      .all()
      .map((r) => {
        const row = r as { name: string; id: string };
        return [row.name, row.id];
      }),
  ) as Record<string, string>;
  return { marks, plans };
}
