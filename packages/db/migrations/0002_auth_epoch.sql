-- The auth epoch: a counter bumped, by trigger, in the same transaction as any change that can
-- alter who is signed in or what a member may do (sessions ended, memberships, tenant roles, mark
-- entitlements, users). Each server process caches resolved member contexts and reads this one
-- row per request; a different value means "rebuild". Triggers make it impossible for a code path
-- (or the CLI, or a manual SQL fix) to change access without invalidating the caches.
-- Session inserts and `last_seen_at` touches do not bump it: they cannot take anything away.
INSERT INTO `app_meta` (`key`, `value`) VALUES ('auth_epoch', '0');
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_memberships_insert` AFTER INSERT ON `memberships` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_memberships_update` AFTER UPDATE ON `memberships` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_memberships_delete` AFTER DELETE ON `memberships` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_tenant_members_insert` AFTER INSERT ON `tenant_members` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_tenant_members_update` AFTER UPDATE ON `tenant_members` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_tenant_members_delete` AFTER DELETE ON `tenant_members` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_marks_update` AFTER UPDATE ON `marks` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_marks_delete` AFTER DELETE ON `marks` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_sessions_delete` AFTER DELETE ON `sessions` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_sessions_expiry` AFTER UPDATE OF `expires_at`, `user_id`, `secret_hash` ON `sessions` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_users_update` AFTER UPDATE OF `email`, `display_name` ON `users` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_users_delete` AFTER DELETE ON `users` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
--> statement-breakpoint
CREATE TRIGGER `auth_epoch_tenants_update` AFTER UPDATE OF `name`, `kind` ON `tenants` BEGIN UPDATE `app_meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'auth_epoch'; END;
