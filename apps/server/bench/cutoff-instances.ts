// Cut-off latency across instances (decision 029): API users stream from two server processes, B
// and C, that share one SQLite file and one Redis; each user's mark is revoked by instance A's write
// path (lib/revoker.ts with `announce`: `revokeMark` on a connection of its own, in a thread of its
// own, then the bus's `poke()` publishes the notice over Redis, as a server does after an admin's
// revoke). B and C learn of it from the notice alone: with Redis live their catch-up looks at the
// notice flag, not at the shared file's data_version, and their outbox poll is the 1 s safety net.
// Side by side, in the same rounds, the same streams on ONE instance without Redis, revoked from
// another connection to its file (today's path, as in cutoff-latency): the ratio multi ÷ single.
// Targets for the instances: p99 ≤ 100 ms from commit to stream end, ≤ 1 chunk after a revoke.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Benchmark } from './lib/benchmark.ts';
import { type FakeUpstream, startFakeUpstream } from './lib/fake-upstream.ts';
import { keepAliveAgent } from './lib/http-load.ts';
import { type Revoker, startRevoker } from './lib/revoker.ts';
import { type StreamResult, streamCompletion } from './lib/sse-client.ts';
import { ascending, machineLoad, percentile, withTimeout } from './lib/timing.ts';
import {
  BENCH_MODEL,
  completionBody,
  type StreamingFixture,
  startTessera,
  streamingDatabase,
  tesseraTarget,
} from './streaming-fixtures.ts';

const USERS = 40;
const ROUNDS = 6;
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 40, tokens: 2000 };
const TOKENS_BEFORE_REVOKE = 3;
const REVOKE_SPACING_MS = 12;
const ROUND_TIMEOUT_MS = 15_000;
const TARGET_P99_MS = 100;
const TARGET_CHUNKS_AFTER = 1;
const REDIS_URL =
  process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  latencyMs: number;
  chunksAfter: number;
}

