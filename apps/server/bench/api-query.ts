// API query overhead: a typical query of a signed-in member's page load — `membership.catalog`, the
// plan catalog as that member sees it, fetched by the chat page (for the upgrade prompts) and the
// plans page — against the tRPC adapter's own floor: a public query with no input that answers
// null, served by the same handler, router and context. Both carry the session cookie. The ratio is
// the typical query's time over the floor's (floor req/s ÷ typical req/s). Target: ≤ 1.5×.
//
// The server runs in its own process (api-query.server.ts); this process is the load generator.

// Types only: the server side's modules (the app, the database) stay out of this load generator.
import type { CostRow, SignedInServerInfo } from './lib/trpc-bench-server.ts';

const SESSION_COOKIE = 'tessera_session';
/** The typical query: the plan catalog as the signed-in member sees it (chat and plans pages). */
export const TYPICAL_PATH = 'membership.catalog';
/** The adapter's floor: a public query with no input that answers null. */
export const FLOOR_PATH = 'floor';

import { type Benchmark, formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, median, type Target } from './lib/compare.ts';
import { get, httpVariant, keepAliveAgent, type LoadTarget, runLoad } from './lib/http-load.ts';
import { startServerProcess } from './lib/server-process.ts';

const CONCURRENCY = 32;
// Many short rounds, as member-context: a burst of other work then spoils a round of each variant.
const ROUNDS = 16;
const ROUND_SECONDS = 1;
const MIN_REQUESTS = 300;
const MAX_REQUESTS = 4000;
const WARMUP_REQUESTS = 1000;
const TARGET: Target = { atMost: 1.5 };

function explainLines(rows: CostRow[], floorCpu: number, typicalCpu: number): string[] {
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  return [
    '  where the time goes (server process, in-process calls, µs per call):',
    ...rows.map((r) => `    ${r.label.padEnd(width)}${r.micros.toFixed(1).padStart(7)}`),
    `    over HTTP the typical query adds ${formatNumber(typicalCpu - floorCpu)} µs of server CPU` +
      ` to the floor's ${formatNumber(floorCpu)} µs`,
  ];
}

export const apiQuery: Benchmark = {
  id: 'api-query',
  title: 'API query vs the tRPC floor',
  async run({ explain, log }) {
    const server = await startServerProcess<SignedInServerInfo>(
      new URL('./api-query.server.ts', import.meta.url),
    );
    const agent = keepAliveAgent(CONCURRENCY);
    try {
      const { origin, sessionToken } = server.info;
      const headers = { cookie: `${SESSION_COOKIE}=${sessionToken}` };
      const typical: LoadTarget = { origin, path: `/trpc/${TYPICAL_PATH}`, headers };
      const floor: LoadTarget = { origin, path: `/trpc/${FLOOR_PATH}`, headers };

      // The typical query must really answer the member's catalog, and the floor really null.
      const [typicalBody, floorBody, anonymous] = await Promise.all([
        get(agent, typical),
        get(agent, floor),
        get(agent, { ...typical, headers: {} }),
      ]);
      if (typicalBody.status !== 200 || floorBody.status !== 200)
        throw new Error(`answered ${typicalBody.status} and ${floorBody.status}, not 200`);
      if (anonymous.status !== 401)
        throw new Error(`${TYPICAL_PATH} answered ${anonymous.status} without a session`);
      const plans = (JSON.parse(typicalBody.body) as { result: { data: unknown[] } }).result.data
        .length;
      if (plans === 0) throw new Error(`${TYPICAL_PATH} answered no plans`);
      if ((JSON.parse(floorBody.body) as { result: { data: unknown } }).result.data !== null)
        throw new Error(`${FLOOR_PATH} did not answer null`);

      log(`  warming up (2 × ${WARMUP_REQUESTS} requests per variant)…`);
      const warm = { requests: WARMUP_REQUESTS, concurrency: CONCURRENCY };
      await runLoad(agent, typical, warm);
      await runLoad(agent, floor, warm);
      const secondsPerRequestPair =
        1 / (await runLoad(agent, typical, warm)).perSecond +
        1 / (await runLoad(agent, floor, warm)).perSecond;
      const requests = Math.min(
        MAX_REQUESTS,
        Math.max(MIN_REQUESTS, Math.round(ROUND_SECONDS / secondsPerRequestPair / 50) * 50),
      );
      const load = { agent, requests, concurrency: CONCURRENCY, serverCpuMicros: server.cpuMicros };
      // Baseline = the typical query, candidate = the floor: floor ÷ typical req/s is the typical
      // query's time as a multiple of the floor's.
      const typicalVariant = httpVariant(`typical: ${TYPICAL_PATH}`, { ...load, target: typical });
      const floorVariant = httpVariant('floor: null query', { ...load, target: floor });

      log(`  ${ROUNDS} rounds × ${requests} requests per variant; typical ÷ floor time per round:`);
      const perRound: number[] = [];
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: typicalVariant,
        candidate: floorVariant,
        onRound: (round, typicalRate, floorRate) => {
          perRound.push(floorRate / typicalRate);
          if (round % 4 === 0)
            log(
              `  rounds ${round - 3}–${round}: ${perRound
                .splice(0)
                .map((r) => r.toFixed(2))
                .join(' ')}`,
            );
        },
      });

      const typicalCpu = median(typicalVariant.cpuMicrosPerRequest);
      const floorCpu = median(floorVariant.cpuMicrosPerRequest);
      const heading =
        `(HTTP, ${CONCURRENCY} concurrent, ${ROUNDS} rounds × ${formatNumber(requests)} req,` +
        ` ${plans} catalog rows)`;
      const report = reportComparison(heading, comparison, {
        unit: 'req/s',
        target: TARGET,
        extra: [
          "  (ratio = the typical query's time ÷ the floor's = floor req/s ÷ typical req/s)",
          `  server CPU per request: floor ${formatNumber(floorCpu)} µs, typical ${formatNumber(typicalCpu)} µs` +
            ` → CPU-time ratio ${(typicalCpu / floorCpu).toFixed(3)} (cross-check, less noise-sensitive)`,
        ],
      });
      if (!report.pass || explain) {
        const costs = await server.call<CostRow[]>('breakdown');
        report.lines.push(...explainLines(costs, floorCpu, typicalCpu));
      }
      return report;
    } finally {
      agent.destroy();
      await server.close();
    }
  },
};
