// Streaming time to first token: the same streamed completion requested from the fake upstream
// directly and through Tessera (`POST /v1/chat/completions` with an API key: key check, member
// context, admission, provider call through the `openai` SDK, relay). Both sides run in one process
// as interleaved rounds of 50 concurrent streams; the overhead is Tessera's TTFT minus direct TTFT
// at p50 and p99 over every stream of the run. Targets: +≤ 2 ms at p50, +≤ 10 ms at p99.
//
// "First byte" here is the first chunk with content. Tessera writes its headers and a role chunk
// at admission, before the upstream has answered, so its literal first byte is early and says
// nothing about the relay; it is printed as the admission time.
import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Benchmark } from './lib/benchmark.ts';
import { interleave, median, type Variant } from './lib/compare.ts';
import { type FakeUpstream, startFakeUpstream } from './lib/fake-upstream.ts';
import { keepAliveAgent } from './lib/http-load.ts';
import { expectCompleteStream, type StreamTarget, streamCompletion } from './lib/sse-client.ts';
import { ascending, machineLoad, percentile } from './lib/timing.ts';
import type { LoopDelay } from './streaming.server.ts';
import {
  BENCH_MODEL,
  completionBody,
  directTarget,
  startTessera,
  streamingDatabase,
  tesseraTarget,
  UPSTREAM_MODEL,
} from './streaming-fixtures.ts';

const CONCURRENCY = 50;
const ROUNDS = 8;
/** Streams each of the 50 clients runs back to back in one round of one variant. */
const STREAMS_PER_CLIENT = 3;
const WARMUP_PASSES = 2;
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 50, tokens: 10 };
/** How long one stream lasts at the upstream. */
const STREAM_MS = UPSTREAM.ttftMs + ((UPSTREAM.tokens - 1) * 1000) / UPSTREAM.tokensPerSecond;
const TARGET_P50_MS = 2;
const TARGET_P99_MS = 10;

interface Side {
  label: string;
  ttft: number[];
  firstByte: number[];
  roundP50: number[];
}

/**
 * One round of one side: every client runs its streams back to back and records the TTFT of each.
 * The clients start spread over one stream's length, so requests arrive at a steady rate (about
 * 50 ÷ stream length per second) instead of in synchronized waves of 50.
 */
