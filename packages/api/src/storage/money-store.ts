// The storage boundary of the money path (docs/decisions/028): one async method per whole
// transaction. A better-sqlite3 transaction cannot span an `await`, so a generic `transaction(cb)`
// port cannot be implemented on SQLite; each method below is one transaction on every engine
// (SQLite: today's synchronous code behind a resolved promise; PostgreSQL: one SQL function or
// one statement per call, retried on serialization failures and deadlocks).
//
// Every money transaction locks the user's credit account first, then anything else (counters,
// reservations, ledger): one lock order on every engine, so two transactions can never wait on
// each other in opposite orders. Every write is keyed (request id, ledger idempotency key), so a
// retried call — after a deadlock, or after a commit whose answer was lost — changes nothing.

import type { InvariantReport } from '../domain/credits/check-invariants.ts';
import type { MoveCreditsInput, MoveCreditsResult } from '../domain/credits/move-credits.ts';
import type { HeldRefill } from '../domain/credits/refill-user.ts';
import type { RefillRunInput, RefillRunResult } from '../domain/credits/run-scheduled-refills.ts';
import type { Admission, AdmissionInput } from '../domain/usage/admit-request.ts';
import type { ReservationLease } from '../domain/usage/reservation-lease.ts';
import type { Settlement, SettlementInput } from '../domain/usage/settle-request.ts';

export type {
  Admission,
  AdmissionInput,
  InvariantReport,
  MoveCreditsInput,
  MoveCreditsResult,
  RefillRunInput,
  RefillRunResult,
  ReservationLease,
  Settlement,
  SettlementInput,
};

export interface SettleInput extends SettlementInput {
  /**
   * Also append a `credits.changed` member event when something was charged, in the same
   * transaction (the chat engine does: the member's other tabs refresh their meters).
   */
  announce?: boolean;
}

export type ReleaseInput = Omit<SettlementInput, 'inputTokens' | 'outputTokens'>;

export interface OnDemandRefillInput {
  userId: string;
  refills: readonly HeldRefill[];
  now: Date;
  timeZone: string;
}

export interface StaleReservationsInput {
  now: Date;
  timeZone: string;
}

export interface RenewLeasesInput {
  /** The renewing instance (its holder id) and how long a lease lasts from `now`. */
  lease: ReservationLease;
  now: Date;
}

export interface MoneyStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Counts the request and reserves its worst case; a refusal is a typed value, nothing written. */
  admit(input: AdmissionInput): Promise<Admission>;
  /** Charges real usage (allowance first, then purchased), releases the rest; once per request. */
  settle(input: SettleInput): Promise<Settlement>;
  /** Ends a reservation charging nothing. */
  release(input: ReleaseInput): Promise<Settlement>;
  /** Every non-chat credit change (admin, purchase, refund, lapse); one per idempotency key. */
  moveCredits(input: MoveCreditsInput): Promise<MoveCreditsResult>;
  /** On-demand refills of the marks a user holds; once per user, mark and period. Credits added. */
  refillUserOnDemand(input: OnDemandRefillInput): Promise<number>;
  /** The batch refill of every holder of a scheduled mark; once per user, mark and period. */
  runScheduledRefills(input: RefillRunInput): Promise<RefillRunResult>;
  /**
   * The holder's renewal (decision 030): pushes `lease_until` to `now + lease.ms` on every
   * reservation the holder still has open, in one statement. Returns how many were renewed.
   */
  renewLeases(input: RenewLeasesInput): Promise<number>;
  /**
   * Releases, charging nothing, every open reservation whose lease ended before `now` (rows from
   * before leases: once older than STALE_RESERVATION_MS); a renewal that lands first keeps it.
   * Each release happens once however many instances sweep together.
   */
  releaseStaleReservations(
    input: StaleReservationsInput,
  ): Promise<{ found: number; released: number }>;
  /** `credits:check`: balance = Σ ledger, pots, reservations, ledger chain, settled exactly once. */
  checkInvariants(): Promise<InvariantReport>;
}
