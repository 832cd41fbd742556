// Many /v1 clients leave at once (a proxy restarts, a batch job is killed): /v1 has no resume, so
// each answer is stopped — through the process's paced stop queue, a slice of the event loop at a
// time (docs/decisions/032) — and settled exactly once for what it delivered, and nothing more is
// delivered or billed after the client left. Real HTTP, raw SSE as the SDKs read it, a real
// database (SQLite or PostgreSQL).
import { countTextTokens, createAccount, requestKey } from '@tessera/api';
import { afterEach, describe, expect, it } from 'vitest';
import { grantMarkInDb, setCreditsInDb, startTestServer, type TestServer } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MEMBERS = 8;
const STREAMS_EACH = 12;

interface Row {
  id: string;
  status: string;
  amount: number;
  charged: number | null;
  charge_rows: number;
  charge_sum: number | null;
}

/** PostgreSQL's counts, sums and bigint columns arrive as strings: numbers again, nulls kept. */
function numbersOf(row: Row): Row {
  const number = (value: unknown) => (value === null ? null : Number(value));
  return {
    ...row,
    amount: Number(row.amount),
    charged: number(row.charged),
    charge_rows: Number(row.charge_rows),
    charge_sum: number(row.charge_sum),
  };
}

describe('many /v1 clients leaving at once', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function apiMember(email: string) {
    const { stores } = server.storage;
    const now = new Date();
    const user = await createAccount(stores, { email, password: 'a sturdy passphrase', now });
    await setCreditsInDb(server, user.id, 10_000_000);
    // Enterprise: API access, and 120 requests a minute, so a dozen answers at once fit the plan.
    await grantMarkInDb(server, user.id, 'enterprise');
    const key = await stores.members.createApiKey({
      userId: user.id,
      name: 'crowd',
      actorUserId: null,
      now,
    });
    return { userId: user.id, key: key.key };
  }

  /** Streams a completion in the background until its client leaves; `ready` after `deltas`. */
  function follow(key: string, requestId: string, content: string, deltas: number) {
    const leave = new AbortController();
    let seen = '';
    let count = 0;
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const reading = (async () => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify({
          model: 'tessera-mini',
          stream: true,
          messages: [{ role: 'user', content }],
        }),
        signal: leave.signal,
      });
      expect(response.status).toBe(200);
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const bytes of response.body!) {
          buffer += decoder.decode(bytes as Uint8Array, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.replace(/^data: /, '');
            if (data === '[DONE]') throw new Error('the answer ended before its client left');
            const chunk = JSON.parse(data) as {
              choices: { delta: { content?: string }; finish_reason: string | null }[];
            };
            const text = chunk.choices[0]?.delta.content;
            if (text) {
              seen += text;
              if (++count === deltas) onReady();
            }
          }
        }
      } catch (error) {
        if (!leave.signal.aborted) throw error;
      }
    })();
    return { leave, ready, reading, seen: () => seen };
  }

  it('settles every answer once, charging what it delivered, with credits:check clean', async () => {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 20 });
    const members = [];
    for (let m = 0; m < MEMBERS; m++) members.push(await apiMember(`v1-crowd-${m}@example.com`));

    const streams = members.flatMap(({ userId, key }, m) =>
      Array.from({ length: STREAMS_EACH }, (_, i) => {
        const requestId = `v1-mass-leave-${m}-${String(i).padStart(4, '0')}`;
        // Different lengths read, so every answer has its own charge.
        const stream = follow(key, requestId, `Question ${i} about mosaics.`, 1 + (i % 4));
        return { userId, key: requestKey(userId, requestId), ...stream };
      }),
    );
    await Promise.all(streams.map((s) => s.ready));
    // Every reservation on this server is one of the streams.
    const { sql } = server.storage;
    const countWhere = async (status: string) =>
      Number(
        (
          await sql<{ n: unknown }>(
            'select count(*) as n from credit_reservations where status = $1',
            [status],
          )
        )[0]?.n,
      );
    // This process is the server: once a turn of its event loop (the check phase), note how many
    // answers are settled, to see the stops spread over turns rather than done in one. (On
    // PostgreSQL a count takes a round trip, so a sample spans a few turns.)
    const settledByTurn = [await countWhere('settled')];
    let ticking = true;
    const sampling = (async () => {
      while (ticking) {
        await new Promise((resolve) => setImmediate(resolve));
        settledByTurn.push(await countWhere('settled'));
      }
    })();

    // Everyone leaves in the same instant.
    for (const stream of streams) stream.leave.abort();
    await Promise.all(streams.map((s) => s.reading));
    const left = new Map(streams.map((s) => [s.key, s.seen()]));
    const openCount = () => countWhere('open');
    const deadline = Date.now() + 15_000;
    while ((await openCount()) > 0) {
      if (Date.now() > deadline) throw new Error(`${await openCount()} answers were never settled`);
      await sleep(25);
    }
    ticking = false;
    await sampling;
    // Paced (decision 032): the stops ran over several turns, none of which settled the whole crowd
    // (a stop takes ≥ 0.2 ms, so a 10 ms slice holds well under the crowd of 96).
    const perTurn = settledByTurn.slice(1).map((n, t) => n - settledByTurn[t]!);
    expect(perTurn.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(Math.max(...perTurn)).toBeLessThan(streams.length);
    const reservations = async () =>
      (
        await sql<Row>(
          `select r.id, r.status, r.amount, r.charged,
             (select count(*) from credit_ledger l
               where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_rows,
             (select sum(l.delta) from credit_ledger l
               where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_sum
           from credit_reservations r order by r.id`,
        )
      ).map(numbersOf);
    const usage = async () =>
      (
        await sql<{ userId: string; outputTokens: unknown; credits: unknown }>(
          `select user_id as "userId", output_tokens as "outputTokens", credits from usage_counters
           where "window" = 'day' order by user_id`,
        )
      ).map((row) => ({
        userId: row.userId,
        outputTokens: Number(row.outputTokens),
        credits: Number(row.credits),
      }));
    const rows = await reservations();
    const counted = await usage();
    // The demo model would have gone on at 20 tokens a second: nothing more is billed later.
    await sleep(300);
    expect(await reservations()).toEqual(rows);
    expect(await usage()).toEqual(counted);

    expect(rows).toHaveLength(streams.length);
    for (const row of rows) {
      // Closed once, with exactly one charge row worth the reservation's charge: more than
      // nothing (something was delivered), less than the whole hold (it was cut short).
      expect(row.status).toBe('settled');
      expect(row.charge_rows).toBe(1);
      expect(-(row.charge_sum ?? 0)).toBe(row.charged);
      expect(row.charged).toBeGreaterThan(0);
      expect(row.charged).toBeLessThan(row.amount);
    }
    // Each member was billed the output tokens their clients saw, plus at most the word that was
    // on the wire when a client left (a demo delta is one word) — never the rest of an answer.
    for (const { userId } of members) {
      const mine = streams.filter((s) => s.userId === userId);
      const seenTokens = mine.reduce((sum, s) => sum + countTextTokens(left.get(s.key)!), 0);
      const billed = counted.find((c) => c.userId === userId)!;
      expect(billed.outputTokens).toBeGreaterThanOrEqual(seenTokens - mine.length);
      expect(billed.outputTokens).toBeLessThanOrEqual(seenTokens + 4 * mine.length);
      const charged = rows
        .filter((r) => mine.some((s) => s.key === r.id))
        .reduce((sum, r) => sum + (r.charged ?? 0), 0);
      expect(billed.credits).toBe(charged);
    }
    // What was delivered differs between answers, and so do their charges.
    expect(new Set(rows.map((r) => r.charged)).size).toBeGreaterThan(1);
    expect(await server.storage.stores.money.checkInvariants()).toMatchObject({
      ok: true,
      problems: [],
    });
  });
});
