// Three real server processes on one SQLite file and one Redis (decision 029), as an operator runs
// them behind a reverse proxy. The instances' own outbox polling is slowed to once an hour (and
// with Redis live, catchUp() never looks at data_version), so whatever reaches another instance in
// time was pushed over Redis. What must hold across instances: a revoke through A cuts a stream on
// B; a user disabled on A is refused on B; the sign-in throttle and /v1 rate limits count once for
// all. (A reconnect landing on another instance: resume-elsewhere.redis.test.ts.)
// Then Redis goes away: nothing crashes, and events still arrive (by polling, or after reconnect).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApiKey, currentNotice, getMarkByKey, sqliteStoresOf } from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStream, STRONG_PASSWORD, type TestServer } from './harness.ts';
import {
  fundedMember,
  type Instance,
  instanceEnv,
  killRedisClients,
  startInstance,
  uniquePrefix,
} from './instances.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
/** Pushed delivery must land well within this (polling, once an hour, cannot). */
const DELIVERY_BOUND_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three instances on one SQLite file and one Redis', () => {
  const spawned: ChildProcess[] = [];
  const prefix = uniquePrefix();
  let path: string;
  let handle: DbHandle;
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let adminJar: Map<string, string>;
  let proMarkId: string;

  const env = (extra: Record<string, string> = {}) =>
    instanceEnv({ DATABASE_PATH: path }, prefix, extra);

  beforeAll(async () => {
    path = copyTestDatabase();
    a = await startInstance('A', env(), spawned); // migrates and seeds
    [b, c] = await Promise.all([
      startInstance('B', env(), spawned),
      // A slower model on C: the CLI test's child process takes seconds to start under load.
      startInstance('C', env({ DEMO_TOKENS_PER_SECOND: '10' }), spawned),
    ]);
    handle = createDb(path);
    proMarkId = getMarkByKey(handle.db, 'pro').id;
    // The first account becomes the platform admin.
    const admin = a.browser();
    await a
      .trpc(admin)
      .auth.signUp.mutate({ email: 'admin@example.com', password: STRONG_PASSWORD });
    adminJar = admin.jar;
  }, 60_000);

  afterAll(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    handle?.close();
    if (path) removeDatabaseFiles(path);
  });

  const adminOn = (instance: Instance) => instance.trpc(instance.browser(adminJar));

  /** A member signed up on `on`, with credits and (optionally) Pro granted by the admin on A. */
  const member = (email: string, on: Instance, pro = true) =>
    fundedMember(
      sqliteStoresOf(handle.db),
      on,
      email,
      pro ? { admin: adminOn(a), markId: proMarkId } : undefined,
    );

  /**
   * Streams a Pro-only model on `on`; after the second delta runs `change`, then reads on. Returns
   * the cut-off (if any), deltas after the change returned, and ms from its return to the cut-off.
   */
  async function streamAndChange(on: Instance, cookie: string, change: () => Promise<unknown>) {
    const input = {
      requestId: `x-${Math.random().toString(36).slice(2)}`,
      model: 'tessera-plus',
      content: 'Tell me a long story about mosaics.',
    };
    const done = new AbortController();
    let deltas = 0;
    let afterChange = 0;
    let changedAt: number | undefined;
    let pending: Promise<unknown> | undefined;
    let cutOff: { code: string } | undefined;
    let latencyMs: number | undefined;
    const server = { url: on.url } as TestServer;
    for await (const event of chatStream(server, cookie, input, done.signal)) {
      if (event.data.type === 'delta') {
        deltas++;
        if (changedAt !== undefined) afterChange++;
        if (deltas === 2 && !pending)
          pending = change().then(() => {
            changedAt = performance.now();
          });
      }
      if (event.data.type === 'cut_off') {
        cutOff = event.data.reason;
        if (changedAt !== undefined) latencyMs = performance.now() - changedAt;
        break;
      }
      expect(event.data.type).not.toBe('done'); // the answer must not run to its end
    }
    done.abort();
    await pending;
    return { cutOff, afterChange, latencyMs: latencyMs ?? 0 };
  }

  it('a revoke committed through A cuts a live SPA stream on B, pushed over Redis', async () => {
    for (const instance of [a, b, c])
      expect(instance.output()).toMatch(/member events are pushed over redis/);
    const { userId, cookie } = await member('cut@example.com', b);
    const result = await streamAndChange(b, cookie, () =>
      adminOn(a).admin.memberships.revoke.mutate({ userId, markId: proMarkId }),
    );
    expect(result.cutOff?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(result.afterChange).toBeLessThanOrEqual(1);
    expect(result.latencyMs).toBeLessThan(DELIVERY_BOUND_MS);
  });

  it('a user disabled on A is refused on B’s next request', async () => {
    const { userId, jar } = await member('disabled@example.com', b, false);
    const onB = b.trpc(b.browser(jar));
    await expect(onB.auth.sessions.query()).resolves.toHaveLength(1); // cached on B now
    await adminOn(a).admin.users.disable.mutate({ userId, reason: 'test' });
    await expect(onB.auth.sessions.query()).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });

  it('the sign-in throttle counts guesses spread over the instances as on one', async () => {
    await member('spread@example.com', a, false);
    await member('single@example.com', a, false);
    const failuresBeforeThrottle = async (email: string, instances: Instance[]) => {
      for (let i = 0; i < 20; i++) {
        const on = instances[i % instances.length]!;
        const error = await on
          .trpc(on.browser())
          .auth.signIn.mutate({ email, password: 'wrong-password-guess' })
          .catch((e: { data?: { code?: string } }) => e);
        if ((error as { data?: { code?: string } }).data?.code === 'TOO_MANY_REQUESTS') return i;
      }
      return Number.POSITIVE_INFINITY;
    };
    const spread = await failuresBeforeThrottle('spread@example.com', [a, b, c]);
    const single = await failuresBeforeThrottle('single@example.com', [b]);
    expect(spread).toBe(10); // decision 002: 10 tokens per account
    expect(spread).toBe(single);
  });

  it('a /v1 per-minute limit holds across the instances', async () => {
    const { userId } = await member('api@example.com', a, false);
    const enterprise = getMarkByKey(handle.db, 'enterprise');
    const admin = adminOn(a);
    await admin.admin.memberships.grant.mutate({ userId, markId: enterprise.id, days: 30 });
    const row = handle.sqlite
      .prepare('select entitlements from marks where id = ?')
      .get(enterprise.id) as { entitlements: string };
    const limit = 6;
    await admin.admin.marks.update.mutate({
      markId: enterprise.id,
      entitlements: { ...JSON.parse(row.entitlements), requestsPerMinute: limit },
    });
    const { key } = createApiKey(handle.db, {
      userId,
      name: 'spread',
      actorUserId: null,
      now: new Date(),
    });
    // The window is the calendar minute: start early in one so the test stays inside it.
    const second = new Date().getUTCSeconds();
    if (second > 40) await sleep((61 - second) * 1000);
    const statuses: number[] = [];
    for (let i = 0; i < limit + 3; i++) {
      const on = [a, b, c][i % 3]!;
      const client = new OpenAI({ baseURL: `${on.url}/v1`, apiKey: key, maxRetries: 0 });
      const status = await client.chat.completions
        .create({
          model: 'tessera-mini',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 1,
        })
        .then(
          () => 200,
          (e: { status?: number }) => e.status ?? 0,
        );
      statuses.push(status);
    }
    expect(statuses).toEqual([...Array(limit).fill(200), 429, 429, 429]);
  });

  it('the CLI announces its change: `mark:revoke` run with REDIS_URL cuts a stream on C', async () => {
    const { cookie } = await member('cli@example.com', c);
    const result = await streamAndChange(c, cookie, async () => {
      const cli = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'mark:revoke', 'cli@example.com', 'pro'],
        { cwd: serverDir, env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let printed = '';
      cli.stderr!.on('data', (chunk: Buffer) => {
        printed += chunk;
      });
      const code = await new Promise((resolve) => cli.once('exit', resolve));
      expect(printed).not.toMatch(/did not answer/);
      expect(code).toBe(0);
    });
    expect(result.cutOff?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(result.afterChange).toBeLessThanOrEqual(1);
    expect(result.latencyMs).toBeLessThan(DELIVERY_BOUND_MS);
  });

  it('survives its Redis subscriber being killed: it reconnects, and revokes reach B again', async () => {
    expect(await killRedisClients(prefix, 'subscribe')).toBeGreaterThanOrEqual(3);
    // Every instance reconnects by itself (backoff from 50 ms) and logs the outage once.
    await expect.poll(() => b.output(), { timeout: 5_000 }).toMatch(/redis is back/);
    expect(b.output()).toMatch(/redis subscriber disconnected/);
    const { userId, cookie } = await member('after-kill@example.com', b);
    const result = await streamAndChange(b, cookie, () =>
      adminOn(a).admin.memberships.revoke.mutate({ userId, markId: proMarkId }),
    );
    expect(result.cutOff?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(result.latencyMs).toBeLessThan(DELIVERY_BOUND_MS);
    for (const instance of [a, b, c]) expect(instance.child.exitCode).toBeNull();
  });

  it('with Redis unreachable an instance starts, serves, and polls the outbox instead', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const d = await startInstance('D', env({ REDIS_URL: 'redis://127.0.0.1:1' }), spawned);
    await expect.poll(() => d.output(), { timeout: 5_000 }).toMatch(/fall back to polling/);
    const { userId, cookie } = await member('no-redis@example.com', d);
    expect(currentNotice(handle.sqlite).eventId).toBeGreaterThan(0);
    const result = await streamAndChange(d, cookie, () =>
      adminOn(a).admin.memberships.revoke.mutate({ userId, markId: proMarkId }),
    );
    expect(result.cutOff?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(result.afterChange).toBeLessThanOrEqual(1);
    expect(d.child.exitCode).toBeNull();
  });
});
