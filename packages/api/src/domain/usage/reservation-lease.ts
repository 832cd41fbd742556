// Reservation leases (docs/decisions/030): an open reservation belongs to the instance answering
// it, which vouches for it by pushing `lease_until` forward every `ms / 3`. Once the lease has run
// out, any instance may release the reservation, so a crashed or partitioned instance's holds come
// back to their members on whatever machine notices first — no pid, no shared host needed.
import { INSTANCE_ID } from '../leases/instance-id.ts';

export interface ReservationLease {
  /** The instance answering (INSTANCE_ID; tests name others). */
  holder: string;
  /** How long a lease lasts from admission or its latest renewal. */
  ms: number;
}

/** Renewed every 10 s, a lease outlives two missed renewals (a GC pause, a busy database). */
export const DEFAULT_RESERVATION_LEASE_MS = 30_000;

export const THIS_INSTANCE_LEASE: ReservationLease = {
  holder: INSTANCE_ID,
  ms: DEFAULT_RESERVATION_LEASE_MS,
};
