-- Issue 12, retention: `gfs` policies (keep the newest N plus the newest backup per hour, day,
-- week, month and year for the counts given), a floor of successful backups no policy goes
-- below, and removed backups kept in the history as `deleted` (object, roles and sidecar gone).
-- IF NOT EXISTS: another migration of issue 12 adds values to the same enums.
ALTER TYPE "job_status" ADD VALUE IF NOT EXISTS 'deleted';
ALTER TYPE "rotation_type" ADD VALUE IF NOT EXISTS 'gfs';

ALTER TABLE "databases" ADD COLUMN "rotation_hourly" INTEGER;
ALTER TABLE "databases" ADD COLUMN "rotation_daily" INTEGER;
ALTER TABLE "databases" ADD COLUMN "rotation_weekly" INTEGER;
ALTER TABLE "databases" ADD COLUMN "rotation_monthly" INTEGER;
ALTER TABLE "databases" ADD COLUMN "rotation_yearly" INTEGER;
ALTER TABLE "databases" ADD COLUMN "rotation_min_keep" INTEGER NOT NULL DEFAULT 1;

-- When retention removed the backup's objects; the last storage error of a removal (retried on
-- the next run until it succeeds); and a claim so that two runs never remove the same backup twice.
ALTER TABLE "backups" ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
ALTER TABLE "backups" ADD COLUMN "deletion_error" TEXT;
ALTER TABLE "backups" ADD COLUMN "deletion_claimed_at" TIMESTAMPTZ(3);
