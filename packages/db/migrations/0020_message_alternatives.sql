ALTER TABLE `messages` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `shown_answer_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `superseded_at` integer;--> statement-breakpoint
CREATE INDEX `messages_reply_to_idx` ON `messages` (`reply_to`);