// Stops of answers nobody waits for, run a slice of the event loop at a time.
//
// When many clients leave together (a proxy restarts, a network drops), stopping their answers
// on the spot — abort the upstream request, settle, store the answer, ≈ 0.5–1.5 ms each — would
// hold the loop for the whole crowd. Instead each stop joins this queue, and a drain runs them one
// after another (each awaited, so its settlement is done before the next starts) for at most
// STOP_SLICE_MS, then yields with setImmediate, so sockets, timers and other streams' chunks are
// served before the next slice (docs/decisions/032-many-streams.md). One queue per process is
// shared by the SPA's answers whose resume grace ended (live-answers.ts) and /v1 answers whose
// client left (apps/server's openai/stream.ts), so a mixed crowd is paced as one.

/**
 * How long one turn of the event loop may spend stopping and settling answers.
 * Each stop costs about 0.5–2 ms (the upstream socket, the settlement's commit, storing the answer).
 */
export const STOP_SLICE_MS = 10;

export interface PacedStops {
  /**
   * Runs `stop` when its turn comes (from the next turn of the loop at the earliest). It should
   * not reject; a rejection is passed to `onError` and the drain carries on.
   */
  enqueue(stop: () => Promise<void> | void): void;
  /** Resolves once the queue is empty (shutdown waits for it before closing the database). */
  idle(): Promise<void>;
  /** Stops waiting for their turn. */
  readonly size: number;
}

export function createPacedStops(options: { onError?: (error: unknown) => void } = {}): PacedStops {
  /** Waiting stops, oldest first; `next` is the first not yet run. */
  let queue: (() => Promise<void> | void)[] = [];
  let next = 0;
  let draining: Promise<void> | null = null;

  const drain = async () => {
    // From the next turn: stops that are due together (timers, closes in one poll phase) all
    // join the queue first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (next < queue.length) {
        const sliceEnds = performance.now() + STOP_SLICE_MS;
        while (next < queue.length && performance.now() < sliceEnds) {
          const stop = queue[next++]!;
          try {
            await stop();
          } catch (error) {
            options.onError?.(error);
          }
        }
        if (next < queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      queue = [];
      next = 0;
      draining = null;
    }
  };

  return {
    enqueue(stop) {
      queue.push(stop);
      draining ??= drain();
    },
    async idle() {
      while (draining) await draining;
    },
    get size() {
      return queue.length - next;
    },
  };
}
