import type { DeliveredMemberEvent, MemberEventBus } from './member-event-bus.ts';

/**
 * One user's member events as an async iterable that ends when `signal` aborts. It subscribes
 * immediately (before the caller reads any backlog), so nothing between the two is lost.
 */
export function memberEventStream(
  bus: MemberEventBus,
  userId: string,
  callerSignal: AbortSignal | undefined,
) {
  // Ends when the caller leaves or the bus closes (server shutdown).
  const signal = callerSignal ? AbortSignal.any([callerSignal, bus.closed]) : bus.closed;
  const queue: DeliveredMemberEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = bus.subscribe(userId, (event) => {
    queue.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });

  return (async function* () {
    try {
      while (!signal.aborted) {
        const event = queue.shift();
        if (event) {
          yield event;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    }
  })();
}
