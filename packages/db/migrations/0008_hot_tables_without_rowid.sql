-- Hand-written (drizzle-kit cannot emit WITHOUT ROWID; see docs/decisions/010). The two text-keyed
-- tables on the chat money path become WITHOUT ROWID: a rowid table with a text primary key is two
-- B-trees (the rows, and an autoindex from the key to the rowid), so every new reservation wrote
-- two pages and every lookup searched two trees. Without a rowid the row lives in its key's B-tree.
-- Columns, defaults, keys, checks and the partial index are unchanged (the Drizzle schema and
-- snapshot stay as they were). A generated migration that ever recreates one of these tables must
-- keep `WITHOUT ROWID` by hand; packages/db/test/client.test.ts fails if it is lost.
CREATE TABLE `__new_usage_counters` (
	`user_id` text NOT NULL,
	`window` text NOT NULL,
	`period_start` integer NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`credits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `window`, `period_start`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "usage_counters_nonnegative" CHECK("requests" >= 0 and "credits" >= 0)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_usage_counters` (`user_id`, `window`, `period_start`, `requests`, `input_tokens`, `output_tokens`, `credits`)
SELECT `user_id`, `window`, `period_start`, `requests`, `input_tokens`, `output_tokens`, `credits` FROM `usage_counters`;
--> statement-breakpoint
DROP TABLE `usage_counters`;
--> statement-breakpoint
ALTER TABLE `__new_usage_counters` RENAME TO `usage_counters`;
--> statement-breakpoint
CREATE TABLE `__new_credit_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`charged` integer,
	`created_at` integer NOT NULL,
	`settled_at` integer,
	`holder` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "credit_reservations_amount_check" CHECK("amount" >= 0 and coalesce("charged", 0) between 0 and "amount")
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_credit_reservations` (`id`, `user_id`, `amount`, `status`, `charged`, `created_at`, `settled_at`, `holder`)
SELECT `id`, `user_id`, `amount`, `status`, `charged`, `created_at`, `settled_at`, `holder` FROM `credit_reservations`;
--> statement-breakpoint
DROP TABLE `credit_reservations`;
--> statement-breakpoint
ALTER TABLE `__new_credit_reservations` RENAME TO `credit_reservations`;
--> statement-breakpoint
CREATE INDEX `credit_reservations_open_idx` ON `credit_reservations` (`created_at`) WHERE "credit_reservations"."status" = 'open';
