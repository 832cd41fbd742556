// The holder's side of reservation leases (docs/decisions/030): one statement pushes the lease of
// every reservation this instance still holds open, however many answers it is streaming. A
// reservation another instance has already released (after this one stalled past its lease) is no
// longer open and is left alone: the answer settles as "already settled", charging nothing twice.
import type { Db } from '@tessera/db';
import type { ReservationLease } from './reservation-lease.ts';

/** Returns how many open reservations were renewed. */
export function renewReservationLeases(db: Db, input: { lease: ReservationLease; now: Date }) {
  return db.$client
    .prepare<[number, string]>(
      "update credit_reservations set lease_until = ? where status = 'open' and holder = ?",
    )
    .run(input.now.getTime() + input.lease.ms, input.lease.holder).changes;
}
