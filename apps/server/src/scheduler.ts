// In-process scheduler with a leader lock (decision 030). Every instance ticks (each minute by
// default), but only the one holding the `scheduler` lease does the scheduled work: the tick
// renews the lease (or takes it once its holder's time has run out) in one guarded upsert, so of
// N instances sharing a database exactly one does it, and when the leader dies another takes over
// within the lease's ttl. The leader:
// - runs credit refills when it becomes leader (catching up on a period that turned while no one
//   led) and at the top of every hour; refill keys would make overlaps harmless anyway, the lock
//   avoids the wasted work;
// - sweeps marks past their end each tick: marked expired and their plan allowance taken back
//   (decision 015), and tells members whose membership or trial ends within 3 days (decision 025);
// - releases credit reservations whose lease ran out (a crashed instance's answers).
// On-demand refills (at admission) and admin refills do not go through here.
import { INSTANCE_ID, type Stores } from '@tessera/api';
import { Cron } from 'croner';
import type { Logger } from './logger.ts';

export const SCHEDULER_LEASE = 'scheduler';

/** The lease outlives a tick by a margin, so a tick delayed by a busy machine keeps the leader. */
export function schedulerLeaseTtl(tickMs: number): number {
  return tickMs + Math.max(5_000, Math.round(tickMs / 4));
}

export function startScheduler(options: {
  /** The lease and the ending notices (ops), refills and expired reservations (money), the
   * lapsed-membership sweep (members). */
  stores: Stores;
  timeZone: string;
  logger: Logger;
  /** Where links in notification mails point (PUBLIC_URL). */
  baseUrl: string;
  /** Default one minute. */
  tickMs?: number;
  /** Default this process's INSTANCE_ID. */
  holder?: string;
  /** After a run that may have written member events (announces them to other instances). */
  afterWrite?: () => void;
}): {
  /** Stops ticking, waits for work in flight and gives the lease up if held. */
  stop(): Promise<void>;
} {
  const { stores, logger } = options;
  const tickMs = options.tickMs ?? 60_000;
  const holder = options.holder ?? INSTANCE_ID;
  const ttlMs = schedulerLeaseTtl(tickMs);
  let leader = false;
  let stopped = false;

  /** Takes or renews the lease; logs when leadership changes hands. */
  const lead = async (): Promise<boolean> => {
    let held: boolean;
    try {
      held = await stores.ops.holdLease({ name: SCHEDULER_LEASE, holder, ttlMs, now: new Date() });
    } catch (error) {
      // Unknown whether it is still ours: skip this tick's work, keep what we believed.
      logger.error({ err: error }, 'taking the scheduler lease failed');
      return false;
    }
    if (held !== leader)
      logger.info(
        { instance: holder, ttlMs },
        held ? 'took the scheduler lease' : 'lost the scheduler lease',
      );
    const became = held && !leader;
    leader = held;
    if (became) await refill();
    return held;
  };

  const refill = () =>
    attempt('scheduled refill run', async () => {
      const result = await stores.money.runScheduledRefills({
        trigger: 'scheduled',
        now: new Date(),
        timeZone: options.timeZone,
      });
      const log = result.error ? logger.error.bind(logger) : logger.info.bind(logger);
      log({ refillRun: result, instance: holder }, 'scheduled refill run');
      options.afterWrite?.();
    });

  const attempt = async (what: string, work: () => Promise<void> | void) => {
    try {
      await work();
    } catch (error) {
      logger.error({ err: error }, `${what} failed`);
    }
  };

  const tick = async () => {
    if (!(await lead())) return;
    await attempt('lapsed-membership sweep', async () => {
      const swept = await stores.members.sweepLapsedMemberships({ now: new Date() });
      if (swept > 0) {
        logger.info({ swept }, 'lapsed memberships swept');
        options.afterWrite?.();
      }
    });
    // "Ends in 3 days" mails (decision 025): the same tick, its own index range and batch.
    await attempt('membership-ending sweep', async () => {
      const ending = await stores.ops.sweepEndingMemberships({
        now: new Date(),
        baseUrl: options.baseUrl,
        timeZone: options.timeZone,
      });
      if (ending.sent > 0) logger.info(ending, 'membership-ending notices sent');
    });
    await attempt('releasing expired reservations', async () => {
      const stale = await stores.money.releaseStaleReservations({
        now: new Date(),
        timeZone: options.timeZone,
      });
      if (stale.found > 0) {
        logger.warn(stale, 'released credit reservations whose lease ran out');
        options.afterWrite?.();
      }
    });
  };

  // One piece of work at a time (a slow database must not stack ticks); stop() waits for it.
  let running: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>) => {
    if (stopped) return;
    running = running.then(work).catch((error: unknown) => {
      logger.error({ err: error }, 'scheduler tick failed');
    });
  };

  // At the top of the hour; an instance that just became leader has refilled already.
  const hourly = new Cron('0 * * * *', { timezone: options.timeZone, protect: true }, () =>
    serially(async () => {
      const wasLeader = leader;
      if ((await lead()) && wasLeader) await refill();
    }),
  );
  const ticks = setInterval(() => serially(tick), tickMs);
  ticks.unref();
  const first = setTimeout(() => serially(tick), 1000);
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(ticks);
      hourly.stop();
      await running;
      // Hand over at once: the next instance to tick takes the lease instead of waiting the ttl.
      if (leader)
        await attempt('giving up the scheduler lease', async () => {
          await stores.ops.releaseLease({ name: SCHEDULER_LEASE, holder });
        });
    },
  };
}
