// 5,000 open SPA streams, then 1,000 clients leave at once. Tessera (forked) holds one chat answer
// per signed-in user open over the SPA's own transport — the tRPC subscription `chat.stream` over
// SSE, one connection each — relayed from a slow fake upstream in its own process, and we watch
// the server: its event-loop delay (perf_hooks.monitorEventLoopDelay) while it holds them, its
// peak resident set, and the longest stall of its loop when 1,000 of the clients close their
// connections in the same instant. Each left answer waits out the resume grace (docs/decisions/
// 009) — set short here — and is then stopped and settled for what was delivered; the grace
// timers of the 1,000 end together, so their settlements land together too.
// Targets: event-loop delay p99 ≤ 50 ms while holding, peak RSS ≤ 1 GiB, leave stall ≤ 100 ms;
// ratio = the worst of the three ÷ its target. The 1,000 must each be settled exactly once.
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkCreditInvariants, requestKey } from '@tessera/api';
import { createSession } from '../../../packages/api/src/auth/sessions.ts';
import type { Benchmark } from './lib/benchmark.ts';
import type { FakeUpstreamProcessInfo, FakeUpstreamStats } from './lib/fake-upstream.server.ts';
import { type ServerProcess, startServerProcess } from './lib/server-process.ts';
import { openSpaStream, type SpaStream } from './lib/spa-stream-client.ts';
import { machineLoad } from './lib/timing.ts';
import type {
  HeapSample,
  LoopDelay,
  MemorySample,
  StreamingServerInfo,
} from './streaming.server.ts';
import {
  BENCH_MODEL,
  type StreamingFixture,
  startTessera,
  streamingDatabase,
} from './streaming-fixtures.ts';
import { verifyLeaveSettlement } from './streams-settlement.ts';

const STREAMS = 5000;
const LEAVERS = 1000;
/** Streams being admitted at once while ramping up (closed loop: as fast as the server admits). */
const OPENING = 32;
/** How long the 5,000 are held and watched. */
const HOLD_MS = 10_000;
/** The resume grace a left answer waits for its client (production default 10 s). */
const GRACE_MS = 2_000;
/** A slow upstream: the first token after 200 ms, then one every 5 s — streams mostly idle. */
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 0.2, tokens: 1000, usage: 'counted' as const };
const SETTLE_TIMEOUT_MS = GRACE_MS + 30_000;
const TARGET_LAG_MS = 50;
const TARGET_RSS = 2 ** 30;
const TARGET_STALL_MS = 100;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** A session cookie for every fixture user, made with the domain call, in one commit. */
export function signIn(fixture: StreamingFixture): string[] {
  const { db, sqlite } = fixture.database;
  const now = new Date();
  return sqlite.transaction(() =>
    fixture.users.map(({ id }) => {
      const { token } = createSession(db, { userId: id, now, ip: null, userAgent: null });
      return `tessera_session=${token}`;
    }),
  )();
}

function countOpen(fixture: StreamingFixture, keys: string[]): number {
  return fixture.database.sqlite
    .prepare<[string], { n: number }>(
      `select count(*) as n from credit_reservations
       where status = 'open' and id in (select value from json_each(?))`,
    )
    .get(JSON.stringify(keys))!.n;
}

/** Waits until none of `keys` has an open reservation; the time it took, ms. */
async function untilSettled(fixture: StreamingFixture, keys: string[]): Promise<number> {
  const started = performance.now();
  while (countOpen(fixture, keys) > 0) {
    if (performance.now() - started > SETTLE_TIMEOUT_MS)
      throw new Error(
        `${countOpen(fixture, keys)} reservations stayed open after their clients left`,
      );
    await sleep(20);
  }
  return performance.now() - started;
}

