CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`actor_user_id` text,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`data` text,
	`ip` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_events_subject_idx` ON `audit_events` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE INDEX `audit_events_created_idx` ON `audit_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `auth_throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` blob NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`user_agent` text,
	`ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`display_name` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `credit_accounts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`daily_request_cap` integer,
	`monthly_credit_cap` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "credit_accounts_reserved_check" CHECK("credit_accounts"."reserved" >= 0 and "credit_accounts"."balance" >= "credit_accounts"."reserved"),
	CONSTRAINT "credit_accounts_caps_check" CHECK(coalesce("credit_accounts"."daily_request_cap", 0) >= 0 and coalesce("credit_accounts"."monthly_credit_cap", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE `credit_ledger` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`delta` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`reference` text,
	`actor_user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_idempotencyKey_unique` ON `credit_ledger` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `credit_ledger_user_idx` ON `credit_ledger` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `credit_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`charged` integer,
	`created_at` integer NOT NULL,
	`settled_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "credit_reservations_amount_check" CHECK("credit_reservations"."amount" >= 0 and coalesce("credit_reservations"."charged", 0) between 0 and "credit_reservations"."amount")
);
--> statement-breakpoint
CREATE INDEX `credit_reservations_open_idx` ON `credit_reservations` (`created_at`) WHERE "credit_reservations"."status" = 'open';--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`input_price_per_million` integer NOT NULL,
	`output_price_per_million` integer NOT NULL,
	`provider_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "models_price_check" CHECK("models"."input_price_per_million" >= 0 and "models"."output_price_per_million" >= 0)
);
--> statement-breakpoint
CREATE TABLE `refill_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`trigger` text NOT NULL,
	`actor_user_id` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`users_scanned` integer DEFAULT 0 NOT NULL,
	`users_refilled` integer DEFAULT 0 NOT NULL,
	`credits_granted` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `marks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`slug` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`entitlements` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "marks_slug_check" CHECK(length("marks"."slug") between 1 and 48 and "marks"."slug" not glob '*[^a-z0-9-]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `marks_key_unique` ON `marks` (`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `marks_tenant_id_unique` ON `marks` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `member_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`mark_key` text,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_events_user_idx` ON `member_events` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`mark_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`expires_at` integer,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`reference` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mark_id`) REFERENCES `marks`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "memberships_status_check" CHECK("memberships"."status" in ('active', 'expired', 'revoked'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_user_mark_unique` ON `memberships` (`user_id`,`mark_id`);--> statement-breakpoint
CREATE INDEX `memberships_mark_user_idx` ON `memberships` (`mark_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`mark_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`interval` text NOT NULL,
	`duration_days` integer,
	`trial_days` integer DEFAULT 0 NOT NULL,
	`seats` integer,
	`stripe_price_id` text,
	`active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`,`mark_id`) REFERENCES `marks`(`tenant_id`,`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "plans_price_check" CHECK("plans"."price_minor" >= 0),
	CONSTRAINT "plans_interval_check" CHECK("plans"."interval" in ('month', 'year', 'once')),
	CONSTRAINT "plans_trial_check" CHECK("plans"."trial_days" >= 0)
);
--> statement-breakpoint
CREATE INDEX `plans_tenant_idx` ON `plans` (`tenant_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `trial_redemptions` (
	`user_id` text NOT NULL,
	`mark_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mark_id`) REFERENCES `marks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trial_redemptions_pk` ON `trial_redemptions` (`user_id`,`mark_id`);--> statement-breakpoint
CREATE TABLE `tenant_members` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "tenant_members_role_check" CHECK("tenant_members"."role" in ('owner', 'admin', 'staff'))
);
--> statement-breakpoint
CREATE INDEX `tenant_members_user_idx` ON `tenant_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`admin_claimed_at` integer,
	CONSTRAINT "tenants_kind_check" CHECK("tenants"."kind" in ('platform', 'vendor')),
	CONSTRAINT "tenants_slug_check" CHECK(length("tenants"."slug") between 1 and 48 and "tenants"."slug" not glob '*[^a-z0-9-]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_slug_unique` ON `tenants` (`slug`);--> statement-breakpoint
CREATE TABLE `usage_counters` (
	`user_id` text NOT NULL,
	`window` text NOT NULL,
	`period_start` integer NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`credits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `window`, `period_start`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "usage_counters_nonnegative" CHECK("usage_counters"."requests" >= 0 and "usage_counters"."credits" >= 0)
);
