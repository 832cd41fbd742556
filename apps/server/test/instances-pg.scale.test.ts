// Three real server processes on one PostgreSQL database and one Redis (decisions 029, 034): what
// an operator runs behind a reverse proxy once one machine is not enough. The test reaches the
// same database through the PostgreSQL stores, never a file. What must hold across instances:
// credit for one answer admits one chat of 200 spread over the three, and a revoke committed
// through A cuts a live stream on B at the next chunk, and a grant by the admin CLI on the same
// DATABASE_URL reaches a live subscription on B, both pushed over Redis (polling is slowed to once
// an hour, so it cannot be what delivers them).
import { type ChildProcess, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AppRouter, adjustCreditsThrough, type Stores } from '@tessera/api';
import { createPgStores } from '@tessera/api/pg';
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStream, type SseEvent, STRONG_PASSWORD, type TestServer } from './harness.ts';
import { type Instance, startInstance, TEST_REDIS_URL, uniquePrefix } from './instances.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('three instances on one PostgreSQL database and one Redis', () => {
  const spawned: ChildProcess[] = [];
  const prefix = uniquePrefix();
  let database: TestPgDatabase;
  let stores: Stores;
  let instances: Instance[];
  let adminJar: Map<string, string>;

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    MEMBER_EVENTS_SAFETY_POLL_MS: String(3_600_000),
    DEMO_TOKENS_PER_SECOND: '40',
    CHAT_RESUME_GRACE_MS: '1500',
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestPgDatabase('instances');
    stores = createPgStores(database);
    const a = await startInstance('A', env(), spawned); // migrates and seeds
    instances = [
      a,
      ...(await Promise.all(['B', 'C'].map((n) => startInstance(n, env(), spawned)))),
    ];
    const admin = a.browser();
    await a
      .trpc(admin)
      .auth.signUp.mutate({ email: 'admin@example.com', password: STRONG_PASSWORD });
    adminJar = admin.jar;
  }, 90_000);

  afterAll(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    await database?.drop();
  });

  const [A, B] = [0, 1];
  const adminOn = (i: number) => instances[i]!.trpc(instances[i]!.browser(adminJar));

  async function member(email: string, on: Instance, mark?: string) {
    const browser = on.browser();
    const viewer = await on.trpc(browser).auth.signUp.mutate({ email, password: STRONG_PASSWORD });
    const userId = viewer.user.id;
    if (mark)
      await adminOn(A).admin.memberships.grant.mutate({
        userId,
        markId: (await stores.catalog.getMarkByKey(mark)).id,
        days: 30,
      });
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return { userId, cookie };
  }

  const setCredits = (userId: string, amount: number) =>
    adjustCreditsThrough((move) => stores.money.moveCredits(move), {
      userId,
      mode: 'set',
      amount,
      reason: 'test funds',
      actorUserId: null,
      now: new Date(),
    });

  /**
   * The first event of a chat on `on` (admitted or refused). An admitted answer stays open until
   * `release` aborts it: stopping it early would hand its reservation back to the racers.
   */
  async function firstEvent(on: Instance, cookie: string, requestId: string, release: AbortSignal) {
    const done = new AbortController();
    const server = { url: on.url } as TestServer;
    const stream = chatStream(
      server,
      cookie,
      { requestId, model: 'tessera-mini', content: 'Hello' },
      done.signal,
    );
    const first = (await stream.next()).value?.data;
    if (first?.type === 'admitted')
      release.addEventListener('abort', () => done.abort(), { once: true });
    else done.abort();
    return first;
  }

  it('200 chats spread over the instances with credit for one: exactly one is admitted', async () => {
    const { userId, cookie } = await member('one@example.com', instances[B]!, 'enterprise');
    // What one chat reserves: hold one answer open and read the account.
    await setCredits(userId, 10_000_000);
    const done = new AbortController();
    const stream = chatStream(
      { url: instances[A]!.url } as TestServer,
      cookie,
      { requestId: randomUUID(), model: 'tessera-mini', content: 'Hello' },
      done.signal,
    );
    expect((await stream.next()).value?.data.type).toBe('admitted');
    const [held] = await database.pool
      .query<{ reserved: number }>('select reserved from credit_accounts where user_id = $1', [
        userId,
      ])
      .then((r) => r.rows);
    done.abort();
    const reservation = Number(held!.reserved);
    expect(reservation).toBeGreaterThan(0);
    await expect
      .poll(
        async () => (await stores.money.checkInvariants()).ok && (await reserved(userId)) === 0,
        {
          timeout: 20_000,
        },
      )
      .toBe(true);

    // Exactly one chat's reservation: the first admitted holds it all.
    await setCredits(userId, reservation);
    const release = new AbortController();
    const events = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        firstEvent(instances[i % 3]!, cookie, randomUUID(), release.signal),
      ),
    );
    release.abort();
    const types = events.map((e) => e?.type);
    expect(types.filter((t) => t === 'admitted')).toHaveLength(1);
    expect(types.filter((t) => t === 'refused')).toHaveLength(199);
    // Refused for credit, the guard under test (not a rate limit or a quota).
    const reasons = new Set(
      events.map((e) => (e?.type === 'refused' ? e.reason?.code : undefined)).filter(Boolean),
    );
    expect([...reasons]).toEqual(['INSUFFICIENT_CREDITS']);
    await expect.poll(async () => (await reserved(userId)) === 0, { timeout: 20_000 }).toBe(true);
    expect((await stores.money.checkInvariants()).problems).toEqual([]);
  }, 120_000);

  async function reserved(userId: string) {
    const { rows } = await database.pool.query<{ reserved: number }>(
      'select reserved from credit_accounts where user_id = $1',
      [userId],
    );
    return Number(rows[0]?.reserved ?? 0);
  }

  it('a revoke committed through A cuts a live SPA stream on B, pushed over Redis', async () => {
    const { userId, cookie } = await member('cut@example.com', instances[B]!, 'pro');
    await setCredits(userId, 10_000_000);
    const pro = await stores.catalog.getMarkByKey('pro');
    const done = new AbortController();
    let deltas = 0;
    let afterRevoke = 0;
    let revoked: Promise<unknown> | undefined;
    let revokedAt: number | undefined;
    let cutOff: SseEvent['data'] | undefined;
    for await (const event of chatStream(
      { url: instances[B]!.url } as TestServer,
      cookie,
      {
        requestId: randomUUID(),
        model: 'tessera-plus',
        content: 'Tell me a long story about mosaics.',
      },
      done.signal,
    )) {
      if (event.data.type === 'delta') {
        deltas++;
        if (revokedAt !== undefined) afterRevoke++;
        if (deltas === 2 && !revoked)
          revoked = adminOn(A)
            .admin.memberships.revoke.mutate({ userId, markId: pro.id })
            .then(() => {
              revokedAt = performance.now();
            });
      }
      if (event.data.type === 'cut_off') {
        cutOff = event.data;
        break;
      }
      expect(event.data.type).not.toBe('done');
    }
    done.abort();
    await revoked;
    expect(cutOff?.reason?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(afterRevoke).toBeLessThanOrEqual(1);
  }, 60_000);

  it('`pnpm tessera mark:grant` with DATABASE_URL and REDIS_URL reaches a live subscription on B', async () => {
    const { cookie } = await member('cli-live@example.com', instances[B]!);
    const client = createTRPCClient<AppRouter>({
      links: [
        httpSubscriptionLink({
          url: `${instances[B]!.url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, cookie } }),
          },
        }),
      ],
    });
    const heard: string[] = [];
    const subscription = client.membership.events.subscribe(undefined, {
      onData: (event) => {
        const data = 'data' in event ? event.data : event;
        const { kind, markKey } = data as { kind: string; markKey?: string | null };
        heard.push(markKey ? `${kind} ${markKey}` : kind);
      },
    });
    try {
      await expect.poll(() => heard, { timeout: 10_000 }).toContain('connected');
      const granted = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli.ts',
          'mark:grant',
          'cli-live@example.com',
          'pro',
          '--days',
          '1',
        ],
        { cwd: serverDir, env: { ...process.env, ...env() } },
      );
      expect(granted.stderr).not.toMatch(/did not answer/);
      // The safety poll is an hour away: only the CLI's notice over Redis can deliver this.
      await expect.poll(() => heard, { timeout: 10_000 }).toContain('membership.granted pro');
    } finally {
      subscription.unsubscribe();
    }
  }, 60_000);
});
