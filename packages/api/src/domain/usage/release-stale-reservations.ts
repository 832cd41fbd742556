// The other side of reservation leases (docs/decisions/030): reservations whose holder stopped
// vouching for them — its lease ran out — are released, charging nothing (what was delivered was
// never counted). Any instance may do it: at start-up, and on the scheduler leader's tick.
import type { Db } from '@tessera/db';
import { releaseRequest } from './settle-request.ts';

/** No request streams longer than this: how old a row from before leases (no lease) may get. */
export const STALE_RESERVATION_MS = 15 * 60_000;

/** Releases per write transaction, so a large backlog never holds the write lock for long. */
const BATCH = 500;

/**
 * Releases every open reservation whose lease ended before `now` (and rows admitted before leases
 * existed once older than STALE_RESERVATION_MS). Finding and releasing a batch share one write
 * transaction, so a renewal cannot land between the check and the release; each release is the
 * usual exactly-once settlement, so instances sweeping together release a reservation once.
 */
export function releaseStaleReservations(db: Db, input: { now: Date; timeZone: string }) {
  const now = input.now.getTime();
  const expired = db.$client.prepare<[number, number, number], { id: string }>(
    `select id from credit_reservations
     where status = 'open'
       and (lease_until < ? or (lease_until is null and created_at < ?))
     limit ?`,
  );
  const releaseBatch = db.$client.transaction(() => {
    const ids = expired.all(now, now - STALE_RESERVATION_MS, BATCH);
    let released = 0;
    for (const { id } of ids) {
      const done = releaseRequest(db, {
        requestId: id,
        modelId: '',
        now: input.now,
        timeZone: input.timeZone,
      });
      if (done.settled) released++;
    }
    return { found: ids.length, released };
  }).immediate;
  let found = 0;
  let released = 0;
  for (;;) {
    const batch = releaseBatch();
    found += batch.found;
    released += batch.released;
    if (batch.found < BATCH) return { found, released };
  }
}
