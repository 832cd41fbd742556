// PostgreSQL mirror of ../../schema/leases.ts (what a lease is and who holds it is documented there).
import { pgTable, text } from 'drizzle-orm/pg-core';
import { int } from './columns.ts';

export const leases = pgTable('leases', {
  name: text().primaryKey(),
  holder: text().notNull(),
  until: int().notNull(),
});
