-- What every database needs, demo or not: the platform tenant (exactly one), the free mark every
-- account receives at sign-up (20 requests a day, 10,000 credits refilled daily on demand), and
-- the built-in demo models with their prices in credits per 1,000,000 tokens.
-- Demo plans and the demo vendor are seeded by the app (SEED_DEMO), not here.
INSERT INTO `tenants` (`id`, `kind`, `slug`, `name`, `created_at`, `admin_claimed_at`)
VALUES ('platform', 'platform', 'platform', 'Tessera', cast(unixepoch('subsec') * 1000 as integer), NULL);
--> statement-breakpoint
INSERT INTO `marks` (`id`, `tenant_id`, `slug`, `key`, `name`, `description`, `entitlements`, `created_at`, `updated_at`)
VALUES (
  'free', 'platform', 'free', 'free', 'Free', 'The basic model, 20 requests a day.',
  '{"models":["tessera-mini"],"plugins":[],"requestsPerDay":20,"requestsPerMonth":600,"requestsPerMinute":5,"maxOutputTokens":1024,"apiAccess":false,"seats":0,"refill":{"amount":10000,"every":{"value":1,"unit":"day"},"strategy":"reset","mode":"on_demand","grades":[]},"fallbackModel":null}',
  cast(unixepoch('subsec') * 1000 as integer), cast(unixepoch('subsec') * 1000 as integer)
);
--> statement-breakpoint
INSERT INTO `models` (`id`, `display_name`, `input_price_per_million`, `output_price_per_million`, `provider_id`, `active`, `created_at`) VALUES
  ('tessera-mini', 'Tessera Mini', 50000, 200000, NULL, 1, cast(unixepoch('subsec') * 1000 as integer)),
  ('tessera-plus', 'Tessera Plus', 500000, 2000000, NULL, 1, cast(unixepoch('subsec') * 1000 as integer)),
  ('tessera-ultra', 'Tessera Ultra', 2500000, 10000000, NULL, 1, cast(unixepoch('subsec') * 1000 as integer));
