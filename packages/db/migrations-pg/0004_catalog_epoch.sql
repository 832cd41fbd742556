-- The catalog epoch (SQLite migration 0028, decision 031): one counter bumped by trigger in the
-- same transaction as any change to plans, marks or tenants, so a process's cached catalog is
-- rebuilt after a change from any code path, instance or hand-written SQL.
INSERT INTO "app_meta" ("key", "value") VALUES ('catalog_epoch', '0');
--> statement-breakpoint
CREATE FUNCTION "bump_catalog_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "app_meta" SET "value" = ("value"::bigint + 1)::text WHERE "key" = 'catalog_epoch';
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_plans_insert" AFTER INSERT ON "plans" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_plans_update" AFTER UPDATE ON "plans" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_plans_delete" AFTER DELETE ON "plans" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_marks_insert" AFTER INSERT ON "marks" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_marks_update" AFTER UPDATE ON "marks" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_marks_delete" AFTER DELETE ON "marks" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_tenants_insert" AFTER INSERT ON "tenants" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_tenants_update" AFTER UPDATE ON "tenants" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
--> statement-breakpoint
CREATE TRIGGER "catalog_epoch_tenants_delete" AFTER DELETE ON "tenants" FOR EACH ROW EXECUTE FUNCTION "bump_catalog_epoch"();
