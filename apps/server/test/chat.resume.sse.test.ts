// A dropped chat connection is not a stop: the client reconnects with the id of the last event it
// got and the answer goes on from the next one — one admission, one charge. Real HTTP, real SSE.
import { requestKey } from '@tessera/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  type SseEvent,
  STRONG_PASSWORD,
  setCreditsInDb,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}

describe('chat answers survive a dropped connection', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function start(graceMs: number) {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 40,
      chatResumeGraceMs: graceMs,
    });
  }

  async function signedIn(email: string) {
    const browser = new CookieFetch(server.url);
    const api = trpcClient(server.url, browser);
    await api.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
    const { id } = (await server.storage.stores.auth.userByEmail(email))!;
    await setCreditsInDb(server, id, 10_000_000);
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return { userId: id, api, cookie };
  }

  const sql = <Row>(text: string, params: unknown[]) => server.storage.sql<Row>(text, params);
  // Stored rows are keyed by the user-scoped request key (see packages/api/src/chat/request-key.ts).
  const answerOf = async (key: string) => {
    const [row] = await sql<{ status: string; content: string; credits: unknown }>(
      "select status, content, credits from messages where request_id = $1 and role = 'assistant'",
      [key],
    );
    return row && { ...row, credits: Number(row.credits) };
  };
  const reservationOf = async (key: string) => {
    const [row] = await sql<{ status: string; amount: unknown; charged: unknown }>(
      'select status, amount, charged from credit_reservations where id = $1',
      [key],
    );
    // PostgreSQL's bigint columns arrive as strings.
    return {
      status: row!.status,
      amount: Number(row!.amount),
      charged: row!.charged === null ? null : Number(row!.charged),
    };
  };
  const chargesOf = async (key: string) => {
    const [row] = await sql<{ n: unknown }>(
      'select count(*) as n from credit_ledger where idempotency_key = $1',
      [`charge:${key}`],
    );
    return { n: Number(row!.n) };
  };

  async function readSome(
    stream: AsyncGenerator<SseEvent>,
    deltas: number,
    into: SseEvent[],
  ): Promise<void> {
    let seen = 0;
    for await (const event of stream) {
      into.push(event);
      if (event.data.type === 'delta' && ++seen === deltas) return;
    }
  }

  it('resumes from lastEventId after a drop: no event twice, none lost, one charge', async () => {
    await start(5000);
    const { cookie, userId } = await signedIn('resume@example.com');
    const requestId = 'resume-request-0001';
    const key = requestKey(userId, requestId);
    const input = { requestId, model: 'tessera-mini', content: 'Tell me about mosaics.' };

    const first = new AbortController();
    const before: SseEvent[] = [];
    await readSome(chatStream(server, cookie, input, first.signal), 3, before);
    first.abort(); // the network drops
    await sleep(300);
    expect((await reservationOf(key)).status).toBe('open'); // still answering, for a reconnect

    const lastEventId = before.at(-1)?.id;
    const after: SseEvent[] = [];
    const second = new AbortController();
    for await (const event of chatStream(
      server,
      cookie,
      { ...input, lastEventId },
      second.signal,
    )) {
      after.push(event);
    }

    const ids = [...before, ...after].map((e) => Number(e.id.split(':').at(-1)));
    expect(ids).toEqual(ids.map((_, i) => i)); // 0, 1, 2, … with no gap and no repeat
    expect(after[0]?.data.type).toBe('delta');
    expect(after.filter((e) => e.data.type === 'admitted')).toHaveLength(0);
    const done = after.at(-1)?.data;
    expect(done).toMatchObject({ type: 'done', status: 'complete' });

    const text = [...before, ...after].map((e) => e.data.text ?? '').join('');
    const answer = await waitFor(() => answerOf(key));
    expect(answer).toMatchObject({ status: 'complete', content: text, credits: done?.charged });
    expect((await reservationOf(key)).status).toBe('settled');
    expect((await chargesOf(key)).n).toBe(1);
    expect((await server.storage.stores.money.checkInvariants()).ok).toBe(true);
  });

  it("another user's same request id is another answer; the owner still resumes and replays its own", async () => {
    await start(5000);
    const alice = await signedIn('alice@example.com');
    const bob = await signedIn('bob@example.com');
    const requestId = 'predictable-request-1';
    const aliceInput = { requestId, model: 'tessera-mini', content: 'Alice asks about tiles.' };

    const dropped = new AbortController();
    const before: SseEvent[] = [];
    await readSome(chatStream(server, alice.cookie, aliceInput, dropped.signal), 3, before);
    dropped.abort(); // Alice's network drops mid-answer

    // Bob picks the same id (by accident or on purpose): he gets an answer of his own, not a 409.
    const bobs: SseEvent[] = [];
    for await (const event of chatStream(
      server,
      bob.cookie,
      { requestId, model: 'tessera-mini', content: 'Bob asks about grout.' },
      new AbortController().signal,
    ))
      bobs.push(event);
    expect(bobs[0]?.data.type).toBe('admitted');
    expect(bobs.at(-1)?.data).toMatchObject({ type: 'done', status: 'complete' });
    expect(bobs.map((e) => e.data.text ?? '').join('')).toContain('grout');

    // Alice comes back and carries on from where she was, with nothing of Bob's in it.
    const after: SseEvent[] = [];
    for await (const event of chatStream(
      server,
      alice.cookie,
      { ...aliceInput, lastEventId: before.at(-1)?.id },
      new AbortController().signal,
    ))
      after.push(event);
    expect(after.some((e) => e.data.type === 'admitted')).toBe(false);
    expect(after.at(-1)?.data).toMatchObject({ type: 'done', status: 'complete' });
    const aliceText = [...before, ...after].map((e) => e.data.text ?? '').join('');
    expect(aliceText).toContain('tiles');
    expect(aliceText).not.toContain('grout');

    // Asking again later replays her stored answer.
    const replayed: SseEvent[] = [];
    for await (const event of chatStream(
      server,
      alice.cookie,
      aliceInput,
      new AbortController().signal,
    ))
      replayed.push(event);
    expect(replayed.map((e) => e.data)).toMatchObject([{ type: 'replay', content: aliceText }]);

    // One admission and one charge each; each sees its own id on its stored answer.
    for (const user of [alice, bob]) {
      const key = requestKey(user.userId, requestId);
      expect(await waitFor(() => answerOf(key))).toMatchObject({ status: 'complete' });
      expect((await reservationOf(key)).status).toBe('settled');
      expect((await chargesOf(key)).n).toBe(1);
      const [conversation] = await user.api.chat.conversations.list.query();
      const stored = await user.api.chat.conversations.messages.query({
        conversationId: conversation!.id,
      });
      expect(stored.map((m) => m.requestId)).toContain(requestId);
    }
    expect((await server.storage.stores.money.checkInvariants()).ok).toBe(true);
  });

  it('stops an answer nobody came back for once the grace period is over, billing what was delivered', async () => {
    await start(1500);
    const { cookie, userId } = await signedIn('gone@example.com');
    const requestId = 'abandoned-request-01';
    const key = requestKey(userId, requestId);
    const dropped = new AbortController();
    const received: SseEvent[] = [];
    await readSome(
      chatStream(
        server,
        cookie,
        { requestId, model: 'tessera-mini', content: 'A long story, please.' },
        dropped.signal,
      ),
      2,
      received,
    );
    dropped.abort();
    await sleep(400);
    expect((await reservationOf(key)).status).toBe('open');

    const answer = await waitFor(() => answerOf(key));
    expect(answer.status).toBe('aborted');
    const delivered = received.map((e) => e.data.text ?? '').join('');
    expect(answer.content.startsWith(delivered)).toBe(true);
    const reservation = await reservationOf(key);
    expect(reservation.status).toBe('settled');
    expect(reservation.charged).toBe(answer.credits);
    expect(reservation.charged).toBeLessThan(reservation.amount); // not the worst case
    expect((await server.storage.stores.money.checkInvariants()).ok).toBe(true);
  });

  it('Stop ends the answer at once and settles it before answering; only its owner can stop it', async () => {
    await start(60_000);
    const owner = await signedIn('stopper@example.com');
    const stranger = await signedIn('stranger@example.com');
    const requestId = 'stopped-request-0001';
    const key = requestKey(owner.userId, requestId);
    const connection = new AbortController();
    const stream = chatStream(
      server,
      owner.cookie,
      { requestId, model: 'tessera-mini', content: 'Keep talking.' },
      connection.signal,
    );
    const received: SseEvent[] = [];
    await readSome(stream, 1, received);

    await expect(
      owner.api.chat.stop.mutate({ requestId: 'no-such-request' }),
    ).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    await expect(stranger.api.chat.stop.mutate({ requestId })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect((await reservationOf(key)).status).toBe('open');

    await expect(owner.api.chat.stop.mutate({ requestId })).resolves.toEqual({ stopped: true });
    // Settled before the mutation answered (the grace period is a minute: this was the Stop).
    expect(await answerOf(key)).toMatchObject({ status: 'aborted' });
    expect(['settled', 'released']).toContain((await reservationOf(key)).status);
    // The open stream ends without a `done`.
    for await (const event of stream) received.push(event);
    expect(received.some((e) => e.data.type === 'done')).toBe(false);
    expect((await server.storage.stores.money.checkInvariants()).ok).toBe(true);

    // A Stop that overtakes its own request: the request, arriving after, never starts.
    await expect(owner.api.chat.stop.mutate({ requestId: 'overtaken-request' })).rejects.toThrow();
    const late: SseEvent[] = [];
    for await (const event of chatStream(
      server,
      owner.cookie,
      { requestId: 'overtaken-request', model: 'tessera-mini', content: 'Too late.' },
      new AbortController().signal,
    ))
      late.push(event);
    expect(late).toEqual([]);
    expect(
      await sql('select 1 from credit_reservations where id = $1', [
        requestKey(owner.userId, 'overtaken-request'),
      ]),
    ).toEqual([]);
  });
});
