// Member context overhead: the same catalog query served over HTTP by a bare public procedure and
// by a member-gated one. The gated request additionally validates the session cookie (one SELECT
// plus a SHA-256), loads the user's tenant roles and active memberships (two SELECTs) and merges
// entitlements. Target: the gated query keeps ≥ 0.95 of the bare query's throughput.
//
// The server runs in its own process (member-context-overhead.server.ts); this process is the load
// generator.
import { type Benchmark, formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, median, type Target } from './lib/compare.ts';
import { get, httpVariant, keepAliveAgent, type LoadTarget, runLoad } from './lib/http-load.ts';
import { startServerProcess } from './lib/server-process.ts';
import type { CostRow, MemberContextServerInfo } from './member-context-overhead.server.ts';

const CONCURRENCY = 32;
// Many short rounds rather than a few long ones: on a shared 2-core machine a burst of other work
// lasts about a second, and short alternating rounds let it hit both variants alike.
const ROUNDS = 16;
/** Requests per variant per round are sized from the warm-up so one round (A + B) takes ≈ this. */
const ROUND_SECONDS = 1;
const MIN_REQUESTS = 300;
const MAX_REQUESTS = 4000;
const WARMUP_REQUESTS = 1000;
const TARGET: Target = { atLeast: 0.95 };
const SESSION_COOKIE = 'tessera_session';

/** The gate's extra cost from the in-process breakdown, against a bare request's server CPU time. */
function explainLines(rows: CostRow[], bareRequestMicros: number): string[] {
  const micros = (label: string) => rows.find((r) => r.label.startsWith(label))?.micros ?? NaN;
  const extra = micros('tRPC caller, gated') - micros('tRPC caller, bare');
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  return [
    '  where the time goes (server process, in-process calls, µs per call):',
    ...rows.map((r) => `    ${r.label.padEnd(width)}${r.micros.toFixed(1).padStart(7)}`),
    `    the gate adds ≈ ${extra.toFixed(0)} µs to a bare request that takes` +
      ` ${bareRequestMicros.toFixed(0)} µs of server CPU` +
      ` → expected ratio ≈ ${(bareRequestMicros / (bareRequestMicros + extra)).toFixed(2)}`,
  ];
}

export const memberContextOverhead: Benchmark = {
  id: 'member-context',
  title: 'member context overhead',
  async run({ explain, log }) {
    const server = await startServerProcess<MemberContextServerInfo>(
      new URL('./member-context-overhead.server.ts', import.meta.url),
    );
    const agent = keepAliveAgent(CONCURRENCY);
    try {
      const { origin, sessionToken } = server.info;
      const bare: LoadTarget = { origin, path: '/trpc/bare' };
      const gated: LoadTarget = {
        origin,
        path: '/trpc/gated',
        headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` },
      };

      // Both variants must answer the same rows, and the gate must be real.
      const [bareBody, gatedBody, anonymous] = await Promise.all([
        get(agent, bare),
        get(agent, gated),
        get(agent, { ...gated, headers: {} }),
      ]);
      if (bareBody.status !== 200 || gatedBody.body !== bareBody.body)
        throw new Error(`variants disagree: ${bareBody.status} vs ${gatedBody.status}`);
      if (anonymous.status !== 401)
        throw new Error(`gated query without a session answered ${anonymous.status}, not 401`);
      const rows = (JSON.parse(bareBody.body) as { result: { data: unknown[] } }).result.data
        .length;

      // Warm up (JIT, SQLite page cache, sockets), then size the rounds from the last pair.
      log(`  warming up (2 × ${WARMUP_REQUESTS} requests per variant)…`);
      const warm = { requests: WARMUP_REQUESTS, concurrency: CONCURRENCY };
      await runLoad(agent, bare, warm);
      await runLoad(agent, gated, warm);
      const secondsPerRequestPair =
        1 / (await runLoad(agent, bare, warm)).perSecond +
        1 / (await runLoad(agent, gated, warm)).perSecond;
      const requests = Math.min(
        MAX_REQUESTS,
        Math.max(MIN_REQUESTS, Math.round(ROUND_SECONDS / secondsPerRequestPair / 50) * 50),
      );
      const load = { agent, requests, concurrency: CONCURRENCY, serverCpuMicros: server.cpuMicros };
      const bareVariant = httpVariant('bare public query', { ...load, target: bare });
      const gatedVariant = httpVariant('member-gated query', { ...load, target: gated });

      log(`  ${ROUNDS} rounds × ${requests} requests per variant; gated ÷ bare req/s per round:`);
      const perRound: number[] = [];
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: bareVariant,
        candidate: gatedVariant,
        onRound: (round, bareRate, gatedRate) => {
          perRound.push(gatedRate / bareRate);
          if (round % 4 === 0)
            log(
              `  rounds ${round - 3}–${round}: ${perRound
                .splice(0)
                .map((r) => r.toFixed(2))
                .join(' ')}`,
            );
        },
      });

      // Server CPU per request: far less disturbed by other processes than wall-clock req/s.
      const bareCpu = median(bareVariant.cpuMicrosPerRequest);
      const gatedCpu = median(gatedVariant.cpuMicrosPerRequest);
      const heading =
        `(HTTP, ${CONCURRENCY} concurrent, ${ROUNDS} rounds × ${formatNumber(requests)} req,` +
        ` ${rows} catalog rows)`;
      const report = reportComparison(heading, comparison, {
        unit: 'req/s',
        target: TARGET,
        extra: [
          `  server CPU per request: bare ${formatNumber(bareCpu)} µs, gated ${formatNumber(gatedCpu)} µs` +
            ` → CPU-time ratio ${(bareCpu / gatedCpu).toFixed(3)} (cross-check, less noise-sensitive)`,
        ],
      });
      if (!report.pass || explain) {
        const costs = await server.call<CostRow[]>('breakdown');
        report.lines.push(...explainLines(costs, bareCpu));
      }
      return report;
    } finally {
      agent.destroy();
      await server.close();
    }
  },
};
