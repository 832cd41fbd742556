// Side-by-side measurement: two variants run in alternating rounds inside one process, so machine
// noise (another build, thermal throttling, a GC storm) hits both alike, and the verdict is a
// ratio of medians rather than an absolute number that only holds on one machine.

export interface Variant {
  label: string;
  /** One round's measurement, in the comparison's unit (req/s, ms, rows/s…). */
  measure(): Promise<number>;
}

export interface VariantResult {
  label: string;
  samples: number[];
  median: number;
}

export interface Comparison {
  baseline: VariantResult;
  candidate: VariantResult;
  /** candidate median ÷ baseline median: the verdict. */
  ratio: number;
  /**
   * candidate ÷ baseline within each round. The two samples of a round are taken back to back,
   * so their ratio cancels noise slower than a round; the spread shows how noisy the run was.
   */
  roundRatios: number[];
}

/** `atLeast` for throughput-like units (higher is better), `atMost` for latency-like ones. */
export type Target = { atLeast: number } | { atMost: number };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `rounds` rounds; each round measures both variants once. The order flips every round
 * (AB, BA, AB…) so neither variant always runs on the warmer (or more tired) machine.
 */
export async function interleave(options: {
  rounds: number;
  baseline: Variant;
  candidate: Variant;
  /** Called after each round with both of its samples (for progress output). */
  onRound?: (round: number, baseline: number, candidate: number) => void;
}): Promise<Comparison> {
  const { rounds, baseline, candidate } = options;
  const samples = new Map<Variant, number[]>([
    [baseline, []],
    [candidate, []],
  ]);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [baseline, candidate] : [candidate, baseline];
    for (const variant of order) samples.get(variant)!.push(await variant.measure());
    options.onRound?.(round + 1, samples.get(baseline)![round]!, samples.get(candidate)![round]!);
  }
  const result = (variant: Variant): VariantResult => {
    const values = samples.get(variant)!;
    return { label: variant.label, samples: values, median: median(values) };
  };
  const b = result(baseline);
  const c = result(candidate);
  const roundRatios = c.samples.map((value, i) => value / b.samples[i]!);
  return { baseline: b, candidate: c, ratio: c.median / b.median, roundRatios };
}

export function meetsTarget(ratio: number, target: Target): boolean {
  return 'atLeast' in target ? ratio >= target.atLeast : ratio <= target.atMost;
}

export function describeTarget(target: Target): string {
  return 'atLeast' in target ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
}
