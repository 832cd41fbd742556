CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`tenant_id` text NOT NULL,
	`plan_id` text,
	`pack_id` text,
	`subscription_id` text,
	`payment_intent_id` text,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`refunded_minor` integer DEFAULT 0 NOT NULL,
	`credits` integer DEFAULT 0 NOT NULL,
	`credits_taken_back` integer DEFAULT 0 NOT NULL,
	`paid_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "payments_amount_check" CHECK("payments"."amount_minor" >= 0 and "payments"."refunded_minor" >= 0),
	CONSTRAINT "payments_kind_check" CHECK("payments"."kind" in ('subscription', 'plan', 'pack'))
);
--> statement-breakpoint
CREATE INDEX `payments_paid_idx` ON `payments` (`paid_at`);--> statement-breakpoint
CREATE INDEX `payments_tenant_paid_idx` ON `payments` (`tenant_id`,`paid_at`);--> statement-breakpoint
CREATE INDEX `payments_intent_idx` ON `payments` (`payment_intent_id`);--> statement-breakpoint
CREATE TABLE `stripe_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`mark_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text,
	`status` text NOT NULL,
	`current_period_start` integer NOT NULL,
	`current_period_end` integer NOT NULL,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`access_until` integer NOT NULL,
	`ended_at` integer,
	`notice` text,
	`state_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stripe_subscriptions_user_idx` ON `stripe_subscriptions` (`user_id`);--> statement-breakpoint
CREATE INDEX `stripe_subscriptions_plan_idx` ON `stripe_subscriptions` (`plan_id`,`status`);