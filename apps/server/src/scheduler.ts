// In-process scheduler for credit refills (croner). Runs at start-up — catching up on a period
// that turned while the server was down — and then at the top of every hour. Refill keys make
// overlapping runs, several instances and on-demand refills harmless.
import { runScheduledRefills } from '@tessera/api';
import type { Db } from '@tessera/db';
import { Cron } from 'croner';
import type { Logger } from './logger.ts';

export function startScheduler(options: { db: Db; timeZone: string; logger: Logger }): {
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
  };
  const job = new Cron('0 * * * *', { timezone: options.timeZone, protect: true }, run);
  const first = setTimeout(run, 1000);
  first.unref();
  return {
    stop() {
      clearTimeout(first);
      job.stop();
    },
  };
}
