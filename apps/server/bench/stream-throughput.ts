// Streaming throughput: tokens per second that reach 100 concurrent clients when they stream from
// the fake upstream directly and when Tessera relays the same streams (`/v1/chat/completions`
// with API keys; every chunk passes through the `openai` SDK, the chat engine and a fresh SSE
// frame). Each client runs completions back to back; a round counts the content chunks that
// arrive inside a fixed window once all clients are streaming. Target: relayed ≥ 0.98 × direct.
import { setMaxListeners } from 'node:events';
import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Benchmark, formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, median, type Variant } from './lib/compare.ts';
import { type FakeUpstream, startFakeUpstream } from './lib/fake-upstream.ts';
import { keepAliveAgent } from './lib/http-load.ts';
import { expectCompleteStream, type StreamTarget, streamCompletion } from './lib/sse-client.ts';
import { machineLoad } from './lib/timing.ts';
import {
  BENCH_MODEL,
  completionBody,
  directTarget,
  startTessera,
  streamingDatabase,
  tesseraTarget,
  UPSTREAM_MODEL,
} from './streaming-fixtures.ts';

const CONCURRENCY = 100;
const ROUNDS = 5;
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 100, tokens: 100 };
/** One stream's length at the upstream; the clients' starts are spread over it. */
const STREAM_MS = UPSTREAM.ttftMs + ((UPSTREAM.tokens - 1) * 1000) / UPSTREAM.tokensPerSecond;
/** Tokens are counted in this window, which opens once every client has started. */
const WINDOW_MS = 1500;
const TARGET = { atLeast: 0.98 };

interface RoundResult {
  tokensPerSecond: number;
  /** Every content chunk of the round (ramp and leaving included), and its length. */
  allTokens: number;
  elapsedMs: number;
  streams: number;
}

/**
 * One round of one side. Client i starts at i/100 of a stream's length and then streams back to
 * back; after the window closes every client leaves its current stream (the socket is destroyed,
 * as a closed browser tab would), so a round has a fixed length whatever the speed.
 */
async function runRound(
  agent: Agent,
  targets: StreamTarget[],
  model: string,
  label: string,
): Promise<RoundResult> {
  const started = performance.now();
  const opens = started + STREAM_MS;
  const closes = opens + WINDOW_MS;
  const leave = new AbortController();
  setMaxListeners(targets.length, leave.signal); // one listener per client's current stream
  let tokens = 0;
  let allTokens = 0;
  let streams = 0;
  const onToken = (at: number) => {
    allTokens++;
    if (at >= opens && at < closes) tokens++;
  };
  const clients = targets.map(async (target, i) => {
    await sleep((i * STREAM_MS) / targets.length);
    while (!leave.signal.aborted) {
      const result = await streamCompletion(agent, target, completionBody(model, 1000), {
        onToken,
        signal: leave.signal,
      });
      expectCompleteStream(result, label, UPSTREAM.tokens);
      streams++;
    }
  });
  await sleep(closes - performance.now());
  leave.abort();
  await Promise.all(clients);
  return {
    tokensPerSecond: (tokens * 1000) / WINDOW_MS,
    allTokens,
    elapsedMs: performance.now() - started,
    streams,
  };
}

export const streamThroughput: Benchmark = {
  id: 'stream-throughput',
  title: 'streaming throughput, relayed by Tessera vs direct',
  async run({ explain, log }) {
    let upstream: FakeUpstream | undefined;
    let fixture: ReturnType<typeof streamingDatabase> | undefined;
    let server: Awaited<ReturnType<typeof startTessera>> | undefined;
    const agents: Agent[] = [];
    try {
      upstream = await startFakeUpstream(UPSTREAM);
      fixture = streamingDatabase(upstream.baseURL, CONCURRENCY);
      server = await startTessera(fixture.database.path);
      const tessera = server;
      const directAgent = keepAliveAgent(CONCURRENCY);
      const tesseraAgent = keepAliveAgent(CONCURRENCY);
      agents.push(directAgent, tesseraAgent);
      const directTargets = fixture.users.map(() => directTarget(upstream!.origin));
      const tesseraTargets = fixture.users.map((user) => tesseraTarget(tessera.info.origin, user));

      const cpuPerToken: number[] = [];
      const cpuShare: number[] = [];
      const streamsPerRound: number[] = [];
      const direct: Variant = {
        label: 'direct to upstream',
        measure: async () =>
          (await runRound(directAgent, directTargets, UPSTREAM_MODEL, 'direct')).tokensPerSecond,
      };
      const relayed: Variant = {
        label: 'relayed by Tessera',
        async measure() {
          const before = await tessera.cpuMicros();
          const round = await runRound(tesseraAgent, tesseraTargets, BENCH_MODEL, 'Tessera');
          const micros = (await tessera.cpuMicros()) - before;
          cpuPerToken.push(micros / round.allTokens);
          cpuShare.push(micros / (round.elapsedMs * 1000));
          streamsPerRound.push(round.streams);
          return round.tokensPerSecond;
        },
      };

      log('  warming up (one round per side)…');
      await direct.measure();
      await relayed.measure();
      cpuPerToken.length = 0;
      cpuShare.length = 0;
      streamsPerRound.length = 0;

      log(`  ${ROUNDS} rounds; tokens/s direct → relayed:`);
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: direct,
        candidate: relayed,
        onRound: (round, b, c) =>
          log(
            `  round ${round}: ${formatNumber(b)} → ${formatNumber(c)} tokens/s (${(c / b).toFixed(3)})`,
          ),
      });
      const nominal = (CONCURRENCY * UPSTREAM.tokens * 1000) / STREAM_MS;
      const extra = [
        `  upstream pace ${formatNumber(nominal)} tokens/s at most (${CONCURRENCY} streams of` +
          ` ${UPSTREAM.tokens} tokens, ${UPSTREAM.tokensPerSecond}/s after a ${UPSTREAM.ttftMs} ms first token)`,
      ];
      const report = reportComparison(
        `(${CONCURRENCY} concurrent streams, ${ROUNDS} rounds × ${WINDOW_MS / 1000} s window per side)`,
        comparison,
        { unit: 'tokens/s', target: TARGET, extra },
      );
      if (!report.pass || explain) {
        report.lines.push(
          `  Tessera server CPU: ${median(cpuPerToken).toFixed(0)} µs per relayed token, admission and` +
            ` settlement of ≈ ${formatNumber(median(streamsPerRound))} streams per round included;` +
            ` ${(median(cpuShare) * 100).toFixed(0)}% of one core during a round`,
        );
      }
      report.lines.push(machineLoad());
      return report;
    } finally {
      for (const agent of agents) agent.destroy();
      await server?.close();
      await upstream?.close();
      fixture?.database.destroy();
    }
  },
};
