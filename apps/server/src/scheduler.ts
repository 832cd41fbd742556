// In-process scheduler (croner). Credit refills run at start-up — catching up on a period that
// turned while the server was down — and then at the top of every hour; refill keys make
// overlapping runs, several instances and on-demand refills harmless. Every minute, marks past
// their end are swept: marked expired and their plan allowance taken back (decision 015), so a
// lapsed plan's credits are spendable for at most about a minute; the same minute tells members
// whose membership or trial ends within 3 days (once per membership and end).
import { runScheduledRefills, sweepEndingMemberships, sweepLapsedMemberships } from '@tessera/api';
import type { Db } from '@tessera/db';
import { Cron } from 'croner';
import type { Logger } from './logger.ts';

export function startScheduler(options: {
  db: Db;
  timeZone: string;
  logger: Logger;
  /** Where links in notification mails point (PUBLIC_URL). */
  baseUrl: string;
  /** After a run that may have written member events (announces them to other instances). */
  afterWrite?: () => void;
}): {
  stop(): void;
} {
  const run = () => {
    const result = runScheduledRefills(options.db, {
      trigger: 'scheduled',
      now: new Date(),
      timeZone: options.timeZone,
    });
    const log = result.error
      ? options.logger.error.bind(options.logger)
      : options.logger.info.bind(options.logger);
    log({ refillRun: result }, 'scheduled refill run');
    options.afterWrite?.();
  };
  const sweep = () => {
    try {
      const swept = sweepLapsedMemberships(options.db, { now: new Date() });
      if (swept > 0) {
        options.logger.info({ swept }, 'lapsed memberships swept');
        options.afterWrite?.();
      }
    } catch (error) {
      options.logger.error({ err: error }, 'lapsed-membership sweep failed');
    }
    // "Ends in 3 days" mails (decision 025): the same minute, its own index range and batch.
    try {
      const ending = sweepEndingMemberships(options.db, {
        now: new Date(),
        baseUrl: options.baseUrl,
        timeZone: options.timeZone,
      });
      if (ending.sent > 0) options.logger.info(ending, 'membership-ending notices sent');
    } catch (error) {
      options.logger.error({ err: error }, 'membership-ending sweep failed');
    }
  };
  const job = new Cron('0 * * * *', { timezone: options.timeZone, protect: true }, run);
  const sweepJob = new Cron('* * * * *', { protect: true }, sweep);
  const first = setTimeout(run, 1000);
  first.unref();
  return {
    stop() {
      clearTimeout(first);
      job.stop();
      sweepJob.stop();
    },
  };
}
