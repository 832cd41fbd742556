// Member-event notices over Redis pub/sub (decision 029): after a commit that appended member
// events or bumped the auth epoch, the writer PUBLISHes "events up to id N, epoch E" on one
// channel; every instance SUBSCRIBEs and catches up from the outbox at once. The payload is tiny on
// purpose: the outbox is the record, a notice only says "look now", so a lost one costs latency
// (the bus's safety poll), never an event.
//
// Redis going away must never take the server down: errors are logged once per outage, publishes
// are dropped (enableOfflineQueue off, so nothing piles up), the bus is told it is not live and
// polls the outbox fast until the subscriber is back, reconnecting with a capped backoff.
import type { MemberEventNotice, MemberEventTransport } from '@tessera/api';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

/** The channel's name under the deployment's key prefix (REDIS_KEY_PREFIX, default `tessera:`). */
export function memberEventsChannel(prefix: string): string {
  return `${prefix}member-events`;
}

const CONNECTION: RedisOptions = {
  // Fail fast rather than queue: a notice that cannot go now is worthless later.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  // A peer that vanished without a FIN (a partition) is noticed by TCP keep-alive, not never.
  keepAlive: 10_000,
  // Reconnect forever, 50 ms, 100 ms … at most 1 s apart.
  retryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
  // We subscribe again ourselves on 'ready', and only then call the transport live.
  autoResubscribe: false,
};

function encode(notice: MemberEventNotice): string {
  return JSON.stringify({ e: notice.eventId, a: notice.authEpoch });
}

function decode(payload: string): MemberEventNotice | null {
  try {
    const parsed = JSON.parse(payload) as { e?: unknown; a?: unknown };
    if (typeof parsed.e === 'number' && typeof parsed.a === 'number')
      return { eventId: parsed.e, authEpoch: parsed.a };
  } catch {}
  return null;
}

export function createRedisEventTransport(options: {
  url: string;
  prefix: string;
  logger: Logger;
}): MemberEventTransport {
  const channel = memberEventsChannel(options.prefix);
  const log = options.logger.child({ component: 'redis-events' });
  // Named after the prefix, so `CLIENT LIST` tells deployments (and test runs) apart.
  const publisher = new Redis(options.url, {
    ...CONNECTION,
    connectionName: `${options.prefix}publish`,
  });
  const subscriber = new Redis(options.url, {
    ...CONNECTION,
    connectionName: `${options.prefix}subscribe`,
  });
  let live = false;
  let everLive = false;
  let closed = false;
  // One warning per outage, not one per reconnect attempt.
  const warned = new Set<string>();
  const warnOnce = (what: string, error: unknown) => {
    if (warned.has(what)) return;
    warned.add(what);
    const consequence = what.includes('publish')
      ? 'other instances see changes made here at their next outbox poll'
      : 'member events fall back to polling the outbox';
    log.warn({ err: error }, `${what}; ${consequence}`);
  };
  publisher.on('error', (error) => warnOnce('redis publisher unavailable', error));
  publisher.on('ready', () => {
    warned.delete('redis publisher unavailable');
    warned.delete('redis publish failed');
  });
  subscriber.on('error', (error) => warnOnce('redis subscriber unavailable', error));

  return {
    publish(notice) {
      if (closed) return;
      publisher.publish(channel, encode(notice)).catch((error: unknown) => {
        warnOnce('redis publish failed', error);
      });
    },
    start(handlers) {
      const setLive = (now: boolean) => {
        if (live === now) return;
        live = now;
        handlers.onLive(now);
      };
      subscriber.on('message', (from: string, payload: string) => {
        if (from !== channel) return;
        const notice = decode(payload);
        if (notice) handlers.onNotice(notice);
      });
      subscriber.on('ready', () => {
        subscriber.subscribe(channel).then(
          () => {
            if (closed) return;
            if (warned.size > 0) log.info('redis is back; member events are pushed again');
            else if (!everLive) log.info({ channel }, 'member events are pushed over redis');
            everLive = true;
            warned.clear();
            setLive(true);
          },
          (error: unknown) => warnOnce('redis subscribe failed', error),
        );
      });
      subscriber.on('close', () => {
        if (closed) return;
        if (live) warnOnce('redis subscriber disconnected', null);
        setLive(false);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      live = false;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * For the CLI (a short-lived writer): announce `notice` (what its database holds now, read through
 * `stores.ops.currentNotice()` on either engine) to the running instances, then hang up. Waits at most `timeoutMs`; returns whether the notice went out (if not,
 * the instances still find the change at their next safety poll).
 */
export async function announceOnce(options: {
  url: string;
  prefix: string;
  notice: MemberEventNotice;
  timeoutMs?: number;
}): Promise<boolean> {
  const client = new Redis(options.url, {
    ...CONNECTION,
    enableOfflineQueue: true, // the one command waits for the connection
    retryStrategy: () => null, // one attempt: a CLI must not hang on a dead Redis
    connectionName: `${options.prefix}cli`,
    lazyConnect: true,
  });
  client.on('error', () => {}); // reported through the return value
  const timeout = new Promise<false>((resolve) =>
    setTimeout(() => resolve(false), options.timeoutMs ?? 2_000).unref(),
  );
  try {
    const sent = client
      .connect()
      .then(() => client.publish(memberEventsChannel(options.prefix), encode(options.notice)))
      .then(
        () => true,
        () => false,
      );
    return await Promise.race([sent, timeout]);
  } finally {
    client.disconnect();
  }
}
