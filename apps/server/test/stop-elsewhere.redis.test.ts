// Stop reaches an answer another instance produces (decision 033): real server processes on one
// database (SQLite file or PostgreSQL, test-storage.ts) and one Redis. The answer runs on A, its client resumed on B; the owner's Stop sent
// to C (or to B) stops it on A exactly as a local Stop: settled before the mutation answers, one
// charge for what was delivered, and the stream on B ends without a `done`. Another user's Stop
// with the same request id stops nothing; an instance whose Redis is down, or that has no
// REDIS_URL, answers NOT_FOUND as before.
import type { ChildProcess } from 'node:child_process';
import { requestKey } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStream, type SseEvent, STRONG_PASSWORD, type TestServer } from './harness.ts';
import {
  fundedMember,
  type Instance,
  instanceEnv,
  startInstance,
  uniquePrefix,
} from './instances.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

describe('Stop on an instance that does not hold the answer', () => {
  const spawned: ChildProcess[] = [];
  const prefix = uniquePrefix();
  let storage: TestStorage;
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let redisDown: Instance;
  let noRedis: Instance;
  let adminJar: Map<string, string>;
  let proMarkId: string;

  beforeAll(async () => {
    storage = await openTestStorage();
    const env = (extra: Record<string, string> = {}) => instanceEnv(storage.env, prefix, extra);
    a = await startInstance('A', env(), spawned); // migrates and seeds
    const { REDIS_URL: _none, ...withoutRedis } = env();
    [b, c, redisDown, noRedis] = await Promise.all([
      startInstance('B', env(), spawned),
      startInstance('C', env(), spawned),
      // Nothing listens on port 1: this instance's Redis is down for good.
      startInstance('D', env({ REDIS_URL: 'redis://127.0.0.1:1' }), spawned),
      startInstance('E', withoutRedis, spawned),
    ]);
    proMarkId = (await storage.stores.catalog.getMarkByKey('pro')).id;
    const admin = a.browser();
    await a
      .trpc(admin)
      .auth.signUp.mutate({ email: 'admin@example.com', password: STRONG_PASSWORD });
    adminJar = admin.jar;
  }, 120_000); // four or five processes starting on a loaded 2-core CI machine

  afterAll(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    await storage?.close();
  });

  const member = (email: string) =>
    fundedMember(storage.stores, a, email, {
      admin: a.trpc(a.browser(adminJar)),
      markId: proMarkId,
    });
  const stopOn = (instance: Instance, jar: Map<string, string>, requestId: string) =>
    instance.trpc(instance.browser(jar)).chat.stop.mutate({ requestId });
  const numberOf = (event: SseEvent) => Number(event.id.split(':').at(-1));
  // Numbers through Number(): PostgreSQL's bigint columns and count(*) come back as strings.
  async function reservation(key: string) {
    const [row] = await storage.sql<{ status: string; charged: number | string | null }>(
      'select status, charged from credit_reservations where id = $1',
      [key],
    );
    return { status: row!.status, charged: row!.charged === null ? null : Number(row!.charged) };
  }
  async function storedAnswer(key: string) {
    const [row] = await storage.sql<{ status: string; content: string; credits: number | string }>(
      "select status, content, credits from messages where request_id = $1 and role = 'assistant'",
      [key],
    );
    return row && { status: row.status, content: row.content, credits: Number(row.credits) };
  }
  const charges = async (key: string) =>
    Number(
      (
        await storage.sql<{ n: number | string }>(
          'select count(*) as n from credit_ledger where idempotency_key = $1',
          [`charge:${key}`],
        )
      )[0]?.n,
    );
  const invariantsHold = async () => (await storage.stores.money.checkInvariants()).ok;

  /** Reads `stream` until `deltas` more deltas came (or it ended) into `got`. */
  async function readDeltas(stream: AsyncGenerator<SseEvent>, deltas: number, got: SseEvent[]) {
    let seen = 0;
    while (seen < deltas) {
      const step = await stream.next();
      if (step.done) return;
      got.push(step.value);
      if (step.value.data.type === 'delta') seen++;
    }
  }

  /** An answer started on A whose client, after two deltas, reconnects to `resumeOn`. */
  async function resumedElsewhere(cookie: string, requestId: string, resumeOn: Instance) {
    const input = { requestId, model: 'tessera-plus', content: 'Tell me a long story.' };
    const dropped = new AbortController();
    const got: SseEvent[] = [];
    await readDeltas(
      chatStream({ url: a.url } as TestServer, cookie, input, dropped.signal),
      2,
      got,
    );
    dropped.abort(); // the proxy sends the reconnect elsewhere
    const resumed = chatStream(
      { url: resumeOn.url } as TestServer,
      cookie,
      { ...input, lastEventId: got.at(-1)?.id },
      new AbortController().signal,
    );
    await readDeltas(resumed, 2, got);
    return { got, resumed };
  }

  /** What a local Stop guarantees, checked for one stopped above. */
  async function expectStoppedLikeALocalStop(
    key: string,
    got: SseEvent[],
    resumed: AsyncGenerator<SseEvent>,
  ) {
    // Settled on A before the mutation answered.
    const stored = await storedAnswer(key);
    expect(stored?.status).toBe('aborted');
    expect(['settled', 'released']).toContain((await reservation(key)).status);
    // The stream on B ends without a `done`, with no gap or repeat before it.
    for await (const event of resumed) got.push(event);
    expect(got.some((e) => e.data.type === 'done')).toBe(false);
    expect(got.map((e) => e.data.type)).not.toContain('refused');
    const ids = got.map(numberOf);
    expect(ids).toEqual(ids.map((_, i) => i));
    const delivered = got.map((e) => e.data.text ?? '').join('');
    expect(stored?.content.startsWith(delivered)).toBe(true);
    // One charge, for what was delivered (not the reservation's worst case).
    const settled = await reservation(key);
    expect(await charges(key)).toBe(settled.status === 'settled' ? 1 : 0);
    expect(settled.charged ?? 0).toBe(stored?.credits);
    expect(await invariantsHold()).toBe(true);
  }

  it('the owner’s Stop on C stops the answer A produces; another user’s Stop stops nothing', async () => {
    const alice = await member('alice@example.com');
    const mallory = await member('mallory@example.com');
    const requestId = 'stop-elsewhere-0001';
    const key = requestKey(alice.userId, requestId);
    const { got, resumed } = await resumedElsewhere(alice.cookie, requestId, b);
    expect(got.find((e) => e.data.type === 'admitted')?.id).toBe(`${requestId}:0`);

    // Mallory names Alice's request id: NOT_FOUND on C and on A, and the answer goes on.
    await expect(stopOn(c, mallory.jar, requestId)).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(stopOn(a, mallory.jar, requestId)).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect((await reservation(key)).status).toBe('open');
    await readDeltas(resumed, 2, got);
    expect(got.at(-1)?.data.type).toBe('delta');

    await expect(stopOn(c, alice.jar, requestId)).resolves.toEqual({ stopped: true });
    await expectStoppedLikeALocalStop(key, got, resumed);
    // Nothing runs any more: a second Stop anywhere is NOT_FOUND.
    await expect(stopOn(c, alice.jar, requestId)).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
  });

  it('the owner’s Stop on B, where the client resumed, stops it too', async () => {
    const bea = await member('bea@example.com');
    const requestId = 'stop-elsewhere-0002';
    const { got, resumed } = await resumedElsewhere(bea.cookie, requestId, b);
    await expect(stopOn(b, bea.jar, requestId)).resolves.toEqual({ stopped: true });
    await expectStoppedLikeALocalStop(requestKey(bea.userId, requestId), got, resumed);
  });

  it('with Redis down or without REDIS_URL a Stop for another instance is NOT_FOUND, as before', async () => {
    const dan = await member('dan@example.com');
    const requestId = 'stop-elsewhere-noredis';
    const key = requestKey(dan.userId, requestId);
    const input = { requestId, model: 'tessera-plus', content: 'Tell me a long story.' };
    const got: SseEvent[] = [];
    const stream = chatStream(
      { url: a.url } as TestServer,
      dan.cookie,
      input,
      new AbortController().signal,
    );
    await readDeltas(stream, 1, got);
    for (const instance of [redisDown, noRedis])
      await expect(stopOn(instance, dan.jar, requestId)).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    expect((await reservation(key)).status).toBe('open');
    await readDeltas(stream, 1, got);
    expect(got.at(-1)?.data.type).toBe('delta');
    // A local Stop still works; everything settles cleanly.
    await expect(stopOn(a, dan.jar, requestId)).resolves.toEqual({ stopped: true });
    for await (const event of stream) got.push(event);
    expect(got.some((e) => e.data.type === 'done')).toBe(false);
    expect(await invariantsHold()).toBe(true);
  });
});
