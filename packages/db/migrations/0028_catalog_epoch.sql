-- The catalog epoch: a counter bumped, by trigger, in the same transaction as any change to what
-- the plan catalog shows (plans, the marks they grant, the tenants selling them). Each server
-- process caches the catalog's rows and reads this one row before using them; a different value
-- means "rebuild". As with the auth epoch (0002), triggers make it impossible for a code path, the
-- CLI, another instance or a manual SQL fix to change the catalog without invalidating the caches.
-- Catalog edits are rare (admin and vendor consoles), so counting every change is cheap.
INSERT INTO `app_meta` (`key`, `value`) VALUES ('catalog_epoch', '0');
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_plans_insert` AFTER INSERT ON `plans` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_plans_update` AFTER UPDATE ON `plans` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_plans_delete` AFTER DELETE ON `plans` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_marks_insert` AFTER INSERT ON `marks` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_marks_update` AFTER UPDATE ON `marks` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_marks_delete` AFTER DELETE ON `marks` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_tenants_insert` AFTER INSERT ON `tenants` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_tenants_update` AFTER UPDATE ON `tenants` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_tenants_delete` AFTER DELETE ON `tenants` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'catalog_epoch'; END;
