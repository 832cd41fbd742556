CREATE TABLE `redemption_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`plan_id` text,
	`mark_id` text,
	`days` integer,
	`credits` integer,
	`count` integer NOT NULL,
	`note` text,
	`expires_at` integer,
	`created_by` text,
	`created_by_label` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`mark_id`) REFERENCES `marks`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "redemption_batches_grant_check" CHECK(("redemption_batches"."plan_id" is not null and "redemption_batches"."mark_id" is not null and "redemption_batches"."days" between 1 and 36500 and "redemption_batches"."credits" is null)
        or ("redemption_batches"."plan_id" is null and "redemption_batches"."mark_id" is null and "redemption_batches"."days" is null and "redemption_batches"."credits" > 0)),
	CONSTRAINT "redemption_batches_count_check" CHECK("redemption_batches"."count" between 1 and 10000)
);
--> statement-breakpoint
CREATE INDEX `redemption_batches_created_idx` ON `redemption_batches` (`created_at`);--> statement-breakpoint
CREATE TABLE `redemption_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`code_hash` blob NOT NULL,
	`hint` text NOT NULL,
	`redeemed_by` text,
	`redeemed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `redemption_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`redeemed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "redemption_codes_redeemed_check" CHECK("redemption_codes"."redeemed_by" is null or "redemption_codes"."redeemed_at" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemption_codes_codeHash_unique` ON `redemption_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `redemption_codes_batch_idx` ON `redemption_codes` (`batch_id`);