// Live answers mirrored to Redis Streams, so a reconnect that lands on another instance resumes
// the answer there (decision 033). One stream per answer, `<prefix>answer:<userId>:<requestId>`:
// entry `0-<n+1>` holds event n (the SPA's event id is `<requestId>:<n>`), so a reader resumes
// after its lastEventId with one XREAD from `0-<n+1>` and notices a gap by a skipped number; the
// entry after the last event says the answer ended.
//
// The producer never waits for Redis: events are queued and written once per tick in one pipeline
// (no round trip on the first-token path), errors are logged once per outage, and a lost batch
// only costs the readers (they see a gap and fall back to today's CONFLICT). A reader tells the
// producer it follows by publishing the key every second; the producer then keeps pulling the
// answer as if its own client were there (decision 009: nothing is generated for nobody).
import type { AnswerMirror, ChatEvent, LiveAnswers, RemoteAnswers } from '@tessera/api';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

/** Stream entries kept per answer (one per event; a long answer has a few thousand deltas). */
const MAX_EVENTS = 50_000;
/** A reader re-announces itself this often; the producer drops a reader it has not heard from. */
const FOLLOW_EVERY_MS = 1_000;
const FOLLOW_LEASE_MS = 4_000;
/** How long an XREAD waits for the next entry before the loop looks around again. */
const BLOCK_MS = 1_000;

const CONNECTION: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  keepAlive: 10_000,
  retryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
};

export function answerStreamKey(prefix: string, userId: string, requestId: string): string {
  return `${prefix}answer:${userId}:${requestId}`;
}

const CONFLICT: ChatEvent = {
  type: 'refused',
  reason: { code: 'CONFLICT', message: 'This request is already being answered.' },
};

type Entry = [id: string, fields: string[]];

export interface AnswerStreams extends RemoteAnswers {
  mirror: AnswerMirror;
  /** Keeps this instance's answers going while another instance's reader follows them. */
  serve(liveAnswers: LiveAnswers): void;
  close(): void;
}

