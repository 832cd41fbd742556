-- What every database needs to work, demo or not: the platform tenant (exactly one) and the `free`
-- mark that every account receives at sign-up. Demo plans and vendors are seeded by the app, not here.
INSERT INTO `tenants` (`id`, `kind`, `slug`, `name`, `created_at`, `admin_claimed_at`)
VALUES ('platform', 'platform', 'platform', 'Tessera', cast(unixepoch('subsec') * 1000 as integer), NULL);
--> statement-breakpoint
INSERT INTO `marks` (`id`, `tenant_id`, `slug`, `key`, `name`, `description`, `entitlements`, `created_at`, `updated_at`)
VALUES (
  'free', 'platform', 'free', 'free', 'Free', 'The basic model, 20 requests a day.',
  '{"models":["tessera-mini"],"plugins":[],"requestsPerDay":20,"requestsPerMonth":600,"requestsPerMinute":5,"maxOutputTokens":1024,"apiAccess":false,"seats":0,"refill":null,"fallbackModel":null}',
  cast(unixepoch('subsec') * 1000 as integer), cast(unixepoch('subsec') * 1000 as integer)
);
