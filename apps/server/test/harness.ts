// Real HTTP on a random port against a real SQLite file copied from the migrated template.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppRouter, adjustCreditsThrough, createAccount } from '@tessera/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import { runCli } from '../src/cli/run-cli.ts';
import type { AppConfig } from '../src/config.ts';
import { type Engine, openTestStorage, type TestStorage, testEngine } from './test-storage.ts';

/** A throwaway "built SPA" so static serving can be tested without running Vite. */
export function fakeWebDist(): string {
  const parent = mkdtempSync(join(tmpdir(), 'tessera-web-'));
  // A file beside the web root that path traversal must never reach.
  writeFileSync(join(parent, 'secret.txt'), 'TOP-SECRET');
  const dir = join(parent, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Tessera</title><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("tessera")');
  return dir;
}

export interface TestServer extends RunningApp {
  /** The SQLite file (on a TEST_ENGINE=postgres run: a placeholder; use `storage`). */
  databasePath: string;
  /** The server's database as the test reaches it: through the ports, on either engine. */
  storage: TestStorage;
  stop(): Promise<void>;
}

/**
 * A server on a fresh database: a copy of the migrated SQLite template or, on a
 * TEST_ENGINE=postgres run (`pnpm test:pg`), a fresh PostgreSQL database (test-storage.ts).
 */
export async function startTestServer(
  config: Partial<AppConfig> = {},
  engine: Engine = testEngine(),
): Promise<TestServer> {
  const storage = await openTestStorage(engine);
  const app = await startApp({
    host: '127.0.0.1',
    webDistDir: fakeWebDist(),
    ...config,
    ...storage.config,
  }).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  return {
    ...app,
    databasePath: storage.config.databasePath,
    storage,
    async stop() {
      await app.close();
      await storage.close();
    },
  };
}

/** A fetch that keeps cookies like a browser tab on `origin` would (one jar per instance). */
export class CookieFetch {
  readonly jar = new Map<string, string>();
  readonly setCookieHeaders: string[] = [];
  constructor(readonly origin: string | null) {}

  fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (this.origin && (init.method ?? 'GET') !== 'GET') headers.set('origin', this.origin);
    if (this.jar.size > 0)
      headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(line);
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  };
}

export function trpcClient(url: string, browser: CookieFetch) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, fetch: browser.fetch })],
  });
}

export const STRONG_PASSWORD = 'tessellated-mosaic-42';

export interface SseEvent {
  id: string;
  data: {
    type: string;
    text?: string;
    status?: string;
    charged?: number;
    conversationId?: string;
    reason?: { code: string; message: string };
  };
}

/** Opens `chat.stream` as a browser's EventSource would, yielding the numbered events. */
export async function* chatStream(
  server: TestServer,
  cookie: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
): AsyncGenerator<SseEvent> {
  const url = `${server.url}/trpc/chat.stream?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const id = field('id');
        const data = field('data');
        if (id && data) yield { id, data: JSON.parse(data) as SseEvent['data'] };
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/**
 * The admin CLI run in-process against the test's database, `storage()` (a TestStorage's `config`:
 * the SQLite file or the PostgreSQL URL, so it follows the run's engine): `run(...argv)` resolves to
 * the exit code, `out` and `err` hold what the last run printed, `json()` parses its --json output.
 */
export function cliRunner(storage: () => TestStorage['config'], now?: () => Date) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    run(...argv: string[]) {
      out.length = 0;
      err.length = 0;
      return runCli(argv, {
        ...storage(),
        now,
        io: { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' },
      });
    },
    json: () => JSON.parse(out.join('\n')),
  };
}

/**
 * A member holding Enterprise (API access, every model) with an API key on this server, and the
 * official openai SDK pointed at its `/v1`: what the /v1 tests talk through. `credits` are set on
 * the account (plan allowance) when given.
 */
export async function enterpriseApiMember(server: TestServer, options: { credits?: number } = {}) {
  // Through the ports, so the same setup works on either engine (test-storage.ts).
  const { stores } = server.storage;
  const now = new Date();
  const user = await createAccount(stores, {
    email: 'dev@example.com',
    password: 'a sturdy passphrase',
    now,
  });
  if (options.credits !== undefined)
    await adjustCreditsThrough((move) => stores.money.moveCredits(move), {
      userId: user.id,
      mode: 'set',
      amount: options.credits,
      reason: 'test funds',
      actorUserId: null,
      now,
    });
  await stores.members.grantMark({
    userId: user.id,
    markId: (await stores.catalog.getMarkByKey('enterprise')).id,
    days: 30,
    source: 'admin',
    actorUserId: null,
    now,
  });
  const key = await stores.members.createApiKey({
    userId: user.id,
    name: 'test',
    actorUserId: null,
    now,
  });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key.key, maxRetries: 0 });
  return { user, key: key.key, client };
}

/**
 * A test-only shortcut for opening the mailed verification link (decision 022): trials, plan
 * codes and checkout need a verified address. The verification tests use the real link.
 */
export async function verifyEmailInDb(server: TestServer, userId: string): Promise<void> {
  await server.storage.sql('update users set email_verified_at = created_at where id = $1', [
    userId,
  ]);
}

/** Sets a user's allowance credits through the ports, as an admin adjustment would. */
export async function setCreditsInDb(
  server: TestServer,
  userId: string,
  amount: number,
): Promise<void> {
  const { stores } = server.storage;
  await adjustCreditsThrough((move) => stores.money.moveCredits(move), {
    userId,
    mode: 'set',
    amount,
    reason: 'test funds',
    actorUserId: null,
    now: new Date(),
  });
}

/** How many rows `table` holds (a fixed table name from the test, never input). */
export async function countRows(server: TestServer, table: string): Promise<number> {
  const [row] = await server.storage.sql<{ n: unknown }>(`select count(*) as n from ${table}`);
  // PostgreSQL's count(*) is a bigint, which arrives as a string.
  return Number(row?.n);
}

/** Grants the mark `markKey` (e.g. 'pro') to a user for 30 days through the ports, as an admin would. */
export async function grantMarkInDb(
  server: TestServer,
  userId: string,
  markKey: string,
): Promise<void> {
  const { stores } = server.storage;
  await stores.members.grantMark({
    userId,
    markId: (await stores.catalog.getMarkByKey(markKey)).id,
    days: 30,
    source: 'admin',
    actorUserId: null,
    now: new Date(),
  });
}
