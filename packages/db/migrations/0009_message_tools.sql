ALTER TABLE `messages` ADD `assistant_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `plugin` text;