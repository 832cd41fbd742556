// What every benchmark file exports, and how a comparison is printed.
import { type Comparison, describeTarget, median, meetsTarget, type Target } from './compare.ts';

export interface BenchOptions {
  /** `--explain`: also print where the time goes, even when the target is met. */
  explain: boolean;
  /** Progress and detail lines; the runner prints them as they come. */
  log(line: string): void;
}

export interface BenchReport {
  /** The heading with the parameters that matter, e.g. "(HTTP, 32 concurrent, 6 rounds × 4000 req)". */
  heading: string;
  lines: string[];
  ratio: number;
  target: Target;
  pass: boolean;
}

export interface Benchmark {
  /** Short id to run just this one: `pnpm bench <id>`. */
  id: string;
  title: string;
  run(options: BenchOptions): Promise<BenchReport>;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatNumber(value: number): string {
  return value >= 100 ? integer.format(value) : value.toPrecision(3);
}

/** The lines of a side-by-side comparison: both medians with their spread, the ratio and verdict. */
export function reportComparison(
  heading: string,
  comparison: Comparison,
  options: { unit: string; target: Target; extra?: string[] },
): BenchReport {
  const rows = [comparison.baseline, comparison.candidate];
  const labelWidth = Math.max(...rows.map((r) => r.label.length)) + 2;
  const values = rows.map((r) => formatNumber(r.median));
  const valueWidth = Math.max(...values.map((v) => v.length));
  const lines = rows.map((r, i) => {
    const spread = `rounds ${formatNumber(Math.min(...r.samples))}–${formatNumber(Math.max(...r.samples))}`;
    return `  ${r.label.padEnd(labelWidth)}${values[i]!.padStart(valueWidth)} ${options.unit}   (${spread})`;
  });
  const pass = meetsTarget(comparison.ratio, options.target);
  const perRound = comparison.roundRatios;
  lines.push(
    `  ratio ${comparison.ratio.toFixed(3)} (target ${describeTarget(options.target)})  ${pass ? 'PASS' : 'MISS'}` +
      `   (per-round ratios ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)},` +
      ` median ${median(perRound).toFixed(3)})`,
  );
  lines.push(...(options.extra ?? []));
  return { heading, lines, ratio: comparison.ratio, target: options.target, pass };
}
