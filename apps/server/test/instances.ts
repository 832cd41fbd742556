// Several real server processes (`src/main.ts`, as `pnpm serve` runs it) on one database (a SQLite
// file, or a PostgreSQL database with TEST_ENGINE=postgres: test-storage.ts) and one Redis: what an
// operator runs behind a reverse proxy. Each test run gets its own key prefix, so runs sharing a
// Redis server never hear each other.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { adjustCreditsThrough, type Stores } from '@tessera/api';
import { Redis } from 'ioredis';
import { CookieFetch, STRONG_PASSWORD, trpcClient } from './harness.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other run uses: `t<pid>-<random>:`. */
export function uniquePrefix(): string {
  return `t${process.pid}-${randomBytes(4).toString('hex')}:`;
}

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process printed (JSON log lines). */
  output(): string;
  /** A browser tab on this instance carrying `jar`'s cookies (the session works everywhere). */
  browser(jar?: Map<string, string>): CookieFetch;
  trpc(browser: CookieFetch): ReturnType<typeof trpcClient>;
  stop(): Promise<void>;
}

export async function startInstance(
  name: string,
  env: Record<string, string>,
  spawned: ChildProcess[],
): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      REFILL_SCHEDULER: 'false',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child); // killed after the tests even if start-up failed half-way
  let output = '';
  child.stdout!.on('data', (c: Buffer) => {
    output += c;
  });
  child.stderr!.on('data', (c: Buffer) => {
    output += c;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = output.match(/"url":"(http:\/\/[^"]+)"/);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${output}`)));
  });
  return {
    name,
    url,
    child,
    output: () => output,
    browser(jar) {
      const browser = new CookieFetch(url);
      for (const [k, v] of jar ?? []) browser.jar.set(k, v);
      return browser;
    },
    trpc: (browser) => trpcClient(url, browser),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Ends the Redis connections this run's instances opened under `name` (CLIENT KILL by id). */
export async function killRedisClients(prefix: string, role: 'subscribe' | 'publish') {
  const admin = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .map((line) => Object.fromEntries(line.split(' ').map((kv) => kv.split('=', 2))))
      .filter((fields) => fields.name === `${prefix}${role}`)
      .map((fields) => fields.id as string);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/**
 * The environment of an instance in a run: one database (`database`: DATABASE_PATH or
 * DATABASE_URL, as `TestStorage.env` gives it), one Redis, this run's key prefix.
 */
export function instanceEnv(
  database: Record<string, string>,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...database,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    MEMBER_EVENTS_SAFETY_POLL_MS: String(3_600_000),
    DEMO_TOKENS_PER_SECOND: '40',
    CHAT_RESUME_GRACE_MS: '1500',
    ...extra,
  };
}

/**
 * A member signed up on `on` with credits set through the ledger (`stores`, the run's database)
 * and, with `grant`, a mark granted by the admin (whose client `admin` is). Returns the cookie
 * header the SSE reader needs.
 */
export async function fundedMember(
  stores: Stores,
  on: Instance,
  email: string,
  grant?: { admin: ReturnType<typeof trpcClient>; markId: string },
) {
  const browser = on.browser();
  const viewer = await on.trpc(browser).auth.signUp.mutate({ email, password: STRONG_PASSWORD });
  const userId = viewer.user.id;
  await adjustCreditsThrough((move) => stores.money.moveCredits(move), {
    userId,
    mode: 'set',
    amount: 10_000_000,
    reason: 'test funds',
    actorUserId: null,
    now: new Date(),
  });
  if (grant)
    await grant.admin.admin.memberships.grant.mutate({ userId, markId: grant.markId, days: 30 });
  const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { userId, jar: browser.jar, cookie };
}
