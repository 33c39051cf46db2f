-- Issue 11, finding 6: the cluster's roles (pg_dumpall --roles-only) are stored as a second
-- object beside each dump, and a restore can create the roles its target server lacks.
ALTER TABLE "backups" ADD COLUMN "roles_key" TEXT;
ALTER TABLE "backups" ADD COLUMN "roles_sha256" TEXT;
ALTER TABLE "backups" ADD COLUMN "roles_object_sha256" TEXT;
ALTER TABLE "backups" ADD COLUMN "roles_with_passwords" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "databases" ADD COLUMN "backup_role_passwords" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "restores" ADD COLUMN "create_roles" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "restores" ADD COLUMN "roles_created" TEXT[] DEFAULT ARRAY[]::TEXT[];
