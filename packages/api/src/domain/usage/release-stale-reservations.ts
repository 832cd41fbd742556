import type { Db } from '@tessera/db';
import { PROCESS_HOLDER } from './admit-request.ts';
import { releaseRequest } from './settle-request.ts';

/** No request streams longer than this; an open reservation older than it is abandoned anyway. */
export const STALE_RESERVATION_MS = 15 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Releases reservations left open by a crashed process, charging nothing (what it delivered was
 * never counted), at start-up. A reservation is abandoned when its holder process no longer
 * exists, or when it is older than any request can run. A live stream in another process sharing
 * the file is never touched; each release is the usual exactly-once settlement, so two processes
 * starting together cannot release one twice.
 */
export function releaseStaleReservations(
  db: Db,
  input: { now: Date; timeZone: string; olderThanMs?: number },
) {
  const cutoff = input.now.getTime() - (input.olderThanMs ?? STALE_RESERVATION_MS);
  const open = db.$client
    .prepare<[], { id: string; holder: string | null; created_at: number }>(
      "select id, holder, created_at from credit_reservations where status = 'open'",
    )
    .all();
  const alive = new Map<string, boolean>();
  const abandoned = open.filter((r) => {
    if (r.created_at < cutoff || r.holder === null) return true;
    if (r.holder === PROCESS_HOLDER) return false;
    let known = alive.get(r.holder);
    if (known === undefined) {
      known = processAlive(Number(r.holder));
      alive.set(r.holder, known);
    }
    return !known;
  });
  let released = 0;
  for (const { id } of abandoned) {
    if (
      releaseRequest(db, { requestId: id, modelId: '', now: input.now, timeZone: input.timeZone })
        .settled
    )
      released++;
  }
  return { found: abandoned.length, released };
}
