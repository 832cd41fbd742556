// 1,000 open streams: Tessera (forked, with --expose-gc) keeps about 1,000 completions open at
// once, relayed from a slow fake upstream in its own process, one stream per API user, and we
// watch the server process: its event-loop delay (perf_hooks.monitorEventLoopDelay) and its heap
// after a full GC.
//
// The streams churn: OPEN_RATE new ones a second, each living LIFE_MS, so once the first LIFE_MS
// has ramped up (the warm-up), ~1,000 are open at every moment while as many open and end each
// second. Even streams end normally ([DONE]: their max_tokens makes the upstream end them on
// time); the client walks away from odd ones (a closed tab). Each measured cycle (CYCLE_MS) opens
// and ends 500 streams, complete and abandoned, each settled; the heap is taken after a full GC at
// the end of every cycle. At the end every client leaves at once (a mass disconnect), which is
// reported but not judged. The rate is what one server core sustains with room to spare: the
// server spends a few ms of CPU on each stream's admission and settlement.
// Targets: event-loop delay p99 ≤ 50 ms (the ratio is p99 ÷ 50 ms, median of the cycles), and a
// flat heap: heap after cycle 5 ÷ after cycle 1 ≤ 1.2.
import { setMaxListeners } from 'node:events';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Benchmark, formatNumber } from './lib/benchmark.ts';
import { median } from './lib/compare.ts';
import type { FakeUpstreamProcessInfo, FakeUpstreamStats } from './lib/fake-upstream.server.ts';
import { type ServerProcess, startServerProcess } from './lib/server-process.ts';
import { expectCompleteStream, type StreamHooks, streamCompletion } from './lib/sse-client.ts';
import { HOLD_MS, machineLoad, withTimeout } from './lib/timing.ts';
import type { HeapSample, LoopDelay, StreamingServerInfo } from './streaming.server.ts';
import {
  BENCH_MODEL,
  completionBody,
  type StreamingFixture,
  startTessera,
  streamingDatabase,
  tesseraTarget,
} from './streaming-fixtures.ts';

const STREAMS = 1000;
const CYCLES = 5;
/** New streams a second (and, once ramped up, ended a second). */
const OPEN_RATE = 100;
/** How long each stream lives: OPEN_RATE × LIFE_MS = 1,000 open at once. */
const LIFE_MS = (STREAMS / OPEN_RATE) * 1000;
/** One churn cycle: OPEN_RATE × CYCLE_MS streams open and as many end. */
const CYCLE_MS = 5000;
/** A slow upstream: the first token after 200 ms, then 2 tokens a second. */
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 2, tokens: 1000, usage: 'counted' as const };
const SETTLE_TIMEOUT_MS = 15_000;
const TARGET_LAG_MS = 50;
const TARGET_HEAP_GROWTH = 1.2;

