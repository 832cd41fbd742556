// The SQLite adapter: today's synchronous functions behind the port, unchanged. Each method runs
// its whole transaction before returning, so the only cost over a direct call is one resolved
// promise (`pnpm bench admission` measures the chat engine through it).
import type { Db } from '@tessera/db';
import { checkCreditInvariants } from '../domain/credits/check-invariants.ts';
import { moveCredits } from '../domain/credits/move-credits.ts';
import { refillUserOnDemand } from '../domain/credits/refill-user.ts';
import { runScheduledRefills } from '../domain/credits/run-scheduled-refills.ts';
import { admitRequest } from '../domain/usage/admit-request.ts';
import { releaseStaleReservations } from '../domain/usage/release-stale-reservations.ts';
import { renewReservationLeases } from '../domain/usage/renew-reservation-leases.ts';
import { releaseRequest, settleRequest } from '../domain/usage/settle-request.ts';
import { appendCreditsChanged } from '../events/outbox.ts';
import type { MoneyStore, SettleInput } from './money-store.ts';

export function createSqliteMoneyStore(db: Db): MoneyStore {
  // Settlement and its member event in one IMMEDIATE transaction, built once per store (as the chat
  // engine's settle-answer did): settleRequest's own transaction becomes a savepoint inside it.
  const settleAndAnnounce = db.$client.transaction((input: SettleInput) => {
    const result = settleRequest(db, input);
    if (result.settled && result.charged > 0)
      appendCreditsChanged(db.$client, result.userId, input.now);
    return result;
  }).immediate;

  return {
    engine: 'sqlite',
    async admit(input) {
      return admitRequest(db, input);
    },
    async settle(input) {
      return input.announce ? settleAndAnnounce(input) : settleRequest(db, input);
    },
    async release(input) {
      return releaseRequest(db, input);
    },
    async moveCredits(input) {
      return moveCredits(db, input);
    },
    async refillUserOnDemand(input) {
      return refillUserOnDemand(db, input);
    },
    async runScheduledRefills(input) {
      return runScheduledRefills(db, input);
    },
    async renewLeases(input) {
      return renewReservationLeases(db, input);
    },
    async releaseStaleReservations(input) {
      return releaseStaleReservations(db, input);
    },
    async checkInvariants() {
      return checkCreditInvariants(db);
    },
  };
}

const stores = new WeakMap<Db, MoneyStore>();

/** The SQLite store of `db`, built once per connection (callers given no store use this one). */
export function sqliteMoneyStoreOf(db: Db): MoneyStore {
  let store = stores.get(db);
  if (!store) {
    store = createSqliteMoneyStore(db);
    stores.set(db, store);
  }
  return store;
}
