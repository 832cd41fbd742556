// Many SPA clients leave at once (a proxy restart, a dropped network): every answer is still
// stopped once its resume grace ends and settled exactly once, for what it delivered — the stops
// are spread over several turns of the event loop (docs/decisions/032), never dropped or doubled.
// Real HTTP, real SSE, a real database (SQLite or PostgreSQL).
import { requestKey } from '@tessera/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  grantMarkInDb,
  type SseEvent,
  STRONG_PASSWORD,
  setCreditsInDb,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MEMBERS = 4;
const STREAMS_EACH = 12;
const GRACE_MS = 300;

interface Row {
  id: string;
  status: string;
  amount: number;
  charged: number | null;
  charge_rows: number;
  charge_sum: number | null;
  answers: number;
  answer_status: string | null;
  content: string | null;
  credits: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
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
    answers: Number(row.answers),
    credits: number(row.credits),
    input_tokens: number(row.input_tokens),
    output_tokens: number(row.output_tokens),
  };
}

describe('many clients leaving at once', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function member(email: string) {
    const browser = new CookieFetch(server.url);
    await trpcClient(server.url, browser).auth.signUp.mutate({ email, password: STRONG_PASSWORD });
    const { id } = (await server.storage.stores.auth.userByEmail(email))!;
    // Enterprise: 120 requests a minute, so a dozen answers at once stay within the plan.
    await grantMarkInDb(server, id, 'enterprise');
    await setCreditsInDb(server, id, 10_000_000);
    return { userId: id, cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  /** Reads a stream in the background until its client leaves; `ready` once `deltas` arrived. */
  function follow(cookie: string, input: Record<string, unknown>, deltas: number) {
    const leave = new AbortController();
    const events: SseEvent[] = [];
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const reading = (async () => {
      let seen = 0;
      for await (const event of chatStream(server, cookie, input, leave.signal)) {
        events.push(event);
        if (event.data.type === 'delta' && ++seen === deltas) onReady();
        if (event.data.type === 'done') throw new Error('the answer ended before its client left');
      }
    })();
    return { leave, events, ready, reading };
  }

  it('settles every answer once, charging what it delivered, with credits:check clean', async () => {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 20,
      chatResumeGraceMs: GRACE_MS,
    });
    const members = [];
    for (let m = 0; m < MEMBERS; m++) members.push(await member(`crowd-${m}@example.com`));

    const streams = members.flatMap(({ userId, cookie }, m) =>
      Array.from({ length: STREAMS_EACH }, (_, i) => {
        const requestId = `mass-leave-${m}-${String(i).padStart(4, '0')}`;
        const input = { requestId, model: 'tessera-mini', content: `Question ${i} about mosaics.` };
        // Different lengths read, so every answer has its own charge.
        return { key: requestKey(userId, requestId), ...follow(cookie, input, 1 + (i % 4)) };
      }),
    );
    await Promise.all(streams.map((s) => s.ready));
    // Everyone leaves in the same instant.
    for (const stream of streams) stream.leave.abort();
    await Promise.all(streams.map((s) => s.reading));

    // Every reservation on this server is one of the streams.
    const { sql } = server.storage;
    const openCount = async () =>
      Number(
        (
          await sql<{ n: unknown }>(
            "select count(*) as n from credit_reservations where status = 'open'",
          )
        )[0]?.n,
      );
    // The answer is stored just after its settlement commits (settle-answer.ts), so a reader on
    // another connection can see a settled reservation whose answer is still on its way.
    const storedCount = async () =>
      Number(
        (
          await sql<{ n: unknown }>("select count(*) as n from messages where role = 'assistant'")
        )[0]?.n,
      );
    // Kept for a reconnect during the grace, then stopped, settled and stored.
    expect(await openCount()).toBe(streams.length);
    const deadline = Date.now() + 15_000;
    while ((await openCount()) > 0 || (await storedCount()) < streams.length) {
      if (Date.now() > deadline) throw new Error(`${await openCount()} answers were never settled`);
      await sleep(25);
    }

    const [price] = await sql<{ input: number; output: number }>(
      `select input_price_per_million as input, output_price_per_million as output
       from models where id = 'tessera-mini'`,
    );
    const rows = (
      await sql<Row>(
        `select r.id, r.status, r.amount, r.charged,
           (select count(*) from credit_ledger l
             where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_rows,
           (select sum(l.delta) from credit_ledger l
             where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_sum,
           (select count(*) from messages m2 where m2.request_id = r.id and m2.role = 'assistant') as answers,
           m.status as answer_status, m.content, m.credits, m.input_tokens, m.output_tokens
         from credit_reservations r
         left join messages m on m.request_id = r.id and m.role = 'assistant'`,
      )
    ).map(numbersOf);
    expect(rows).toHaveLength(streams.length);
    const byKey = new Map(rows.map((row) => [row.id, row]));
    for (const stream of streams) {
      const row = byKey.get(stream.key)!;
      const seen = stream.events.map((e) => e.data.text ?? '').join('');
      const charge = row.charged ?? 0;
      // Closed once, with exactly one charge row worth the reservation's charge.
      expect(row.status).toBe('settled');
      expect(row.charge_rows).toBe(1);
      expect(-(row.charge_sum ?? 0)).toBe(charge);
      // One stored answer, marked aborted, holding (at least) what the client saw, billed as such.
      expect(row.answers).toBe(1);
      expect(row.answer_status).toBe('aborted');
      expect(row.content?.startsWith(seen)).toBe(true);
      expect(row.credits).toBe(charge);
      expect(row.output_tokens).toBeGreaterThan(0);
      const cost =
        Math.ceil(((row.input_tokens ?? 0) * Number(price!.input)) / 1e6) +
        Math.ceil(((row.output_tokens ?? 0) * Number(price!.output)) / 1e6);
      expect(charge).toBe(Math.min(row.amount, cost));
    }
    // What was delivered differs between answers, and so do their charges.
    expect(new Set(rows.map((r) => r.output_tokens)).size).toBeGreaterThan(1);
    expect(await server.storage.stores.money.checkInvariants()).toMatchObject({
      ok: true,
      problems: [],
    });
  });
});
