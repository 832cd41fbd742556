CREATE TABLE `message_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`message_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`media_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`data` blob NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "message_attachments_bytes_check" CHECK("message_attachments"."bytes" > 0)
);
--> statement-breakpoint
CREATE INDEX `message_attachments_message_idx` ON `message_attachments` (`message_id`,`position`);--> statement-breakpoint
CREATE INDEX `message_attachments_pending_idx` ON `message_attachments` (`user_id`,`message_id`);--> statement-breakpoint
ALTER TABLE `models` ADD `vision` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- The demo catalog's larger models see images; Mini stays text-only (decision 026).
UPDATE `models` SET `vision` = 1 WHERE `id` IN ('tessera-plus', 'tessera-ultra');
