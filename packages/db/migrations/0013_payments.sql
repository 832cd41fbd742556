-- Credit packs the platform sells, and the Stripe webhook event log (one row per event id: a
-- redelivery finds its row and changes nothing). See docs/decisions/014-stripe-webhooks.md.
CREATE TABLE `credit_packs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`credits` integer NOT NULL,
	`price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`stripe_price_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "credit_packs_credits_check" CHECK("credit_packs"."credits" > 0),
	CONSTRAINT "credit_packs_price_check" CHECK("credit_packs"."price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`created` integer NOT NULL,
	`received_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	CONSTRAINT "stripe_events_outcome_check" CHECK("stripe_events"."outcome" in ('ignored', 'applied', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `stripe_events_received_idx` ON `stripe_events` (`received_at`,`id`);