// The Stop button for an answer another instance produces (decision 033). A client resumed on B
// follows an answer that A holds; its Stop may land on B or on any other instance, which does not
// hold the answer and alone could only say NOT_FOUND. So it asks everyone: it publishes
// {id, userId, requestId} on `<prefix>answer-stop`, and the instance that holds that user's answer
// stops it exactly as a local Stop does (settled for what was delivered; the mirror writes the
// stream's end, so the resumed client sees its stream end as after a local Stop) and publishes
// {id, stopped} on `<prefix>answer-stop-reply`. Every instance replies, holder or not, so the
// asker knows when it has heard everyone: PUBLISH says how many listeners got the question.
//
// The user id is the asking instance's authenticated session's (the router passes it), and the
// holder checks `holds(requestId, userId)` before stopping: one user cannot stop another's answer.
// Redis down, or nobody answering within REPLY_WAIT_MS: false, and the caller says NOT_FOUND.
import { randomUUID } from 'node:crypto';
import type { LiveAnswers, RemoteStops } from '@tessera/api';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

/** How long a forwarded Stop waits for the instances' replies (a stop settles in a few ms). */
export const REPLY_WAIT_MS = 2_000;

const CONNECTION: RedisOptions = {
  enableOfflineQueue: false, // a Stop that cannot go now fails now (NOT_FOUND, as without Redis)
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  keepAlive: 10_000,
  retryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
  autoResubscribe: false, // subscribed again on each 'ready' (below)
};

export interface AnswerStops extends RemoteStops {
  /** Stops this instance's answers when another instance forwards their owner's Stop. */
  serve(liveAnswers: LiveAnswers): void;
  close(): void;
}

interface Waiting {
  replies: number;
  /** How many instances got the question; unknown until PUBLISH answers. */
  expected: number;
  settle(stopped: boolean): void;
}

function parse(payload: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function createRedisAnswerStops(options: {
  url: string;
  prefix: string;
  logger: Logger;
  replyWaitMs?: number;
}): AnswerStops {
  const { prefix } = options;
  const log = options.logger.child({ component: 'answer-stops' });
  const stopChannel = `${prefix}answer-stop`;
  const replyChannel = `${prefix}answer-stop-reply`;
  const replyWaitMs = options.replyWaitMs ?? REPLY_WAIT_MS;
  const publisher = new Redis(options.url, { ...CONNECTION, connectionName: `${prefix}stops` });
  const listener = new Redis(options.url, {
    ...CONNECTION,
    connectionName: `${prefix}stops-listen`,
  });
  let warned = false;
  const warnOnce = (error: unknown) => {
    if (warned) return;
    warned = true;
    log.warn(
      { err: error },
      'redis unavailable for Stop; a Stop for another instance is NOT_FOUND',
    );
  };
  publisher.on('error', warnOnce);
  publisher.on('ready', () => {
    warned = false;
  });
  listener.on('error', () => {}); // the publisher reports the outage
  let closed = false;
  let listening = false;
  let liveAnswers: LiveAnswers | undefined;
  /** Forwarded Stops of this instance waiting for replies, by question id. */
  const waiting = new Map<string, Waiting>();

  async function answer(question: Record<string, unknown>) {
    const { id, userId, requestId } = question;
    if (typeof id !== 'string' || typeof userId !== 'string' || typeof requestId !== 'string')
      return;
    let stopped = false;
    // Checked first: stop() on an answer not held here would also bar the request id here.
    if (liveAnswers?.holds(requestId, userId)) stopped = await liveAnswers.stop(requestId, userId);
    if (closed) return;
    publisher.publish(replyChannel, JSON.stringify({ id, stopped })).catch(warnOnce);
  }

  function heard(reply: Record<string, unknown>) {
    const entry = typeof reply.id === 'string' ? waiting.get(reply.id) : undefined;
    if (!entry) return; // another instance's question, or one that timed out
    entry.replies++;
    if (reply.stopped === true) entry.settle(true);
    else if (entry.replies >= entry.expected) entry.settle(false);
  }

  listener.on('message', (channel: string, payload: string) => {
    const message = parse(payload);
    if (!message) return;
    if (channel === stopChannel) void answer(message);
    else if (channel === replyChannel) heard(message);
  });
  listener.on('ready', () => {
    listener.subscribe(stopChannel, replyChannel).then(() => {
      listening = true;
    }, warnOnce);
  });
  listener.on('close', () => {
    listening = false;
  });

  return {
    stop({ userId, requestId }) {
      // Not subscribed to the replies: the holder's "stopped" could not be heard.
      if (closed || !listening) return Promise.resolve(false);
      const id = randomUUID();
      return new Promise<boolean>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const entry: Waiting = {
          replies: 0,
          expected: Number.POSITIVE_INFINITY,
          settle(stopped) {
            clearTimeout(timer);
            waiting.delete(id);
            resolve(stopped);
          },
        };
        waiting.set(id, entry);
        timer = setTimeout(() => entry.settle(false), replyWaitMs);
        publisher.publish(stopChannel, JSON.stringify({ id, userId, requestId })).then(
          (receivers) => {
            if (!waiting.has(id)) return;
            entry.expected = receivers;
            if (entry.replies >= receivers) entry.settle(false);
          },
          (error: unknown) => {
            warnOnce(error);
            entry.settle(false);
          },
        );
      });
    },
    serve(answers) {
      liveAnswers = answers;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const entry of [...waiting.values()]) entry.settle(false);
      publisher.disconnect();
      listener.disconnect();
    },
  };
}
