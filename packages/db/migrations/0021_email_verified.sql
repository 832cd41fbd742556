ALTER TABLE `users` ADD `email_verified_at` integer;--> statement-breakpoint
-- Accounts that exist before verification was introduced keep working: they count as verified
-- from their creation (decision 022). Only sign-ups from here on are asked to prove their address.
UPDATE `users` SET `email_verified_at` = `created_at` WHERE `email_verified_at` IS NULL;
