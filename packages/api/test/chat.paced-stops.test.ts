// The process's paced stop queue (docs/decisions/032): stops that are due together run a slice of
// the event loop at a time, each exactly once and each finished before the next starts; a failing
// stop does not stall the rest; shutdown can wait for the queue to empty.
import { describe, expect, it } from 'vitest';
import { createPacedStops, STOP_SLICE_MS } from '../src/chat/paced-stops.ts';

/** Busy CPU work, as a settlement's commit is. */
function spin(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('paced stops', () => {
  it('runs a crowd of stops over several turns of the event loop, each once, in order', async () => {
    const stops = createPacedStops();
    // A counter advanced once per turn of the loop (its check phase).
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);

    const count = 60;
    const stopMs = 2;
    const ran: { id: number; turn: number }[] = [];
    let running = 0;
    for (let id = 0; id < count; id++)
      stops.enqueue(async () => {
        expect(running).toBe(0); // the previous stop is finished before this one starts
        running++;
        spin(stopMs / 2);
        await Promise.resolve(); // a settlement awaits, too
        spin(stopMs / 2);
        running--;
        ran.push({ id, turn });
      });
    expect(stops.size).toBe(count);
    expect(ran).toHaveLength(0); // nothing runs in the turn that queued it
    await stops.idle();
    ticking = false;

    expect(ran.map((r) => r.id)).toEqual(Array.from({ length: count }, (_, id) => id));
    expect(stops.size).toBe(0);
    const perTurn = new Map<number, number>();
    for (const { turn: t } of ran) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    // No turn ran more than a slice's worth (plus the stop that crossed the slice's end).
    const perSlice = Math.ceil(STOP_SLICE_MS / stopMs) + 1;
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(perSlice);
    expect(perTurn.size).toBeGreaterThanOrEqual(Math.floor(count / perSlice));
  });

  it('reports a failing stop and carries on; stops queued while it drains run too', async () => {
    const failures: unknown[] = [];
    const stops = createPacedStops({ onError: (error) => failures.push(error) });
    const ran: string[] = [];
    stops.enqueue(() => {
      ran.push('first');
      stops.enqueue(() => {
        ran.push('queued while draining');
      });
    });
    stops.enqueue(async () => {
      await Promise.resolve();
      throw new Error('the settlement failed');
    });
    stops.enqueue(() => {
      ran.push('after the failure');
    });
    await stops.idle();
    expect(ran).toEqual(['first', 'after the failure', 'queued while draining']);
    expect(failures).toEqual([new Error('the settlement failed')]);

    // The queue starts again for the next crowd.
    stops.enqueue(() => {
      ran.push('later');
    });
    await stops.idle();
    expect(ran.at(-1)).toBe('later');
  });
});
