// The leader lock: one guarded upsert takes or renews a named lease (docs/decisions/030). It wins
// only when nobody holds the lease, its holder's time has run out, or the caller already holds it —
// in the same statement, so two instances asking at once cannot both win. Written so the same
// statement runs on PostgreSQL (`insert … on conflict … do update … where … returning`).
import type { Db } from '@tessera/db';

export interface HoldLeaseInput {
  /** e.g. `scheduler`. */
  name: string;
  /** The asking instance (INSTANCE_ID). */
  holder: string;
  /** How long the lease lasts from `now` when won; longer than the holder's renewal interval. */
  ttlMs: number;
  now: Date;
}

/** True when `holder` holds `name` until `now + ttlMs` after this call. */
export function holdLease(db: Db, input: HoldLeaseInput): boolean {
  const now = input.now.getTime();
  const row = db.$client
    .prepare<[string, string, number, number], { holder: string }>(
      `insert into leases (name, holder, until) values (?, ?, ?)
       on conflict (name) do update set holder = excluded.holder, until = excluded.until
       where leases.until < ? or leases.holder = excluded.holder
       returning holder`,
    )
    .get(input.name, input.holder, now + input.ttlMs, now);
  return row !== undefined;
}
