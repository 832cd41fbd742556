// This instance's side of reservation leases (decision 030): every third of a lease, one statement
// renews the lease of every reservation it holds open, so an answer streaming for minutes keeps its
// hold however long it runs, and a crashed instance's holds expire within one lease. It goes
// through the money store, so it is the same timer on SQLite and PostgreSQL. The timer is unref'd:
// it never keeps a stopping process alive.
import type { MoneyStore, ReservationLease } from '@tessera/api';
import type { Logger } from './logger.ts';

export function startReservationLeaseRenewal(options: {
  money: MoneyStore;
  lease: ReservationLease;
  logger: Logger;
}): { stop(): void } {
  // A renewal still running when the next is due (a slow database) is not doubled up.
  let running = false;
  const renew = async () => {
    if (running) return;
    running = true;
    try {
      await options.money.renewLeases({ lease: options.lease, now: new Date() });
    } catch (error) {
      // A busy database at one renewal is fine: two more come before the lease ends.
      options.logger.error({ err: error }, 'renewing reservation leases failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(options.lease.ms / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
