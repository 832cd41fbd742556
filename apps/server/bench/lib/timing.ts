// Small helpers for the latency benchmarks: percentiles of a run's samples, a deadline so a hung
// stream fails the run instead of stalling it, and how busy the machine was.
import { availableParallelism, loadavg } from 'node:os';

/** Where a percentile falls in an ascending list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of nothing');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** `promise`, or a rejection naming `what` when it takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The streaming benchmarks run three processes (load generator, server, upstream) on the machine's
 * cores; other work on the machine shows up in their latencies. A report line to read them by.
 */
export function machineLoad(): string {
  const [one = 0] = loadavg();
  const cores = availableParallelism();
  // The benchmark's own three processes account for about 2 of it.
  const busy =
    one > cores + 1 ? ' (other work competed for the cores: run again before concluding)' : '';
  return `  machine: load average ${one.toFixed(1)} over the last minute on ${cores} cores${busy}`;
}

/**
 * How long the server's `holdThenLagStart` keeps its loop busy (streaming.server.ts): long enough
 * for a crowd's closed connections to pile up and reach it in one poll phase.
 */
export const HOLD_MS = 250;