interface Cycle {
  lag: LoopDelay;
  heap: HeapSample;
  /** Streams open at the upstream when the cycle ended. */
  open: number;
  /** Server CPU time over the cycle, µs. */
  cpuMicros: number;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

/** max_tokens that make the upstream end a stream opened at `openedAt` at `endAt` or just after. */
function tokensUntil(openedAt: number, endAt: number): number {
  const seconds = Math.max(0, endAt - openedAt - UPSTREAM.ttftMs) / 1000;
  return Math.max(1, Math.ceil(seconds * UPSTREAM.tokensPerSecond) + 1);
}

function openReservations(fixture: StreamingFixture): number {
  return fixture.database.sqlite
    .prepare<[], { n: number }>(
      "select count(*) as n from credit_reservations where status = 'open'",
    )
    .get()!.n;
}

export const openStreams: Benchmark = {
  id: 'open-streams',
  title: '1,000 open streams: server event-loop delay and heap',
  async run({ explain, log }) {
    let fixture: StreamingFixture | undefined;
    let upstream: ServerProcess<FakeUpstreamProcessInfo> | undefined;
    let server: ServerProcess<StreamingServerInfo> | undefined;
    // A connection per stream, as browsers and SDKs open them for SSE (no keep-alive reuse race).
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const leaveAll = new AbortController(); // every client leaves at the end
    setMaxListeners(STREAMS * 2, leaveAll.signal);
    const timers = new Set<NodeJS.Timeout>();
    try {
      upstream = await startServerProcess<FakeUpstreamProcessInfo>(
        new URL('./lib/fake-upstream.server.ts', import.meta.url),
        { args: [JSON.stringify(UPSTREAM)] },
      );
      fixture = streamingDatabase(upstream.info.baseURL, STREAMS);
      server = await startTessera(fixture.database.path, { execArgv: ['--expose-gc'] });
      const tessera = server;
      const upstreamProcess = upstream;
      const users = fixture.users;

      const spacing = 1000 / OPEN_RATE;
      const total = Math.round(((LIFE_MS + CYCLES * CYCLE_MS) * OPEN_RATE) / 1000);
      const started = performance.now();
      /** Protocol failures (a refusal, an error frame): the setup is broken, the run stops. */
      const failures: unknown[] = [];
      /** Connections that failed under load (reset, refused): counted, and the verdict is a MISS. */
      const dropped: string[] = [];
      const running = new Set<Promise<void>>();
      const open = (k: number) => {
        const openedAt = performance.now();
        const endAt = openedAt + LIFE_MS;
        const hooks: StreamHooks = { signal: leaveAll.signal };
        if (k % 2 === 1) {
          // The client walks away when the stream's time is up.
          const leave = new AbortController();
          const timer = setTimeout(() => {
            timers.delete(timer);
            leave.abort();
          }, LIFE_MS);
          timers.add(timer);
          hooks.signal = AbortSignal.any([leave.signal, leaveAll.signal]);
        }
        // The upstream ends an even stream when its time is up (max_tokens); an odd one runs on.
        const tokens = k % 2 === 1 ? UPSTREAM.tokens : tokensUntil(openedAt, endAt);
        const stream = streamCompletion(
          agent,
          tesseraTarget(tessera.info.origin, users[k % STREAMS]!),
          completionBody(BENCH_MODEL, tokens),
          hooks,
        )
          .then(
            (result) => expectCompleteStream(result, 'a client'),
            (error: unknown) => {
              const at = ((openedAt - started) / 1000).toFixed(2);
              dropped.push(`stream ${k} (opened at +${at} s): ${String(error)}`);
            },
          )
          .catch((error: unknown) => {
            failures.push(error);
          })
          .finally(() => running.delete(stream));
        running.add(stream);
      };

      // Sampling runs beside the opener: at each cycle's end, close that cycle's delay histogram,
      // take the heap (a full GC, kept out of the histograms), and start the next. Cycle 0 is the
      // ramp-up (warm-up).
      const cycles: Cycle[] = [];
      const sampler = (async () => {
        for (let c = 0; c <= CYCLES && failures.length === 0; c++) {
          const cpuBefore = await tessera.cpuMicros();
          await tessera.call('lagStart');
          await sleep(started + LIFE_MS + c * CYCLE_MS - performance.now());
          const lag = await tessera.call<LoopDelay>('lagStop');
          const cpuMicros = (await tessera.cpuMicros()) - cpuBefore;
          const openNow = (await upstreamProcess.call<FakeUpstreamStats>('stats')).open;
          const heap = await tessera.call<HeapSample>('heap');
          if (c === 0) {
            log(`  ramped up (warm-up): ${openNow} streams open; heap ${mib(heap.heapUsed)}`);
            continue;
          }
          cycles.push({ lag, heap, open: openNow, cpuMicros });
          log(
            `  cycle ${c}: ${openNow} open at its end; event-loop delay p99 ${ms(lag.p99)},` +
              ` max ${ms(lag.max)}; heap ${mib(heap.heapUsed)}, rss ${mib(heap.rss)}`,
          );
        }
      })();

      log(
        `  opening ${formatNumber(total)} streams, ${OPEN_RATE} a second, each for ${LIFE_MS / 1000} s` +
          ` (${LIFE_MS / 1000} s ramp-up, then ${CYCLES} cycles of ${CYCLE_MS / 1000} s)…`,
      );
      for (let k = 0; k < total && failures.length === 0; k++) {
        await sleep(started + k * spacing - performance.now());
        open(k);
      }
      await sampler;
      if (failures.length > 0) throw failures[0];

      // Every client leaves at once, while the server is busy (a long task, a full GC): all their
      // closes then reach it in one poll phase, the worst case. The stall is measured from the end
      // of the hold. Then check that everything was settled.
      const holding = tessera.call('holdThenLagStart');
      await sleep(HOLD_MS / 5); // the server is inside the hold
      leaveAll.abort();
      await holding;
      await withTimeout(Promise.all(running), SETTLE_TIMEOUT_MS, 'ending the streams');
      for (let waited = 0; ; waited += 50) {
        const stats = await upstreamProcess.call<FakeUpstreamStats>('stats');
        if (stats.open === 0 && openReservations(fixture) === 0) break;
        if (waited > SETTLE_TIMEOUT_MS)
          throw new Error('streams or reservations stayed open after every client left');
        await sleep(50);
      }
      const disconnect = await tessera.call<LoopDelay>('lagStop');
      const drained = await tessera.call<HeapSample>('heap');
      if (failures.length > 0) throw failures[0];

      const lagP99 = median(cycles.map((c) => c.lag.p99));
      const worst = Math.max(...cycles.map((c) => c.lag.p99));
      const first = cycles[0]!.heap.heapUsed;
      const last = cycles.at(-1)!.heap.heapUsed;
      const growth = last / first;
      const ratio = lagP99 / TARGET_LAG_MS;
      const pass = ratio <= 1 && growth <= TARGET_HEAP_GROWTH && dropped.length === 0;
      const fewest = Math.min(...cycles.map((c) => c.open));
      const lines = [
        `  event-loop delay p99 ${ms(lagP99)} (median of ${CYCLES} cycles; worst ${ms(worst)},` +
          ` largest stall ${ms(Math.max(...cycles.map((c) => c.lag.max)))})`,
        `  ratio ${ratio.toFixed(3)} = p99 ÷ ${TARGET_LAG_MS} ms (target ≤ 1)  ${ratio <= 1 ? 'PASS' : 'MISS'}`,
        `  heap after a full GC: cycle 1 ${mib(first)} → cycle ${CYCLES} ${mib(last)},` +
          ` ×${growth.toFixed(3)} (target ≤ ${TARGET_HEAP_GROWTH})  ${growth <= TARGET_HEAP_GROWTH ? 'PASS' : 'MISS'}` +
          `   (each: ${cycles.map((c) => mib(c.heap.heapUsed).replace(' MiB', '')).join(', ')} MiB;` +
          ` after all closed ${mib(drained.heapUsed)})`,
        ...(dropped.length > 0
          ? [
              `  ${dropped.length} streams lost their connection (the first: ${dropped[0]}); the verdict` +
                ' needs none',
            ]
          : []),
        `  verdict (both targets)  ${pass ? 'PASS' : 'MISS'}`,
        `  streams open at the upstream at a cycle's end: ${formatNumber(fewest)} at the fewest` +
          (fewest < STREAMS * 0.95
            ? `  (well under ${formatNumber(STREAMS)}: the server fell behind the opening rate)`
            : ''),
        `  not judged: when all ${formatNumber(STREAMS)} clients leave at once (while the server is` +
          ` busy, so their closes arrive in one batch) the loop stalls up to ${ms(disconnect.max)}` +
          ` (p99 ${ms(disconnect.p99)}) from the end of the hold`,
      ];
      if (!pass || explain) {
        const cpuPerStream =
          median(cycles.map((c) => c.cpuMicros)) / ((OPEN_RATE * CYCLE_MS) / 1000);
        lines.push(
          `  server loop busy ${pct(median(cycles.map((c) => c.lag.busy)))}, CPU it got` +
            ` ${pct(median(cycles.map((c) => c.lag.cpu)))} of a core (busy well above CPU: it waited` +
            ' for a core, so part of the delay is the machine)',
          `  server CPU per stream (admission, ${(LIFE_MS / 1000) * UPSTREAM.tokensPerSecond} relayed chunks,` +
            ` settlement): ${(cpuPerStream / 1000).toFixed(2)} ms, × ${OPEN_RATE} new streams a second`,
          `  rss after cycle 1 ${mib(cycles[0]!.heap.rss)}, after cycle ${CYCLES} ${mib(cycles.at(-1)!.heap.rss)}`,
        );
      }
      lines.push(machineLoad());
      return {
        heading:
          `(~${formatNumber(STREAMS)} open at once, ${OPEN_RATE} opened and ended a second, ${CYCLES} cycles` +
          ` of ${CYCLE_MS / 1000} s; upstream ${UPSTREAM.tokensPerSecond} tokens/s in its own process)`,
        lines,
        ratio,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      for (const timer of timers) clearTimeout(timer);
      leaveAll.abort();
      agent.destroy();
      await server?.close();
      await upstream?.close();
      fixture?.database.destroy();
    }
  },
};
