-- The documented activity-log contract: `action` is a broad category (Create, Update, Delete,
-- Backup, Restore, Login, Test), `event` keeps the precise name (backup.finish, …), resource
-- types read as documented (Database, Backup, …), and entries carry the resource's name.
ALTER TABLE "activity_logs" RENAME COLUMN "action" TO "event";
ALTER INDEX "activity_logs_tenant_id_action_created_at_idx" RENAME TO "activity_logs_tenant_id_event_created_at_idx";
ALTER TABLE "activity_logs" ADD COLUMN "action" TEXT;
ALTER TABLE "activity_logs" ADD COLUMN "resource_name" TEXT;

UPDATE "activity_logs" SET "action" = CASE
    WHEN "event" LIKE 'auth.2fa.%' OR "event" LIKE '%.update' OR "event" IN ('invitation.accept', 'invitation.decline') THEN 'Update'
    WHEN "event" LIKE 'auth.%' THEN 'Login'
    WHEN "event" LIKE '%.create' THEN 'Create'
    WHEN "event" LIKE '%.delete' OR "event" LIKE '%.revoke' THEN 'Delete'
    WHEN "event" LIKE '%.test' THEN 'Test'
    WHEN "event" LIKE 'backup.%' THEN 'Backup'
    WHEN "event" LIKE 'restore.%' THEN 'Restore'
    ELSE 'Update' END;
ALTER TABLE "activity_logs" ALTER COLUMN "action" SET NOT NULL;

UPDATE "activity_logs" SET "resource_type" = CASE "resource_type"
    WHEN 'api_token' THEN 'ApiToken'
    WHEN 'backup' THEN 'Backup'
    WHEN 'database' THEN 'Database'
    WHEN 'invitation' THEN 'Invitation'
    WHEN 'membership' THEN 'Membership'
    WHEN 'notification' THEN 'Notification'
    WHEN 'restore' THEN 'Restore'
    WHEN 'storage' THEN 'Storage'
    WHEN 'tenant' THEN 'Tenant'
    WHEN 'user' THEN 'User'
    ELSE "resource_type" END
WHERE "resource_type" IS NOT NULL;

CREATE INDEX "activity_logs_tenant_id_action_created_at_idx" ON "activity_logs"("tenant_id", "action", "created_at");
