// Answers in flight on this process, kept apart from the connection that asked for them.
//
// A dropped SSE connection is not a stop: tRPC's client reconnects by itself and sends the id of
// the last event it got (`lastEventId`), and the answer carries on from the next event — the same
// admission, the same reservation, one charge. The engine is pulled only while someone follows it,
// so nothing is generated for nobody (the upstream socket simply stops being read). If nobody comes
// back within the grace period, the answer is stopped and settled for what was delivered. `stop()`
// (the Stop button) ends it at once. See docs/decisions/009-chat-engine.md.
//
// When many clients leave together (a proxy restarts, a network drops), their grace periods end
// together too. Their answers are then stopped a few at a time through the process's paced stop
// queue (paced-stops.ts: at most STOP_SLICE_MS a turn of the event loop), so other streams' I/O is
// served in between and the loop never stalls for the whole crowd (docs/decisions/032).
import type { AnswerMirror } from './answer-elsewhere.ts';
import { createPacedStops, type PacedStops } from './paced-stops.ts';
import { requestKey } from './request-key.ts';
import type { ChatEvent } from './run-chat.ts';

export interface LiveAnswers {
  /**
   * Follows the answer `requestId` from event number `after + 1` (all of it when `after` is -1),
   * attaching to it when it is running here for this user and starting it with `start` otherwise.
   * Yields `[event number, event]`; ends when the answer ends, or when `signal` aborts (the
   * follower left — the answer then waits `graceMs` for someone to come back).
   */
  follow(options: {
    requestId: string;
    userId: string;
    after: number;
    start: (signal: AbortSignal) => AsyncGenerator<ChatEvent>;
    signal?: AbortSignal;
  }): AsyncGenerator<[number, ChatEvent]>;
  /** Ends the user's running answer now and settles it; false when there is none. */
  stop(requestId: string, userId: string): Promise<boolean>;
  /** Ends every running answer (server shutdown): each is settled for what was delivered. */
  stopAll(): Promise<void>;
  /** Whether the user's answer `requestId` is running here (another instance's reader asks). */
  holds(requestId: string, userId: string): boolean;
  /** How many answers are held (running, or finished but not yet read to the end). */
  readonly size: number;
}

export { STOP_SLICE_MS } from './paced-stops.ts';

/** The reason an answer's engine is aborted with: one instance, not a fresh DOMException per stop. */
const STOPPED = new DOMException('The answer was stopped.', 'AbortError');

interface Answer {
  /** The user-scoped key it is held under: another user's same request id is another answer. */
  key: string;
  requestId: string;
  userId: string;
  /** Every event so far, numbered by position: a follower resumes at any of them. */
  events: ChatEvent[];
  engine: AsyncGenerator<ChatEvent>;
  /** The engine's client signal: aborting it aborts the upstream request. */
  abort: AbortController;
  pulling: Promise<void> | null;
  /** The engine returned (or threw: `failure`). */
  done: boolean;
  failure: unknown;
  /** Stopped from outside (Stop, grace over, shutdown); followers stop reading. */
  ended: Promise<void> | null;
  followers: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** Its grace ended and it waits in the stop queue; a follower coming back clears it. */
  queued: boolean;
}