export function createRedisAnswerStreams(options: {
  url: string;
  prefix: string;
  logger: Logger;
  /** The resume grace: a stream outlives its last write by this and a minute. */
  graceMs: number;
}): AnswerStreams {
  const { prefix } = options;
  const log = options.logger.child({ component: 'answer-streams' });
  const followedChannel = `${prefix}answer-followed`;
  const ttlSeconds = Math.ceil((options.graceMs + 60_000) / 1_000);
  const writer = new Redis(options.url, { ...CONNECTION, connectionName: `${prefix}answers` });
  const listener = new Redis(options.url, {
    ...CONNECTION,
    connectionName: `${prefix}answers-followed`,
    autoResubscribe: false, // subscribed again on each 'ready' (below)
  });
  let warned = false;
  const warnOnce = (error: unknown) => {
    if (warned) return;
    warned = true;
    log.warn({ err: error }, 'redis unavailable for answer streams; reconnects get CONFLICT');
  };
  writer.on('error', warnOnce);
  writer.on('ready', () => {
    warned = false;
  });
  listener.on('error', () => {}); // the writer reports the outage
  let closed = false;

  // --- the producer: copy each admitted answer's events, a tick's worth per round trip --------
  /** Answers being mirrored: key → how many of their events are queued or written. */
  const mirrored = new Map<string, number>();
  let queue: Array<[key: string, id: string, field: string, value: string]> = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    const batch = queue;
    queue = [];
    if (closed || batch.length === 0) return;
    const pipeline = writer.pipeline();
    const keys = new Set<string>();
    for (const [key, id, field, value] of batch) {
      pipeline.xadd(key, 'MAXLEN', '~', MAX_EVENTS, id, field, value);
      keys.add(key);
    }
    for (const key of keys) pipeline.expire(key, ttlSeconds);
    pipeline.exec().then((replies) => {
      const failed = replies?.find(([error]) => error);
      if (failed) warnOnce(failed[0]);
    }, warnOnce);
  };
  const enqueue = (key: string, n: number, field: string, value: string) => {
    queue.push([key, `0-${n + 1}`, field, value]);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  };
  const copy: AnswerMirror = {
    onEvent({ userId, requestId, events }) {
      const key = answerStreamKey(prefix, userId, requestId);
      let copied = mirrored.get(key);
      if (copied === undefined) {
        // Mirrored from its admission: a refusal or replay holds nothing to resume.
        if (events.at(-1)?.type !== 'admitted') return;
        copied = 0;
      }
      for (; copied < events.length; copied++)
        enqueue(key, copied, 'e', JSON.stringify(events[copied]));
      mirrored.set(key, copied);
    },
    onEnd({ userId, requestId }) {
      const key = answerStreamKey(prefix, userId, requestId);
      const copied = mirrored.get(key);
      if (copied === undefined) return;
      mirrored.delete(key);
      enqueue(key, copied, 'end', '');
    },
  };
  // Called inside the producer's pull: a mirror fault must never reach the answer.
  const mirror: AnswerMirror = {
    onEvent(answer) {
      try {
        copy.onEvent(answer);
      } catch (error) {
        warnOnce(error);
      }
    },
    onEnd(answer) {
      try {
        copy.onEnd(answer);
      } catch (error) {
        warnOnce(error);
      }
    },
  };

  // --- readers elsewhere keep the producer pulling ----------------------------------------------
  const remoteFollowers = new Map<string, { renew(): void }>();
  function followForRemote(liveAnswers: LiveAnswers, userId: string, requestId: string) {
    const key = `${userId}:${requestId}`;
    const held = remoteFollowers.get(key);
    if (held) return held.renew();
    if (!liveAnswers.holds(requestId, userId)) return;
    const left = new AbortController();
    const lease = () => setTimeout(() => left.abort(), FOLLOW_LEASE_MS).unref();
    let timer = lease();
    remoteFollowers.set(key, {
      renew() {
        clearTimeout(timer);
        timer = lease();
      },
    });
    void (async () => {
      try {
        // Attached from past the last event: it only pulls, the mirror copies what comes.
        for await (const _ of liveAnswers.follow({
          requestId,
          userId,
          after: Number.POSITIVE_INFINITY,
          start: nothing, // not reached: it is held here
          signal: left.signal,
        }));
      } catch {
        // The failure reaches the readers as the stream's end.
      } finally {
        clearTimeout(timer);
        remoteFollowers.delete(key);
      }
    })();
  }

  // --- the reader: relay another instance's answer from the client's last event -----------------
  async function follow({
    userId,
    requestId,
    after,
    signal,
  }: Parameters<RemoteAnswers['follow']>[0]): Promise<AsyncGenerator<[number, ChatEvent]> | null> {
    if (closed) return null;
    const key = answerStreamKey(prefix, userId, requestId);
    const reader = new Redis(options.url, {
      ...CONNECTION,
      enableOfflineQueue: true, // the first command waits for the connection
      retryStrategy: () => null, // one attempt: a dead Redis means today's CONFLICT, quickly
      connectionName: `${prefix}answer-reader`,
      lazyConnect: true,
    });
    reader.on('error', () => {});
    try {
      await reader.connect();
      if ((await reader.exists(key)) === 0) {
        reader.disconnect();
        return null;
      }
    } catch (error) {
      warnOnce(error);
      reader.disconnect();
      return null;
    }
    return relay(reader, key, userId, requestId, after, signal);
  }

  async function* relay(
    reader: Redis,
    key: string,
    userId: string,
    requestId: string,
    after: number,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<[number, ChatEvent]> {
    const hangUp = () => reader.disconnect();
    signal?.addEventListener('abort', hangUp, { once: true });
    const announce = `${userId}:${requestId}`;
    let next = after + 1;
    let announcedAt = 0;
    // The producer ends every answer within its grace of losing its last follower; a stream that
    // stays silent longer than that (the producer died) ends as a refusal, as without Redis.
    const idleMs = options.graceMs + FOLLOW_LEASE_MS + 5_000;
    let heardAt = Date.now();
    try {
      while (!signal?.aborted && !closed) {
        if (Date.now() - announcedAt >= FOLLOW_EVERY_MS) {
          announcedAt = Date.now();
          await reader.publish(followedChannel, announce);
        }
        const read = (await reader.xread(
          'COUNT',
          500,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          key,
          `0-${next}`,
        )) as Array<[string, Entry[]]> | null;
        const entries = read?.[0]?.[1] ?? [];
        if (entries.length === 0) {
          if (Date.now() - heardAt > idleMs) {
            yield [next, CONFLICT];
            return;
          }
          continue;
        }
        heardAt = Date.now();
        for (const [id, fields] of entries) {
          const n = Number(id.slice(2)) - 1;
          if (n !== next) {
            // A lost batch (Redis blipped on the producer): never show a gap, refuse instead.
            yield [next, CONFLICT];
            return;
          }
          if (fields[0] === 'end') return;
          yield [n, JSON.parse(fields[1] ?? 'null') as ChatEvent];
          next++;
        }
      }
    } catch (error) {
      if (!signal?.aborted && !closed) throw error;
    } finally {
      signal?.removeEventListener('abort', hangUp);
      reader.disconnect();
    }
  }

  return {
    mirror,
    follow,
    serve(liveAnswers) {
      listener.on('message', (channel: string, payload: string) => {
        if (channel !== followedChannel) return;
        const colon = payload.indexOf(':'); // user ids hold no ':' (request-key.ts)
        if (colon > 0)
          followForRemote(liveAnswers, payload.slice(0, colon), payload.slice(colon + 1));
      });
      listener.on('ready', () => {
        listener.subscribe(followedChannel).catch(warnOnce);
      });
    },
    close() {
      if (closed) return;
      flush(); // the last events and end markers of answers stopped at shutdown
      closed = true;
      writer.quit().catch(() => writer.disconnect());
      listener.disconnect();
    },
  };
}

/** Never started: a remote follower attaches only to an answer held here (see followForRemote). */
async function* nothing(): AsyncGenerator<ChatEvent> {}