export const streams5000: Benchmark = {
  id: 'streams-5000',
  title: '5,000 open SPA streams, then 1,000 clients leave at once',
  async run({ log }) {
    let fixture: StreamingFixture | undefined;
    let upstream: ServerProcess<FakeUpstreamProcessInfo> | undefined;
    let server: ServerProcess<StreamingServerInfo> | undefined;
    // A connection per stream, as a browser's EventSource has.
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const streams: SpaStream[] = [];
    try {
      upstream = await startServerProcess<FakeUpstreamProcessInfo>(
        new URL('./lib/fake-upstream.server.ts', import.meta.url),
        { args: [JSON.stringify(UPSTREAM)] },
      );
      fixture = streamingDatabase(upstream.info.baseURL, STREAMS);
      const cookies = signIn(fixture);
      server = await startTessera(fixture.database.path, {
        execArgv: ['--expose-gc'],
        settings: { chatResumeGraceMs: GRACE_MS },
      });
      const origin = server.info.origin;
      const users = fixture.users;
      const requestIds = users.map((_, k) => `bench-stream-${String(k).padStart(6, '0')}`);

      // Ramp-up: keep OPENING streams waiting for admission until all are open.
      log(`  opening ${STREAMS} streams (${OPENING} admitted at a time)…`);
      await server.call('lagStart');
      const rampStarted = performance.now();
      let next = 0;
      const opener = async () => {
        while (next < STREAMS) {
          const k = next++;
          const stream = openSpaStream(agent, origin, cookies[k]!, {
            requestId: requestIds[k]!,
            model: BENCH_MODEL,
            content: 'Tell me about the quick brown fox, in as many words as you like.',
          });
          streams[k] = stream;
          await stream.admitted;
        }
      };
      await Promise.all(Array.from({ length: OPENING }, opener));
      const rampMs = performance.now() - rampStarted;
      const ramp = await server.call<LoopDelay>('lagStop');
      for (let waited = 0; ; waited += 100) {
        const stats = await upstream.call<FakeUpstreamStats>('stats');
        if (stats.open >= STREAMS) break;
        if (waited > 10_000) throw new Error(`only ${stats.open} streams reached the upstream`);
        await sleep(100);
      }
      log(
        `  ${STREAMS} open after ${(rampMs / 1000).toFixed(1)} s (${Math.round((STREAMS * 1000) / rampMs)}/s;` +
          ` loop delay while admitting p99 ${ms(ramp.p99)}, max ${ms(ramp.max)})`,
      );

      // Hold: every stream open, tokens trickling.
      await server.call('lagStart');
      await sleep(HOLD_MS);
      const hold = await server.call<LoopDelay>('lagStop');
      const held = await server.call<MemorySample>('memory');
      const heap = await server.call<HeapSample>('heap'); // a full GC, outside every window
      // A stream that ended by itself before its client left (a reset, a timeout, an error frame).
      const dropped = (
        await Promise.all(streams.map((s) => Promise.race([s.ended, Promise.resolve(null)])))
      ).filter((r) => r !== null).length;
      log(
        `  held ${HOLD_MS / 1000} s: loop delay p99 ${ms(hold.p99)}, max ${ms(hold.max)};` +
          ` rss ${mib(held.rss)}, peak ${mib(held.peakRss)}; heap after a full GC ${mib(heap.heapUsed)},` +
          ` external ${mib(heap.external)}`,
      );

      // 1,000 clients leave in the same instant.
      const leaving = streams.slice(0, LEAVERS);
      const leavingKeys = users.slice(0, LEAVERS).map((u, k) => requestKey(u.id, requestIds[k]!));
      await server.call('lagStart');
      for (const stream of leaving) stream.leave();
      // Two phases: the connections close (until just before the grace ends), then the answers
      // are stopped and settled.
      await sleep(GRACE_MS - 100);
      const closing = await server.call<LoopDelay>('lagStop');
      await server.call('lagStart');
      const settledMs = GRACE_MS - 100 + (await untilSettled(fixture, leavingKeys));
      const stopping = await server.call<LoopDelay>('lagStop');
      const leave = { max: Math.max(closing.max, stopping.max) };
      const clientDeltas = (await Promise.all(leaving.map((s) => s.ended))).map((r) => r.deltas);
      const settlement = verifyLeaveSettlement(fixture.database.sqlite, leavingKeys, clientDeltas);
      log(
        `  ${LEAVERS} left: all settled ${ms(settledMs)} after (grace ${GRACE_MS} ms);` +
          ` loop stall max ${ms(leave.max)} (connections closing ${ms(closing.max)}, answers stopped` +
          ` and settled ${ms(stopping.max)})`,
      );

      // The rest leave too (not judged), so the credit check sees every answer settled.
      const rest = streams.slice(LEAVERS);
      const restKeys = users
        .slice(LEAVERS)
        .map((u, k) => requestKey(u.id, requestIds[LEAVERS + k]!));
      await server.call('lagStart');
      for (const stream of rest) stream.leave();
      const restSettledMs = await untilSettled(fixture, restKeys);
      const restLeave = await server.call<LoopDelay>('lagStop');
      const memory = await server.call<MemorySample>('memory');
      const invariants = checkCreditInvariants(fixture.database.db);

      const lagRatio = hold.p99 / TARGET_LAG_MS;
      const rssRatio = memory.peakRss / TARGET_RSS;
      const stallRatio = leave.max / TARGET_STALL_MS;
      const ratio = Math.max(lagRatio, rssRatio, stallRatio);
      const settledOk = settlement.problems.length === 0 && invariants.ok;
      const pass = ratio <= 1 && settledOk && dropped === 0;
      const lines = [
        `  holding ${STREAMS}: event-loop delay p99 ${ms(hold.p99)} (max ${ms(hold.max)}, loop busy` +
          ` ${pct(hold.busy)}) — ratio ${lagRatio.toFixed(3)} (target ≤ ${TARGET_LAG_MS} ms)  ${verdict(lagRatio <= 1)}`,
        `  server RSS peak ${mib(memory.peakRss)} (while holding ${mib(held.rss)}) — ratio` +
          ` ${rssRatio.toFixed(3)} (target ≤ 1 GiB)  ${verdict(rssRatio <= 1)}`,
        `  ${LEAVERS} clients leave at once: longest loop stall ${ms(leave.max)} (` +
          `all settled ${ms(settledMs)} after the leave, ${GRACE_MS} ms of it the resume grace;` +
          ` while the connections closed ${ms(closing.max)}, while the answers were stopped and` +
          ` settled ${ms(stopping.max)}) — ratio` +
          ` ${stallRatio.toFixed(3)} (target ≤ ${TARGET_STALL_MS} ms)  ${verdict(stallRatio <= 1)}`,
        `  settlement of the ${LEAVERS}: ${settlement.summary}  ${verdict(settlement.problems.length === 0)}`,
        ...settlement.problems.slice(0, 5).map((p) => `    problem: ${p}`),
        `  credits:check after every stream ended: ${invariants.ok ? 'clean' : `${invariants.problems.length} problems`}` +
          `  ${verdict(invariants.ok)}`,
        ...(dropped > 0 ? [`  ${dropped} streams ended before their client left  MISS`] : []),
        `  verdict (all targets)  ${verdict(pass)}`,
        `  not judged: admitting ${STREAMS} took ${(rampMs / 1000).toFixed(1)} s (loop delay p99 ${ms(ramp.p99)});` +
          ` the other ${STREAMS - LEAVERS} leaving at once stall the loop ${ms(restLeave.max)}` +
          ` (settled ${ms(restSettledMs)} after)`,
        machineLoad(),
      ];
      return {
        heading:
          `(${STREAMS} SPA streams over SSE, upstream ${UPSTREAM.tokensPerSecond} tokens/s in its own` +
          ` process, held ${HOLD_MS / 1000} s; ${LEAVERS} leave at once, resume grace ${GRACE_MS} ms)`,
        lines,
        ratio,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      for (const stream of streams) stream?.leave();
      agent.destroy();
      await server?.close();
      await upstream?.close();
      fixture?.database.destroy();
    }
  },
};
