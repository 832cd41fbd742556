// The server side of the streaming benchmarks, in its own process: the whole product
// (`startApp`, the same composition as `pnpm serve`) on 127.0.0.1, serving the database file
// named by the first argument. Besides the built-in CPU command it answers:
//   lagStart / lagStop  event-loop delay (perf_hooks.monitorEventLoopDelay) between the two, ms
//   lagPhase            the same since lagStart or the previous lagPhase (the phases of a cycle)
//                       (each also reports the loop's utilization and the CPU share it got)
//   heap                heap used after a full GC (needs --expose-gc), bytes
//   memory              resident set now and its peak since start (no GC), bytes
//   heapSnapshot        a V8 heap snapshot (after a full GC) written to the temp directory; its path
// An optional second argument is JSON with app settings a benchmark changes
// (`chatResumeGraceMs`; `redis` for several instances, as REDIS_URL & co. would give).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { startApp } from '../src/app.ts';
import type { AppConfig } from '../src/config.ts';
import { serveBenchProcess } from './lib/server-process.ts';
import { HOLD_MS } from './lib/timing.ts';

export interface StreamingServerInfo {
  origin: string;
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Event-loop utilization over the span (0–1): the share of time the loop was not waiting. */
  busy: number;
  /** CPU time the process got over the span ÷ the span. Well below `busy`: it waited for a core. */
  cpu: number;
}

export interface MemorySample {
  rss: number;
  /** The process's resident-set high-water mark since it started (`resourceUsage().maxRSS`). */
  peakRss: number;
}

export interface HeapSample {
  heapUsed: number;
  rss: number;
  external: number;
}

const NS_PER_MS = 1e6;
/**
 * The monitor's timer fires every RESOLUTION_MS and records the whole interval, so an idle loop
 * reads ≈ 10 ms; what is reported is the delay beyond it.
 */
const RESOLUTION_MS = 10;

/** Where a span began: the loop's utilization counters and the process's CPU time. */
interface Mark {
  elu: EventLoopUtilization;
  cpuMicros: number;
  at: number;
}

function mark(): Mark {
  const { user, system } = process.cpuUsage();
  return {
    elu: performance.eventLoopUtilization(),
    cpuMicros: user + system,
    at: performance.now(),
  };
}

function delayOf(histogram: ReturnType<typeof monitorEventLoopDelay>, since: Mark): LoopDelay {
  const beyond = (ns: number) => Math.max(0, ns / NS_PER_MS - RESOLUTION_MS);
  const now = mark();
  return {
    p50: beyond(histogram.percentile(50)),
    p99: beyond(histogram.percentile(99)),
    max: beyond(histogram.max),
    mean: beyond(histogram.mean),
    busy: performance.eventLoopUtilization(now.elu, since.elu).utilization,
    cpu: (now.cpuMicros - since.cpuMicros) / ((now.at - since.at) * 1000),
  };
}

await serveBenchProcess<StreamingServerInfo>(async () => {
  const databasePath = process.argv[2];
  if (!databasePath) throw new Error('usage: streaming.server.ts <database path> [settings JSON]');
  const settings = JSON.parse(process.argv[3] ?? '{}') as {
    chatResumeGraceMs?: number;
    redis?: AppConfig['redis'];
  };
  const app = await startApp({
    ...settings,
    databasePath,
    host: '127.0.0.1',
    port: 0,
    logLevel: (process.env.BENCH_LOG_LEVEL as 'silent') ?? 'silent',
  });
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const phase = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let spanStart = mark();
  let phaseStart = spanStart;
  const collect = (globalThis as { gc?: () => void }).gc;
  const commands = {
    lagStart() {
      for (const histogram of [delay, phase]) {
        histogram.disable();
        histogram.reset();
        histogram.enable();
      }
      spanStart = mark();
      phaseStart = spanStart;
    },
    /**
     * Holds the loop busy for HOLD_MS (as a long task or a full GC would), then starts the delay
     * histograms: whatever arrived meanwhile (a crowd's closed connections) is served in one
     * poll phase right after, and that is what is measured.
     */
    holdThenLagStart() {
      const until = performance.now() + HOLD_MS;
      while (performance.now() < until);
      commands.lagStart();
    },
    lagPhase(): LoopDelay {
      const result = delayOf(phase, phaseStart);
      phase.reset();
      phaseStart = mark();
      return result;
    },
    lagStop(): LoopDelay {
      delay.disable();
      phase.disable();
      return delayOf(delay, spanStart);
    },
    memory(): MemorySample {
      return { rss: process.memoryUsage.rss(), peakRss: process.resourceUsage().maxRSS * 1024 };
    },
    heap(): HeapSample {
      if (!collect) throw new Error('start the server with --expose-gc to sample the heap');
      collect();
      collect();
      const usage = process.memoryUsage();
      return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external };
    },
    heapSnapshot(): string {
      collect?.();
      return writeHeapSnapshot(join(tmpdir(), `tessera-${process.pid}-${Date.now()}.heapsnapshot`));
    },
  };
  return { info: { origin: app.url }, commands, close: () => app.close() };
});
