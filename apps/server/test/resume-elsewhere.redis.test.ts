// A reconnect that lands on another instance resumes the live answer there (decision 033): three
// real server processes on one database (SQLite file or PostgreSQL, test-storage.ts) and one Redis,
// plus one whose Redis is unreachable. The
// answer is produced on A; its client's connection drops; the reconnect (same request id, the last
// event id) reaches B, which relays the rest from A's Redis stream — no gap, no repeat, one
// reservation, one charge. Another user's same request id reaches nothing of it; an instance
// without Redis refuses as before (CONFLICT, then the stored answer after the grace).
import type { ChildProcess } from 'node:child_process';
import { requestKey } from '@tessera/api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStream, type SseEvent, STRONG_PASSWORD, type TestServer } from './harness.ts';
import {
  fundedMember,
  type Instance,
  instanceEnv,
  startInstance,
  TEST_REDIS_URL,
  uniquePrefix,
} from './instances.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

describe('a reconnect on another instance resumes the answer', () => {
  const spawned: ChildProcess[] = [];
  const prefix = uniquePrefix();
  let storage: TestStorage;
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let noRedis: Instance;
  let adminJar: Map<string, string>;
  let proMarkId: string;

  beforeAll(async () => {
    storage = await openTestStorage();
    const env = (extra: Record<string, string> = {}) => instanceEnv(storage.env, prefix, extra);
    a = await startInstance('A', env(), spawned); // migrates and seeds
    [b, c, noRedis] = await Promise.all([
      startInstance('B', env(), spawned),
      startInstance('C', env(), spawned),
      // Nothing listens on port 1: this instance's Redis is down for good.
      startInstance('D', env({ REDIS_URL: 'redis://127.0.0.1:1' }), spawned),
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

  const adminOn = (instance: Instance) => instance.trpc(instance.browser(adminJar));
  const member = (email: string) =>
    fundedMember(storage.stores, a, email, { admin: adminOn(a), markId: proMarkId });
  /** The `n` of a `count(*) as n` query (PostgreSQL's count is a bigint, read as a string). */
  const count = async (sql: string, ...params: string[]) =>
    Number((await storage.sql<{ n: number | string }>(sql, params))[0]?.n);
  const invariantsHold = async () => (await storage.stores.money.checkInvariants()).ok;
  const numberOf = (event: SseEvent) => Number(event.id.split(':').at(-1));

  /** Starts an answer on A and drops the connection after `deltas` deltas: what the client got. */
  async function startAndDrop(cookie: string, input: Record<string, unknown>, deltas: number) {
    const dropped = new AbortController();
    const got: SseEvent[] = [];
    let seen = 0;
    for await (const event of chatStream(
      { url: a.url } as TestServer,
      cookie,
      input,
      dropped.signal,
    )) {
      got.push(event);
      if (event.data.type === 'delta' && ++seen === deltas) break;
    }
    dropped.abort(); // the network drops; the proxy sends the reconnect elsewhere
    return got;
  }

  async function readAll(on: Instance, cookie: string, input: Record<string, unknown>) {
    const got: SseEvent[] = [];
    const signal = new AbortController().signal;
    for await (const event of chatStream({ url: on.url } as TestServer, cookie, input, signal))
      got.push(event);
    return got;
  }

  it('relays the rest on B: no gap, no repeat, the stored text, one reservation and one charge', async () => {
    const alice = await member('alice@example.com');
    const bob = await member('bob@example.com');
    const requestId = 'resume-elsewhere-0001';
    const key = requestKey(alice.userId, requestId);
    const input = { requestId, model: 'tessera-plus', content: 'Tell me about mosaics.' };
    const before = await startAndDrop(alice.cookie, input, 3);
    const lastEventId = before.at(-1)?.id;

    // Bob sends Alice's request id and event id to B: he reaches his own answer, none of hers.
    const bobs: SseEvent[] = [];
    const bobLeaves = new AbortController();
    for await (const event of chatStream(
      { url: b.url } as TestServer,
      bob.cookie,
      { ...input, lastEventId },
      bobLeaves.signal,
    )) {
      bobs.push(event);
      if (event.data.type === 'delta') break;
    }
    bobLeaves.abort();
    const alicesConversation = before[0]?.data.conversationId;
    expect(bobs[0]).toMatchObject({ id: `${requestId}:0`, data: { type: 'admitted' } });
    expect(bobs[0]?.data.conversationId).not.toBe(alicesConversation);

    // Her answer's stream is under her user id; Bob's own answer has one under his.
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.exists(`${prefix}answer:${alice.userId}:${requestId}`)).toBe(1);
      expect(await redis.exists(`${prefix}answer:${bob.userId}:${requestId}`)).toBe(1);
    } finally {
      redis.disconnect();
    }

    const after = await readAll(b, alice.cookie, { ...input, lastEventId });
    const ids = [...before, ...after].map(numberOf);
    expect(ids).toEqual(ids.map((_, i) => i)); // 0, 1, 2, … with no gap and no repeat
    expect(after[0]?.data.type).toBe('delta'); // resumed, not replayed
    expect(after.map((e) => e.data.type)).not.toContain('admitted');
    const done = after.at(-1)?.data;
    expect(done).toMatchObject({ type: 'done', status: 'complete' });

    const text = [...before, ...after].map((e) => e.data.text ?? '').join('');
    await expect
      .poll(async () => {
        const [stored] = await storage.sql<{ content: string; credits: number | string }>(
          "select content, credits from messages where request_id = $1 and role = 'assistant'",
          [key],
        );
        return stored && { content: stored.content, credits: Number(stored.credits) };
      })
      .toEqual({ content: text, credits: done?.charged });
    expect(await count('select count(*) as n from credit_reservations where id = $1', key)).toBe(1);
    expect(
      await count(
        'select count(*) as n from credit_ledger where idempotency_key = $1',
        `charge:${key}`,
      ),
    ).toBe(1);
    expect(await invariantsHold()).toBe(true);
    // Stored now: a later ask anywhere replays it.
    expect((await readAll(c, alice.cookie, input)).map((e) => e.data.type)).toEqual(['replay']);
  });

  it('a revoke cuts the producer on A and the client resumed on B sees the cut-off', async () => {
    const carol = await member('carol@example.com');
    const requestId = 'resume-elsewhere-cut-1';
    const input = {
      requestId,
      model: 'tessera-plus',
      content: 'Tell me a long story about tiles.',
    };
    const before = await startAndDrop(carol.cookie, input, 2);
    const after: SseEvent[] = [];
    let deltas = 0;
    let revoked: Promise<unknown> | undefined;
    for await (const event of chatStream(
      { url: b.url } as TestServer,
      carol.cookie,
      { ...input, lastEventId: before.at(-1)?.id },
      new AbortController().signal,
    )) {
      after.push(event);
      if (event.data.type === 'delta' && ++deltas === 2)
        revoked = adminOn(c).admin.memberships.revoke.mutate({
          userId: carol.userId,
          markId: proMarkId,
        });
    }
    await revoked;
    expect(after.at(-1)?.data).toMatchObject({
      type: 'cut_off',
      reason: { code: 'MODEL_NOT_IN_PLAN' },
    });
    const ids = [...before, ...after].map(numberOf);
    expect(ids).toEqual(ids.map((_, i) => i));
    const key = requestKey(carol.userId, requestId);
    expect(
      await count(
        'select count(*) as n from credit_ledger where idempotency_key = $1',
        `charge:${key}`,
      ),
    ).toBe(1);
    expect(await invariantsHold()).toBe(true);
  });

  it('without Redis the reconnect is refused (CONFLICT), as before, and nothing is charged twice', async () => {
    const dave = await member('dave@example.com');
    const requestId = 'resume-elsewhere-noredis';
    const key = requestKey(dave.userId, requestId);
    const input = { requestId, model: 'tessera-plus', content: 'Tell me about mosaics.' };
    const before = await startAndDrop(dave.cookie, input, 3);
    const onD = await readAll(noRedis, dave.cookie, { ...input, lastEventId: before.at(-1)?.id });
    expect(onD.map((e) => e.data.type)).toEqual(['refused']);
    expect(onD[0]?.data).toMatchObject({ reason: { code: 'CONFLICT' } });
    // A's grace ends: it settles what it delivered; then D replays the stored answer.
    await expect
      .poll(
        async () =>
          (
            await storage.sql<{ status: string }>(
              'select status from credit_reservations where id = $1',
              [key],
            )
          )[0]?.status,
        { timeout: 10_000 },
      )
      .toBe('settled');
    // The answer is stored right after the charge, in its own transaction (settle-answer.ts):
    // until then a request with this id is still being answered (CONFLICT). On SQLite the gap is
    // a moment, on PostgreSQL a few round trips: wait for the stored answer before asking D.
    await expect
      .poll(
        async () =>
          Number(
            (
              await storage.sql<{ n: number | string }>(
                "select count(*) as n from messages where request_id = $1 and role = 'assistant'",
                [key],
              )
            )[0]?.n,
          ),
        { timeout: 10_000 },
      )
      .toBe(1);
    expect((await readAll(noRedis, dave.cookie, input)).map((e) => e.data.type)).toEqual([
      'replay',
    ]);
    expect(await count('select count(*) as n from credit_reservations where id = $1', key)).toBe(1);
    expect(
      await count(
        'select count(*) as n from credit_ledger where idempotency_key = $1',
        `charge:${key}`,
      ),
    ).toBe(1);
    expect(await invariantsHold()).toBe(true);
  });
});