async function runRound(
  agent: Agent,
  targets: StreamTarget[],
  model: string,
  side: Side | null,
): Promise<number> {
  const samples: number[] = [];
  const spacing = STREAM_MS / targets.length;
  await Promise.all(
    targets.map(async (target, client) => {
      await sleep(client * spacing);
      for (let i = 0; i < STREAMS_PER_CLIENT; i++) {
        const result = await streamCompletion(agent, target, completionBody(model, 1000));
        expectCompleteStream(result, side?.label ?? 'warm-up', UPSTREAM.tokens);
        samples.push(result.firstTokenAt! - result.sentAt);
        if (side && result.firstByteAt !== null)
          side.firstByte.push(result.firstByteAt - result.sentAt);
      }
    }),
  );
  const p50 = median(samples);
  if (side) {
    side.ttft.push(...samples);
    side.roundP50.push(p50);
  }
  return p50;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} ms`;

export const streamTtfb: Benchmark = {
  id: 'stream-ttfb',
  title: 'streaming time to first token, through Tessera vs direct',
  async run({ explain, log }) {
    let upstream: FakeUpstream | undefined;
    let fixture: ReturnType<typeof streamingDatabase> | undefined;
    let server: Awaited<ReturnType<typeof startTessera>> | undefined;
    const agents: Agent[] = [];
    try {
      upstream = await startFakeUpstream(UPSTREAM);
      fixture = streamingDatabase(upstream.baseURL, CONCURRENCY);
      server = await startTessera(fixture.database.path);
      const directAgent = keepAliveAgent(CONCURRENCY);
      const tesseraAgent = keepAliveAgent(CONCURRENCY);
      agents.push(directAgent, tesseraAgent);
      const origin = server.info.origin;
      const directTargets = fixture.users.map(() => directTarget(upstream!.origin));
      const tesseraTargets = fixture.users.map((user) => tesseraTarget(origin, user));

      // Both sides must relay the same answer and the provider's usage block.
      const [direct, relayed] = await Promise.all([
        streamCompletion(directAgent, directTargets[0]!, completionBody(UPSTREAM_MODEL, 1000)),
        streamCompletion(tesseraAgent, tesseraTargets[0]!, completionBody(BENCH_MODEL, 1000)),
      ]);
      expectCompleteStream(direct, 'direct', UPSTREAM.tokens);
      expectCompleteStream(relayed, 'through Tessera', UPSTREAM.tokens);
      if (
        relayed.text !== direct.text ||
        relayed.usage?.total_tokens !== direct.usage?.total_tokens
      )
        throw new Error('Tessera relayed a different answer or usage than the upstream sent');

      log(`  warming up (${WARMUP_PASSES} passes per side)…`);
      for (let i = 0; i < WARMUP_PASSES; i++) {
        await runRound(directAgent, directTargets, UPSTREAM_MODEL, null);
        await runRound(tesseraAgent, tesseraTargets, BENCH_MODEL, null);
      }

      const directSide: Side = {
        label: 'direct to upstream',
        ttft: [],
        firstByte: [],
        roundP50: [],
      };
      const tesseraSide: Side = { label: 'through Tessera', ttft: [], firstByte: [], roundP50: [] };
      const cpu: number[] = [];
      const lag: LoopDelay[] = [];
      const tesseraServer = server;
      const baseline: Variant = {
        label: directSide.label,
        measure: () => runRound(directAgent, directTargets, UPSTREAM_MODEL, directSide),
      };
      const candidate: Variant = {
        label: tesseraSide.label,
        async measure() {
          const before = await tesseraServer.cpuMicros();
          await tesseraServer.call('lagStart');
          const p50 = await runRound(tesseraAgent, tesseraTargets, BENCH_MODEL, tesseraSide);
          lag.push(await tesseraServer.call<LoopDelay>('lagStop'));
          cpu.push((await tesseraServer.cpuMicros()) - before);
          return p50;
        },
      };
      const perRound = CONCURRENCY * STREAMS_PER_CLIENT;
      log(`  ${ROUNDS} rounds × ${perRound} streams per side; TTFT p50 direct → Tessera:`);
      await interleave({
        rounds: ROUNDS,
        baseline,
        candidate,
        onRound: (round, b, c) =>
          log(
            `  round ${round}: ${ms(b)} → ${ms(c)} (${signed(c - b)})` +
              `   server event-loop delay p99 ${ms(lag.at(-1)!.p99)}, max ${ms(lag.at(-1)!.max)}`,
          ),
      });

      const d = ascending(directSide.ttft);
      const t = ascending(tesseraSide.ttft);
      const over50 = percentile(t, 50) - percentile(d, 50);
      const over99 = percentile(t, 99) - percentile(d, 99);
      const ratio = Math.max(over50 / TARGET_P50_MS, over99 / TARGET_P99_MS);
      const pass = over50 <= TARGET_P50_MS && over99 <= TARGET_P99_MS;
      const roundOverheads = tesseraSide.roundP50.map((v, i) => v - directSide.roundP50[i]!);
      const admission = ascending(tesseraSide.firstByte);
      const row = (side: Side, sorted: number[]) =>
        `  ${side.label.padEnd(20)}TTFT p50 ${ms(percentile(sorted, 50))}   p99 ${ms(percentile(sorted, 99))}` +
        `   max ${ms(sorted.at(-1)!)}`;
      const lines = [
        row(directSide, d),
        row(tesseraSide, t),
        `  overhead p50 ${signed(over50)} (target ≤ +${TARGET_P50_MS} ms)  ${over50 <= TARGET_P50_MS ? 'PASS' : 'MISS'}` +
          `   (per-round p50 overheads ${signed(Math.min(...roundOverheads))} … ${signed(Math.max(...roundOverheads))})`,
        `  overhead p99 ${signed(over99)} (target ≤ +${TARGET_P99_MS} ms)  ${over99 <= TARGET_P99_MS ? 'PASS' : 'MISS'}`,
        `  ratio ${ratio.toFixed(3)} = worst of (overhead p50 ÷ ${TARGET_P50_MS} ms, overhead p99 ÷ ${TARGET_P99_MS} ms)` +
          ` (target ≤ 1)  ${pass ? 'PASS' : 'MISS'}`,
      ];
      if (!pass || explain) {
        lines.push(
          `  Tessera's first byte (headers + role chunk, written at admission): p50 ${ms(percentile(admission, 50))},` +
            ` p99 ${ms(percentile(admission, 99))}`,
          `  Tessera server CPU per stream: ${(median(cpu) / perRound).toFixed(0)} µs` +
            ` (key check, member context, admission, SDK call, ${UPSTREAM.tokens} relayed chunks, settlement)`,
        );
      }
      lines.push(machineLoad());
      return {
        heading:
          `(${CONCURRENCY} concurrent streams, ${ROUNDS} rounds × ${perRound} per side, upstream TTFT` +
          ` ${UPSTREAM.ttftMs} ms, ${UPSTREAM.tokens} tokens at ${UPSTREAM.tokensPerSecond}/s)`,
        lines,
        ratio,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      for (const agent of agents) agent.destroy();
      await server?.close();
      await upstream?.close();
      fixture?.database.destroy();
    }
  },
};
