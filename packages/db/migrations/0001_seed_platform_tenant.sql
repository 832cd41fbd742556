-- The platform tenant exists exactly once, in every database, from the first migration on.
INSERT INTO `tenants` (`id`, `kind`, `slug`, `name`, `created_at`, `admin_claimed_at`)
VALUES ('platform', 'platform', 'platform', 'Tessera', cast(unixepoch('subsec') * 1000 as integer), NULL);
