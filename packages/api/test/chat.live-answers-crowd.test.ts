// When a crowd of followers leaves at once, their answers' grace periods end together: the
// answers are stopped a slice at a time (STOP_SLICE_MS per turn of the event loop), each settled
// exactly once, so other streams' I/O is served in between (docs/decisions/032).
import { describe, expect, it } from 'vitest';
import { createLiveAnswers, STOP_SLICE_MS } from '../src/chat/live-answers.ts';
import type { ChatEvent } from '../src/chat/run-chat.ts';

/** Busy CPU work, as a settlement's commit is. */
function spin(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('live answers, many left at once', () => {
  it('stops them over several turns of the event loop, each settled once', async () => {
    const answers = createLiveAnswers({ graceMs: 30 });
    const count = 60;
    const settleMs = 3;
    // A counter advanced once per turn of the loop (its check phase).
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);

    const settledAt: number[] = [];
    const settledIds: string[] = [];
    // An engine that yields one delta, then waits (an idle upstream) until it is stopped; its
    // `finally` is the settlement.
    const engine = (id: string) =>
      async function* (signal: AbortSignal): AsyncGenerator<ChatEvent> {
        try {
          yield { type: 'delta', text: 'x' };
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        } finally {
          spin(settleMs);
          settledAt.push(turn);
          settledIds.push(id);
        }
      };

    // Every follower reads the first event, then all leave in the same instant.
    const leave = new AbortController();
    const following = Array.from({ length: count }, async (_, i) => {
      const requestId = `crowd-request-${i}`;
      for await (const [, event] of answers.follow({
        requestId,
        userId: 'u1',
        after: -1,
        start: engine(requestId),
        signal: leave.signal,
      }))
        expect(event.type).toBe('delta');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    leave.abort();
    await Promise.all(following);
    expect(answers.size).toBe(count); // kept for a reconnect during the grace

    const deadline = Date.now() + 10_000;
    while (settledIds.length < count && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    ticking = false;

    // Each settled exactly once, and forgotten.
    expect(new Set(settledIds).size).toBe(count);
    expect(settledIds).toHaveLength(count);
    expect(answers.size).toBe(0);
    // Spread over turns: no turn settled more than a slice's worth (plus the one that crossed it).
    const perTurn = new Map<number, number>();
    for (const at of settledAt) perTurn.set(at, (perTurn.get(at) ?? 0) + 1);
    const mostInOneTurn = Math.max(...perTurn.values());
    expect(mostInOneTurn).toBeLessThanOrEqual(Math.ceil(STOP_SLICE_MS / settleMs) + 1);
    expect(perTurn.size).toBeGreaterThanOrEqual(
      Math.floor(count / (Math.ceil(STOP_SLICE_MS / settleMs) + 1)),
    );
  });

  it('keeps an answer whose follower comes back while it waits in the stop queue', async () => {
    const answers = createLiveAnswers({ graceMs: 30 });
    const count = 40;
    const settled: string[] = [];
    const engine = (id: string) =>
      async function* (signal: AbortSignal): AsyncGenerator<ChatEvent> {
        try {
          yield { type: 'delta', text: 'x' };
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        } finally {
          spin(3);
          settled.push(id);
        }
      };
    const requestIds = Array.from({ length: count }, (_, i) => `queued-request-${i}`);
    const leave = new AbortController();
    const following = requestIds.map(async (requestId) => {
      for await (const _ of answers.follow({
        requestId,
        userId: 'u1',
        after: -1,
        start: engine(requestId),
        signal: leave.signal,
      }));
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    leave.abort();
    await Promise.all(following);
    // Not all at once: the first are settled while the last still wait their turn.
    const deadline = Date.now() + 10_000;
    while (settled.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setImmediate(resolve));
    const last = requestIds.at(-1)!;
    expect(settled).not.toContain(last);

    // Its client reconnects (after event 0): it is taken out of the queue and carries on.
    const back = new AbortController();
    const resumed = answers.follow({
      requestId: last,
      userId: 'u1',
      after: 0,
      start: engine(last),
      signal: back.signal,
    });
    const reading = resumed.next();
    while (settled.length < count - 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Well after the queue has drained, it is still running.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toHaveLength(count - 1);
    expect(settled).not.toContain(last);
    expect(answers.size).toBe(1);

    // Stop (the button) ends it, settled once.
    expect(await answers.stop(last, 'u1')).toBe(true);
    await reading;
    back.abort();
    expect(settled.filter((id) => id === last)).toHaveLength(1);
    expect(answers.size).toBe(0);
  });
});
