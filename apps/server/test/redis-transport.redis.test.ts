// The Redis transport on its own, against a real Redis (TEST_REDIS_URL): notices are tiny and reach
// every subscriber on the prefixed channel only; a dead Redis costs a log line, never an exception
// or a hung CLI.

import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  announceOnce,
  createRedisEventTransport,
  memberEventsChannel,
} from '../src/events/redis-transport.ts';
import { TEST_REDIS_URL, uniquePrefix } from './instances.ts';

const silent = pino({ level: 'silent' });
const CLOSED_PORT_URL = 'redis://127.0.0.1:1';

describe('the Redis member-event transport', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('publishes a tiny notice that every instance on the same prefix hears, and no other', async () => {
    const prefix = uniquePrefix();
    const raw = new Redis(TEST_REDIS_URL);
    cleanups.push(() => raw.disconnect());
    const payloads: string[] = [];
    raw.on('message', (_channel: string, payload: string) => payloads.push(payload));
    await raw.subscribe(memberEventsChannel(prefix));

    const heard: unknown[] = [];
    const liveChanges: boolean[] = [];
    const listener = createRedisEventTransport({ url: TEST_REDIS_URL, prefix, logger: silent });
    const stranger = createRedisEventTransport({
      url: TEST_REDIS_URL,
      prefix: uniquePrefix(),
      logger: silent,
    });
    cleanups.push(
      () => listener.close(),
      () => stranger.close(),
    );
    listener.start({ onNotice: (n) => heard.push(n), onLive: (l) => liveChanges.push(l) });
    stranger.start({ onNotice: (n) => heard.push({ wrongPrefix: n }), onLive: () => {} });
    await expect.poll(() => liveChanges).toEqual([true]);

    const writer = createRedisEventTransport({ url: TEST_REDIS_URL, prefix, logger: silent });
    cleanups.push(() => writer.close());
    await new Promise((resolve) => setTimeout(resolve, 200)); // the publisher connects
    writer.publish({ eventId: 123_456, authEpoch: 789 });
    await expect.poll(() => heard).toEqual([{ eventId: 123_456, authEpoch: 789 }]);
    expect(payloads).toEqual(['{"e":123456,"a":789}']); // the outbox is the record; this says "look"
  });

  it('with Redis unreachable: never live, publishes dropped without throwing', async () => {
    const transport = createRedisEventTransport({
      url: CLOSED_PORT_URL,
      prefix: uniquePrefix(),
      logger: silent,
    });
    cleanups.push(() => transport.close());
    const liveChanges: boolean[] = [];
    transport.start({ onNotice: () => {}, onLive: (l) => liveChanges.push(l) });
    expect(() => transport.publish({ eventId: 1, authEpoch: 1 })).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(liveChanges).toEqual([]);
  });

  it('the CLI’s announcement gives up quickly on a dead Redis and reports it', async () => {
    const notice = { eventId: 7, authEpoch: 3 };
    const started = performance.now();
    const sent = await announceOnce({
      url: CLOSED_PORT_URL,
      prefix: uniquePrefix(),
      notice,
    });
    expect(sent).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000); // not hung: one attempt, a 2 s cap
    expect(await announceOnce({ url: TEST_REDIS_URL, prefix: uniquePrefix(), notice })).toBe(true);
  });
});
