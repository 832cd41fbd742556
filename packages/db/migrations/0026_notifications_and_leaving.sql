CREATE TABLE `notification_preferences` (
	`user_id` text PRIMARY KEY NOT NULL,
	`credits_low` integer DEFAULT true NOT NULL,
	`credits_low_threshold` integer DEFAULT 100000 NOT NULL,
	`membership_ending` integer DEFAULT true NOT NULL,
	`trial_ending` integer DEFAULT true NOT NULL,
	`payment_failed` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_preferences_threshold" CHECK("notification_preferences"."credits_low_threshold" >= 0)
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`key` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`mail_id` text,
	`data` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `credit_ledger_credits_idx` ON `credit_ledger` (`user_id`,`id`) WHERE "credit_ledger"."delta" > 0;