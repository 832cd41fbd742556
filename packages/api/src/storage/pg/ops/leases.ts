// The leader lock on PostgreSQL (decision 030): the SQLite statement unchanged but for
// placeholders. `insert … on conflict do update … where … returning` locks the conflicting row and
// re-checks the WHERE on its latest version under READ COMMITTED, so of two instances asking at
// once exactly one gets a row back. `until` is a non-reserved keyword here, valid as a column.
import type { PgDb } from '@tessera/db/pg';
import type { OpsStore } from '../../ops-store.ts';

const HOLD_SQL = `insert into leases (name, holder, until) values ($1, $2, $3)
  on conflict (name) do update set holder = excluded.holder, until = excluded.until
  where leases.until < $4 or leases.holder = excluded.holder
  returning holder`;

export function pgLeaseMethods(db: PgDb): Pick<OpsStore, 'holdLease' | 'releaseLease'> {
  const pool = db.$client;
  return {
    async holdLease({ name, holder, ttlMs, now }) {
      const at = now.getTime();
      const { rows } = await pool.query({
        name: 'tessera_hold_lease',
        text: HOLD_SQL,
        values: [name, holder, at + ttlMs, at],
      });
      return rows.length === 1;
    },
    async releaseLease({ name, holder }) {
      const result = await pool.query({
        name: 'tessera_release_lease',
        text: 'delete from leases where name = $1 and holder = $2',
        values: [name, holder],
      });
      return result.rowCount === 1;
    },
  };
}
