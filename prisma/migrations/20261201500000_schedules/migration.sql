-- Schedules (issue 12): one backup per database and schedule slot, and slots that did not run.
ALTER TYPE "job_status" ADD VALUE IF NOT EXISTS 'skipped';

ALTER TABLE "backups" ADD COLUMN "scheduled_for" TIMESTAMPTZ(3);

-- Replicas that see the same slot insert the same key: all but one insert collapse.
CREATE UNIQUE INDEX "backups_database_id_scheduled_for_key" ON "backups"("database_id", "scheduled_for");

-- When schedule, timezone or enabled last changed: slots before it (paused, not yet scheduled) are not missed runs.
ALTER TABLE "databases" ADD COLUMN "schedule_updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
