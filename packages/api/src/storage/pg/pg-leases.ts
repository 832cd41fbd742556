// Reservation leases on PostgreSQL (docs/decisions/030): the holder's renewal is one UPDATE of all
// its open reservations; the sweep lists the reservations whose lease ended and releases each with
// tessera_release_expired, which re-checks the lease under the row lock (a renewal that committed
// meanwhile keeps it) and releases through tessera_settle, exactly once. Instances sweeping together
// list the same rows; for each, one release wins and the others find it closed.
import { periodStartMs } from '../../domain/usage/periods.ts';
import { STALE_RESERVATION_MS } from '../../domain/usage/release-stale-reservations.ts';
import type { RenewLeasesInput, StaleReservationsInput } from '../money-store.ts';
import { num, type PgQueryable, statement } from './pg-query.ts';
import type { RetryOptions } from './retry.ts';

export function createPgLeases(pool: PgQueryable, retry: RetryOptions) {
  // Only ids: listing takes no lock, each release re-checks on the row's latest version.
  const expired = statement<{ id: string }>(
    pool,
    'tessera_expired_reservations',
    `select id from credit_reservations
     where status = 'open' and (lease_until < $1 or (lease_until is null and created_at < $2))`,
    retry,
  );
  const releaseExpired = statement<{ o_outcome: 'released' | 'kept' }>(
    pool,
    'tessera_release_expired',
    'select o_outcome from tessera_release_expired($1, $2, $3, $4, $5)',
    retry,
  );
  // One statement for all the holder's open reservations; it answers how many it renewed.
  const renew = statement<{ n: string }>(
    pool,
    'tessera_renew_leases',
    `with renewed as (
       update credit_reservations set lease_until = $1 where status = 'open' and holder = $2
       returning 1)
     select count(*) as n from renewed`,
    retry,
  );
  return {
    async renewLeases(input: RenewLeasesInput): Promise<number> {
      const [row] = await renew([input.now.getTime() + input.lease.ms, input.lease.holder]);
      return num(row?.n);
    },

    async releaseStaleReservations(input: StaleReservationsInput) {
      const now = input.now.getTime();
      const staleBefore = now - STALE_RESERVATION_MS;
      const ids = await expired([now, staleBefore]);
      const day = periodStartMs(now, 'day', input.timeZone);
      const month = periodStartMs(now, 'month', input.timeZone);
      let released = 0;
      for (const { id } of ids) {
        const [row] = await releaseExpired([id, now, staleBefore, day, month]);
        if (row?.o_outcome === 'released') released++;
      }
      return { found: ids.length, released };
    },
  };
}
