// This instance's side of reservation leases (decision 030): every third of a lease, one statement
// renews the lease of every reservation it holds open, so an answer streaming for minutes keeps its
// hold however long it runs, and a crashed instance's holds expire within one lease. The timer is
// unref'd: it never keeps a stopping process alive.
import { type ReservationLease, renewReservationLeases } from '@tessera/api';
import type { Db } from '@tessera/db';
import type { Logger } from './logger.ts';

export function startReservationLeaseRenewal(options: {
  db: Db;
  lease: ReservationLease;
  logger: Logger;
}): { stop(): void } {
  const renew = () => {
    try {
      renewReservationLeases(options.db, { lease: options.lease, now: new Date() });
    } catch (error) {
      // A busy database at one renewal is fine: two more come before the lease ends.
      options.logger.error({ err: error }, 'renewing reservation leases failed');
    }
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(options.lease.ms / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
