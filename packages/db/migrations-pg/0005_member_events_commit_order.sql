-- The commit-ordered cursor of the member-event bus on PostgreSQL (decision 035). An identity id is
-- taken when a row is inserted, not when its transaction commits: a transaction holding id 41 can
-- commit after one holding 42, and a reader tailing `id > last` that saw 42 would skip 41 for good.
-- So every row records the top-level transaction that wrote it (`pg_current_xact_id()`, 64-bit, no
-- wraparound); a reader keeps the snapshot of its previous read and next reads exactly the rows
-- whose transaction that snapshot did not yet see as finished (storage/pg/ops/member-event-bus.ts).
-- Not in the Drizzle schema: SQLite (one writer, ids visible in order) has no twin, and no writer
-- ever names the column — the default fills it for Drizzle inserts and the SQL functions alike.
ALTER TABLE "member_events" ADD COLUMN "txid" xid8 DEFAULT pg_current_xact_id() NOT NULL;
--> statement-breakpoint
CREATE INDEX "member_events_txid_idx" ON "member_events" USING btree ("txid");
