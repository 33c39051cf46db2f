-- Issue 12, retries: a database may have failed backups tried again (attempts, delay); each retry
-- is its own backup row (attempt + 1) pointing at the failed one, so the history shows both.
-- The job queue itself is pg-boss, in its own schema "pgboss" (created by pg-boss at start-up).
ALTER TABLE "databases" ADD COLUMN "retry_attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "retry_delay_seconds" INTEGER NOT NULL DEFAULT 60;

ALTER TABLE "backups" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN "retry_of_id" UUID;

CREATE UNIQUE INDEX "backups_retry_of_id_key" ON "backups"("retry_of_id");

ALTER TABLE "backups" ADD CONSTRAINT "backups_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "backups"("id") ON DELETE SET NULL ON UPDATE CASCADE;