export function createLiveAnswers(options: {
  /** How long an answer nobody follows waits for a reconnect before it is stopped. */
  graceMs: number;
  onError?: (error: unknown, requestId: string) => void;
  /** Copies every answer's events out, for another instance to resume (answer-elsewhere.ts). */
  mirror?: AnswerMirror;
  /** The process's paced stop queue, shared with /v1 (paced-stops.ts); a queue of its own if unset. */
  stops?: PacedStops;
}): LiveAnswers {
  const { mirror } = options;
  const stops = options.stops ?? createPacedStops();
  /** By user-scoped key (request-key.ts), so users cannot reach or block each other's answers. */
  const answers = new Map<string, Answer>();
  /** Stops that came before their answer started (a Stop racing the request): `key → user`. */
  const stoppedEarly = new Map<string, string>();

  const forget = (answer: Answer) => {
    if (answer.timer) clearTimeout(answer.timer);
    answer.timer = null;
    if (answers.get(answer.key) === answer) answers.delete(answer.key);
  };

  /** One step of the engine, shared by every follower waiting for the next event. */
  const pull = (answer: Answer): Promise<void> => {
    answer.pulling ??= answer.engine
      .next()
      .then(
        (step) => {
          if (step.done) {
            answer.done = true;
            mirror?.onEnd(answer);
          } else {
            answer.events.push(step.value);
            mirror?.onEvent(answer);
          }
        },
        (error: unknown) => {
          answer.done = true;
          answer.failure = error ?? new Error('The answer failed.');
          mirror?.onEnd(answer);
        },
      )
      .finally(() => {
        answer.pulling = null;
      });
    return answer.pulling;
  };

  /** Stops an answer from outside; resolves once the engine has settled it. */
  const end = (answer: Answer): Promise<void> => {
    answer.ended ??= (async () => {
      if (answer.timer) clearTimeout(answer.timer);
      answer.abort.abort(STOPPED); // the engine aborts the upstream request
      try {
        if (answer.pulling) await answer.pulling;
        // Parked at a `yield`: return() runs the engine's `finally`, which settles the answer.
        if (!answer.done) await answer.engine.return(undefined);
      } catch (error) {
        options.onError?.(error, answer.requestId);
      } finally {
        answer.done = true;
        mirror?.onEnd(answer); // a second end of an answer that finished meanwhile is ignored
        forget(answer);
      }
    })();
    return answer.ended;
  };

  /** Its turn in the stop queue came: stop it, unless a follower came back while it waited. */
  const stopDue = (answer: Answer): Promise<void> | undefined => {
    if (!answer.queued) return; // it carries on (its grace starts again when it is left again)
    answer.queued = false;
    if (answer.done) forget(answer);
    else return end(answer); // never rejects: `end` reports its own failures
  };

  /** Nobody follows the answer any more: keep it for a reconnect, for a while. */
  const orphan = (answer: Answer, readToTheEnd: boolean) => {
    if (answer.done && readToTheEnd) return forget(answer);
    answer.timer = setTimeout(() => {
      answer.timer = null;
      if (answer.done) return forget(answer);
      answer.queued = true;
      stops.enqueue(() => stopDue(answer));
    }, options.graceMs);
    answer.timer.unref?.();
  };

  async function* follow({
    requestId,
    userId,
    after,
    start,
    signal,
  }: Parameters<LiveAnswers['follow']>[0]): AsyncGenerator<[number, ChatEvent]> {
    const key = requestKey(userId, requestId);
    let answer = answers.get(key);
    if (!answer || answer.userId !== userId || answer.ended) {
      // Not running here (or not this user's): the engine decides — it replays a stored answer
      // and refuses a request id that is already taken, so nothing is admitted twice.
      if (!answer && stoppedEarly.get(key) === userId) {
        stoppedEarly.delete(key);
        return; // stopped before it started: nothing admitted, nothing written
      }
      if (answer) {
        let n = 0;
        for await (const event of start(signal ?? new AbortController().signal)) yield [n++, event];
        return;
      }
      const abort = new AbortController();
      const engine = start(abort.signal);
      answer = {
        key,
        requestId,
        userId,
        events: [],
        engine,
        abort,
        pulling: null,
        done: false,
        failure: undefined,
        ended: null,
        followers: 0,
        timer: null,
        queued: false,
      };
      answers.set(key, answer);
      after = -1; // a fresh answer is read from its first event
    }
    const current = answer;
    current.followers++;
    if (current.timer) clearTimeout(current.timer);
    current.timer = null;
    current.queued = false;
    let next = Math.max(0, after + 1);
    try {
      while (!signal?.aborted) {
        if (next < current.events.length) {
          yield [next, current.events[next] as ChatEvent];
          next++;
          continue;
        }
        if (current.ended) return;
        if (current.done) {
          if (current.failure) throw current.failure;
          return;
        }
        await untilAborted(pull(current), signal);
      }
    } finally {
      current.followers--;
      if (current.followers === 0 && !current.ended) orphan(current, next >= current.events.length);
    }
  }

  return {
    follow,
    async stop(requestId, userId) {
      const key = requestKey(userId, requestId);
      const answer = answers.get(key);
      if (!answer) {
        // Perhaps the request is still on its way: don't start it if it arrives within the grace.
        if (stoppedEarly.size < 10_000) {
          stoppedEarly.set(key, userId);
          setTimeout(() => stoppedEarly.delete(key), options.graceMs).unref?.();
        }
        return false;
      }
      if (answer.userId !== userId || answer.done) return false;
      await end(answer);
      return true;
    },
    holds(requestId, userId) {
      const answer = answers.get(requestKey(userId, requestId));
      return answer !== undefined && !answer.done && !answer.ended;
    },
    async stopAll() {
      await Promise.all([...answers.values()].map((answer) => end(answer)));
    },
    get size() {
      return answers.size;
    },
  };
}

/** Waits for `promise`, or less if `signal` aborts first (the promise keeps running). */
function untilAborted(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.finally(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The event number a reconnect resumes after: `<requestId>:<n>` → n; anything else → -1. */
export function resumePoint(requestId: string, lastEventId: string | null | undefined): number {
  if (!lastEventId?.startsWith(`${requestId}:`)) return -1;
  const n = Number(lastEventId.slice(requestId.length + 1));
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}
