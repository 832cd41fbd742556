// Named leases that server instances sharing one database take turns holding (docs/decisions/030):
// today only `scheduler`, the leader that runs scheduled refills and sweeps. A lease is held while
// `until` (epoch ms) is in the future; its holder renews it, anyone may take it once it has passed.
// `holder` is an instance id (`host:pid:random`), never interpreted.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const leases = sqliteTable('leases', {
  name: text().primaryKey(),
  holder: text().notNull(),
  until: integer().notNull(),
});
export type Lease = typeof leases.$inferSelect;