interface Variant {
  label: string;
  fixture: StreamingFixture;
  revoker: Revoker;
  /** The instances the streams are spread over, round-robin. */
  origins: string[];
  samples: Sample[];
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every user streams (from one of the variant's instances); once all are mid-answer, revoke each. */
async function runRound(
  variant: Variant,
  agent: ReturnType<typeof keepAliveAgent>,
): Promise<Sample[]> {
  const streams = variant.fixture.users.map((user, i) => {
    const tokenTimes: number[] = [];
    let markStreaming!: () => void;
    const streaming = new Promise<void>((resolve) => {
      markStreaming = resolve;
    });
    const origin = variant.origins[i % variant.origins.length]!;
    const result = streamCompletion(
      agent,
      tesseraTarget(origin, user),
      completionBody(BENCH_MODEL, UPSTREAM.tokens),
      {
        onToken(at) {
          tokenTimes.push(at);
          if (tokenTimes.length === TOKENS_BEFORE_REVOKE) markStreaming();
        },
      },
    );
    result.then(markStreaming, markStreaming);
    return { user, tokenTimes, streaming, result, revokedAt: 0 };
  });
  await withTimeout(
    Promise.all(streams.map((s) => s.streaming)),
    ROUND_TIMEOUT_MS,
    'opening the streams',
  );
  for (const stream of shuffled(streams)) {
    await sleep(Math.random() * 2 * REVOKE_SPACING_MS);
    stream.revokedAt = await variant.revoker.revoke(stream.user.id);
  }
  const results: StreamResult[] = await withTimeout(
    Promise.all(streams.map((s) => s.result)),
    ROUND_TIMEOUT_MS,
    'cutting the streams off',
  );
  const samples = streams.map((stream, i) => {
    const result = results[i]!;
    if (result.error?.type !== 'cut_off')
      throw new Error(
        `${variant.label}: a stream did not end with a cut-off: ${JSON.stringify(result.error ?? { done: result.done })}`,
      );
    return {
      latencyMs: result.endedAt - stream.revokedAt,
      chunksAfter: stream.tokenTimes.filter((at) => at > stream.revokedAt).length,
    };
  });
  for (const user of variant.fixture.users) variant.fixture.grant(user.id);
  return samples;
}

function summary(samples: Sample[]) {
  const latencies = ascending(samples.map((s) => s.latencyMs));
  const after = samples.map((s) => s.chunksAfter);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
    maxAfter: Math.max(...after),
    histogram: [0, 1, 2]
      .map(
        (n) => `${n === 2 ? '≥2' : n}: ${after.filter((c) => (n === 2 ? c >= 2 : c === n)).length}`,
      )
      .join(', '),
  };
}

export const cutoffInstances: Benchmark = {
  id: 'cutoff-instances',
  title: 'cut-off latency across instances: revoke on A (Redis) → stream on B or C ends',
  async run({ explain, log }) {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
    } catch {
      throw new Error(`no Redis at ${REDIS_URL} (set BENCH_REDIS_URL or TEST_REDIS_URL)`);
    } finally {
      probe.disconnect();
    }
    const prefix = `bench-${randomBytes(4).toString('hex')}:`;
    const redis = { url: REDIS_URL, prefix, safetyPollMs: 1_000 };
    let upstream: FakeUpstream | undefined;
    const fixtures: StreamingFixture[] = [];
    const servers: Awaited<ReturnType<typeof startTessera>>[] = [];
    const revokers: Revoker[] = [];
    const agent = keepAliveAgent(USERS * 2);
    try {
      upstream = await startFakeUpstream(UPSTREAM);
      const multiFixture = streamingDatabase(upstream.baseURL, USERS);
      const singleFixture = streamingDatabase(upstream.baseURL, USERS);
      fixtures.push(multiFixture, singleFixture);
      const [b, c, single] = await Promise.all([
        startTessera(multiFixture.database.path, { settings: { redis } }),
        startTessera(multiFixture.database.path, { settings: { redis } }),
        startTessera(singleFixture.database.path),
      ]);
      servers.push(b!, c!, single!);
      const multiRevoker = startRevoker(multiFixture.database.path, multiFixture.enterpriseMarkId, {
        url: REDIS_URL,
        prefix,
      });
      const singleRevoker = startRevoker(
        singleFixture.database.path,
        singleFixture.enterpriseMarkId,
      );
      revokers.push(multiRevoker, singleRevoker);
      const multi: Variant = {
        label: 'B + C, Redis',
        fixture: multiFixture,
        revoker: multiRevoker,
        origins: [b!.info.origin, c!.info.origin],
        samples: [],
      };
      const one: Variant = {
        label: 'one instance',
        fixture: singleFixture,
        revoker: singleRevoker,
        origins: [single!.info.origin],
        samples: [],
      };
      await new Promise((resolve) => setTimeout(resolve, 300)); // the subscribers are live

      log('  warming up (one round each)…');
      await runRound(multi, agent);
      await runRound(one, agent);
      const perRound: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? [multi, one] : [one, multi];
        const got = new Map<Variant, Sample[]>();
        for (const variant of order) got.set(variant, await runRound(variant, agent));
        for (const [variant, samples] of got) variant.samples.push(...samples);
        const m = summary(got.get(multi)!);
        const s = summary(got.get(one)!);
        perRound.push(`${(m.p99 / s.p99).toFixed(2)}`);
        log(
          `  round ${round}: instances p50 ${m.p50.toFixed(1)} / p99 ${m.p99.toFixed(1)} ms (≤ ${m.maxAfter} after);` +
            ` one instance p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} ms (≤ ${s.maxAfter} after)`,
        );
      }
      for (const fixture of fixtures) {
        const open = fixture.database.sqlite
          .prepare<[], { n: number }>(
            "select count(*) as n from credit_reservations where status = 'open'",
          )
          .get()!.n;
        if (open > 0) throw new Error(`${open} reservations are still open after the cut-offs`);
      }
      const m = summary(multi.samples);
      const s = summary(one.samples);
      const ratio = m.p99 / TARGET_P99_MS;
      const pass = m.p99 <= TARGET_P99_MS && m.maxAfter <= TARGET_CHUNKS_AFTER;
      const row = (label: string, x: ReturnType<typeof summary>) =>
        `  ${label.padEnd(34)} p50 ${x.p50.toFixed(1).padStart(6)} ms   p99 ${x.p99.toFixed(1).padStart(6)} ms` +
        `   max ${x.max.toFixed(1).padStart(6)} ms   chunks after ≤ ${x.maxAfter} (${x.histogram})`;
      const lines = [
        row('revoke on A → stream on B/C ends', m),
        row('one instance (no Redis), same run', s),
        `  instances ÷ one instance: p50 ${(m.p50 / s.p50).toFixed(2)}×, p99 ${(m.p99 / s.p99).toFixed(2)}×` +
          `   (per-round p99 ratios ${perRound.join(', ')})`,
        `  ratio ${ratio.toFixed(3)} = instances' p99 ÷ ${TARGET_P99_MS} ms (target ≤ 1), and ≤ ${TARGET_CHUNKS_AFTER}` +
          ` chunk after a revoke  ${pass ? 'PASS' : 'MISS'}`,
      ];
      if (!pass || explain)
        lines.push(
          '  where the time goes: A commits, then PUBLISHes {event id, epoch} (one round trip to' +
            ' Redis); B and C read the outbox on the message (or before the next chunk, on the flag' +
            ' it sets), rebuild the member context, abort the upstream call, settle and write the' +
            ` error frame. A chunk is due every ${(1000 / UPSTREAM.tokensPerSecond).toFixed(0)} ms.`,
        );
      lines.push(machineLoad());
      return {
        heading: `(${USERS} users on B + C and ${USERS} on one instance, ${ROUNDS} interleaved rounds, ${UPSTREAM.tokensPerSecond} tokens/s)`,
        lines,
        ratio,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      agent.destroy();
      for (const revoker of revokers) await revoker.close();
      await Promise.all(servers.map((server) => server.close()));
      await upstream?.close();
      for (const fixture of fixtures) fixture.database.destroy();
    }
  },
};
