// `pnpm bench [id…] [--explain] [--strict]`: runs the benchmarks one after another (never in
// parallel: they would measure each other) and prints a summary of ratios against targets.
//   id…        run only the benchmarks whose id contains one of these words
//   --explain  print each benchmark's breakdown of where the time goes, even on PASS
//   --strict   exit 1 when a target is missed (by default only a crash fails the run)

import { admissionSettlement } from './admission-settlement.ts';
import { answerRenderJank } from './answer-render-jank.ts';
import { apiQuery } from './api-query.ts';
import { cutoffInstances } from './cutoff-instances.ts';
import { cutoffLatency } from './cutoff-latency.ts';
import type { Benchmark, BenchReport } from './lib/benchmark.ts';
import { describeTarget } from './lib/compare.ts';
import { memberContextOverhead } from './member-context-overhead.ts';
import { openStreams } from './open-streams.ts';
import { pgAdmission } from './pg-admission.ts';
import { refillMillion } from './refill-million.ts';
import { refillMillionPg } from './refill-million-pg.ts';
import { streamThroughput } from './stream-throughput.ts';
import { streamTtfb } from './stream-ttfb.ts';
import { streams5000 } from './streams-5000.ts';

/** Every benchmark, in the order they run. Add new ones here. */
const BENCHMARKS: Benchmark[] = [
  memberContextOverhead,
  apiQuery,
  admissionSettlement,
  refillMillion,
  pgAdmission,
  refillMillionPg,
  streamTtfb,
  streamThroughput,
  cutoffLatency,
  cutoffInstances,
  openStreams,
  streams5000,
  answerRenderJank,
];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--'));
const unknown = [...flags].filter((f) => f !== '--explain' && f !== '--strict');
if (unknown.length > 0) {
  console.error(`unknown option ${unknown.join(' ')}; use [id…] [--explain] [--strict]`);
  process.exit(2);
}

const selected = BENCHMARKS.filter(
  (b) => filters.length === 0 || filters.some((f) => b.id.includes(f)),
);
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}; ids: ${BENCHMARKS.map((b) => b.id)}`);
  process.exit(2);
}

const results: Array<{ bench: Benchmark; report?: BenchReport; seconds: number; error?: unknown }> =
  [];
for (const bench of selected) {
  console.log(`\n${bench.title}`);
  const started = performance.now();
  try {
    const report = await bench.run({
      explain: flags.has('--explain'),
      log: (line) => console.log(line),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`${bench.title} ${report.heading}`);
    for (const line of report.lines) console.log(line);
    results.push({ bench, report, seconds });
  } catch (error) {
    console.error(`  FAILED:`, error);
    results.push({ bench, error, seconds: (performance.now() - started) / 1000 });
  }
}

console.log('\nsummary');
const width = Math.max(...results.map((r) => r.bench.id.length)) + 2;
for (const { bench, report, seconds, error } of results) {
  const verdict = report
    ? `ratio ${report.ratio.toFixed(3)}  target ${describeTarget(report.target).padEnd(7)}` +
      `${report.pass ? 'PASS' : 'MISS'}`
    : `ERROR ${error instanceof Error ? error.message : String(error)}`;
  console.log(`  ${bench.id.padEnd(width)}${verdict}   (${seconds.toFixed(1)} s)`);
}

const crashed = results.some((r) => r.error !== undefined);
const missed = results.some((r) => r.report && !r.report.pass);
process.exitCode = crashed || (missed && flags.has('--strict')) ? 1 : 0;
