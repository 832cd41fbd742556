// The scheduler's leader lock in one process (decision 030): two schedulers on one database, as two
// instances would run; only the lease holder works, and a clean stop hands the lease over at the
// next tick instead of after the ttl.
import { Writable } from 'node:stream';
import { sqliteStoresOf } from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedulerLeaseTtl, startScheduler } from '../src/scheduler.ts';

function capturingLogger() {
  const lines: { msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    took: () => lines.filter((l) => l.msg === 'took the scheduler lease').length,
  };
}

const eventually = async (check: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('scheduler leadership in one process', () => {
  let path: string;
  let handle: DbHandle;
  const stops: (() => Promise<void>)[] = [];
  beforeEach(() => {
    path = copyTestDatabase();
    handle = createDb(path);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    handle.close();
    removeDatabaseFiles(path);
  });

  const holder = () =>
    (
      handle.sqlite.prepare("select holder from leases where name = 'scheduler'").get() as
        | { holder: string }
        | undefined
    )?.holder;
  const scheduledRuns = () =>
    (
      handle.sqlite
        .prepare("select count(*) as n from refill_runs where trigger = 'scheduled'")
        .get() as { n: number }
    ).n;

  it('only the holder works; a clean stop hands over at the next tick, well before the ttl', async () => {
    const tickMs = 1000;
    const start = (name: string) => {
      const log = capturingLogger();
      const scheduler = startScheduler({
        stores: sqliteStoresOf(handle.db),
        timeZone: 'UTC',
        logger: log.logger,
        baseUrl: 'http://localhost',
        tickMs,
        holder: name,
      });
      stops.push(() => scheduler.stop());
      return { ...log, scheduler };
    };
    const a = start('instance-a');
    await eventually(() => holder() !== undefined, 5000);
    const b = start('instance-b');
    await new Promise((resolve) => setTimeout(resolve, 2.5 * tickMs));
    expect(holder()).toBe('instance-a');
    expect([a.took(), b.took()]).toEqual([1, 0]);
    expect(scheduledRuns()).toBe(1);

    const stoppedAt = Date.now();
    await a.scheduler.stop();
    expect(holder()).toBeUndefined(); // given up, not left to expire
    await eventually(() => holder() === 'instance-b', 5000);
    expect(Date.now() - stoppedAt).toBeLessThan(schedulerLeaseTtl(tickMs));
    expect(b.took()).toBe(1);
    expect(scheduledRuns()).toBe(2);
  }, 30_000);
});
