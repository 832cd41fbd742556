// Several real server processes (`src/main.ts`, as `pnpm serve` runs it) on one SQLite file and
// one Redis: what an operator runs behind a reverse proxy. Each test run gets its own key prefix,
// so runs sharing a Redis server never hear each other.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { CookieFetch, trpcClient } from './harness.ts';

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
