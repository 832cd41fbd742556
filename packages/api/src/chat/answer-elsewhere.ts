// Resuming an answer that another instance is producing (decision 033). Behind a load balancer a
// reconnect may land on an instance that does not hold the live answer. Without help that instance
// can only refuse (CONFLICT: the request id is admitted elsewhere, so nothing is admitted or charged
// twice) until the producer's grace ends and the stored answer can be replayed. With a shared log
// of each answer's events (Redis Streams, apps/server/src/events/answer-streams.ts) it relays the
// rest of the answer instead — the same events under the same ids, so the client sees no seam.
// The resuming instance admits, reserves and charges nothing: the producer still does all of it.
import type { ChatEvent } from './chat-types.ts';

/** Where the instance producing an answer copies its events (live-answers.ts calls it). */
export interface AnswerMirror {
  /** `events` grew by one (the last); the mirror copies what it has not copied yet. */
  onEvent(answer: { userId: string; requestId: string; events: readonly ChatEvent[] }): void;
  /** The answer is over (finished, failed or stopped): no event will follow. */
  onEnd(answer: { userId: string; requestId: string; events: readonly ChatEvent[] }): void;
}

/** Reads answers that other instances produce. */
export interface RemoteAnswers {
  /**
   * The user's answer `requestId` from event `after + 1`, as another instance produces it; null
   * when no instance mirrors it (or the mirror cannot be reached): the caller's refusal stands.
   */
  follow(options: {
    userId: string;
    requestId: string;
    after: number;
    signal?: AbortSignal;
  }): Promise<AsyncGenerator<[number, ChatEvent]> | null>;
}

/** Stops answers that other instances produce: the Stop button pressed on the reading instance. */
export interface RemoteStops {
  /**
   * Asks the instance holding the user's answer `requestId` to stop it as a local Stop would;
   * true once that instance has stopped and settled it, false when none holds it for this user
   * (or none answered in time, or the instances cannot be reached). `userId` must be the
   * authenticated caller's: the holder stops only an answer of that user.
   */
  stop(options: { userId: string; requestId: string }): Promise<boolean>;
}

/** True for the refusal the engine gives a request id admitted and not yet stored (admit-chat.ts). */
export function isHeldElsewhere(event: ChatEvent): boolean {
  return event.type === 'refused' && event.reason.code === 'CONFLICT';
}

/**
 * The events of `here` (this instance's follow), except that a request held by a live answer
 * elsewhere — the engine's CONFLICT, always its first event — is followed on the instance that
 * produces it when `remote` can. Authorisation is by construction: the user id is the caller's own.
 */
export async function* followHereOrElsewhere(
  here: AsyncGenerator<[number, ChatEvent]>,
  remote: RemoteAnswers | undefined,
  options: { userId: string; requestId: string; after: number; signal?: AbortSignal },
): AsyncGenerator<[number, ChatEvent]> {
  for await (const [n, event] of here) {
    if (n === 0 && remote && isHeldElsewhere(event)) {
      const elsewhere = await remote.follow(options);
      if (elsewhere) {
        yield* elsewhere;
        return;
      }
    }
    yield [n, event];
  }
}
