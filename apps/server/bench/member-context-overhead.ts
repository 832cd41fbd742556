// Member context overhead: the same catalog query served over HTTP by a bare public procedure and
// by a member-gated one, both sent with the session cookie. The gated request additionally reads
// the cookie, checks the session (the auth epoch read and a SHA-256 of the secret while the cached
// session and member context hold; on a miss the session SELECT, tenant roles and active
// memberships) and puts the member on the context. Target: the gated query keeps ≥ 0.95 of the
// bare query's throughput.
//
// The server runs in its own process (member-context-overhead.server.ts); this process is the load
// generator.
import { type Benchmark, formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, median, type Target } from './lib/compare.ts';
import { get, httpVariant, keepAliveAgent, type LoadTarget, runLoad } from './lib/http-load.ts';
import { startServerProcess } from './lib/server-process.ts';
import type { CostRow, SignedInServerInfo } from './lib/trpc-bench-server.ts';

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

/**
 * The gate's cost from the in-process breakdown (a hot loop), against what it costs over HTTP
 * (server CPU per request, gated − bare): the same code runs slower between real requests, whose
 * other work evicts it from the CPU caches.
 */
function explainLines(rows: CostRow[], bareCpu: number, gatedCpu: number): string[] {
  const micros = (label: string) => rows.find((r) => r.label === label)?.micros ?? NaN;
  const hot = micros('tRPC caller, gated, no query') - micros('tRPC caller, bare, no query');
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  return [
    '  where the time goes (server process, in-process calls, µs per call):',
    ...rows.map((r) => `    ${r.label.padEnd(width)}${r.micros.toFixed(1).padStart(7)}`),
    `    the gate adds ≈ ${hot.toFixed(0)} µs in a hot loop (callers without a query) → expected` +
      ` ratio ≈ ${(bareCpu / (bareCpu + hot)).toFixed(3)} for a bare request of ${bareCpu.toFixed(0)} µs;`,
    `    over HTTP it adds ${(gatedCpu - bareCpu).toFixed(0)} µs of server CPU per request`,
  ];
}

export const memberContextOverhead: Benchmark = {
  id: 'member-context',
  title: 'member context overhead',
  async run({ explain, log }) {
    const server = await startServerProcess<SignedInServerInfo>(
      new URL('./member-context-overhead.server.ts', import.meta.url),
    );
    const agent = keepAliveAgent(CONCURRENCY);
    try {
      const { origin, sessionToken } = server.info;
      // A signed-in browser sends its session cookie with every request to the site, public
      // procedures included, so both variants carry it: they differ only in the gate.
      const headers = { cookie: `${SESSION_COOKIE}=${sessionToken}` };
      const bare: LoadTarget = { origin, path: '/trpc/bare', headers };
      const gated: LoadTarget = { origin, path: '/trpc/gated', headers };
      const [id, secret] = sessionToken.split('.') as [string, string];
      const forgedSecret = secret.endsWith('a')
        ? `${secret.slice(0, -1)}b`
        : `${secret.slice(0, -1)}a`;

      // Both variants must answer the same rows, and the gate must be real.
      const [bareBody, gatedBody] = await Promise.all([get(agent, bare), get(agent, gated)]);
      if (bareBody.status !== 200 || gatedBody.body !== bareBody.body)
        throw new Error(`variants disagree: ${bareBody.status} vs ${gatedBody.status}`);
      // Now that the session is cached: no cookie, or the right id with a wrong secret, is a 401.
      const [anonymous, forged] = await Promise.all([
        get(agent, { ...gated, headers: {} }),
        get(agent, { ...gated, headers: { cookie: `${SESSION_COOKIE}=${id}.${forgedSecret}` } }),
      ]);
      if (anonymous.status !== 401 || forged.status !== 401)
        throw new Error(
          `gated query answered ${anonymous.status} without a session and ${forged.status} with a` +
            ' forged one, not 401',
        );
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
        report.lines.push(...explainLines(costs, bareCpu, gatedCpu));
      }
      return report;
    } finally {
      agent.destroy();
      await server.close();
    }
  },
};
