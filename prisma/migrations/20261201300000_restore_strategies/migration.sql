-- Issue 11, findings 1 and 5 and the all-or-nothing option: how a restore ran (swap into a fresh
-- copy, one transaction, or straight into the database it created), the copy it kept of the
-- previous database, and owner and privileges as two options.
CREATE TYPE "restore_strategy" AS ENUM ('swap', 'single_transaction', 'direct');

ALTER TABLE "restores" ADD COLUMN "no_privileges" BOOLEAN NOT NULL DEFAULT false;
-- Until now no_owner also meant --no-privileges.
UPDATE "restores" SET "no_privileges" = "no_owner";
ALTER TABLE "restores" ADD COLUMN "single_transaction" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "restores" ADD COLUMN "strategy" "restore_strategy";
ALTER TABLE "restores" ADD COLUMN "strategy_note" TEXT;
ALTER TABLE "restores" ADD COLUMN "kept_database" TEXT;
ALTER TABLE "restores" ADD COLUMN "kept_until" TIMESTAMPTZ(3);
ALTER TABLE "restores" ADD COLUMN "kept_dropped_at" TIMESTAMPTZ(3);

CREATE INDEX "restores_kept_until_idx" ON "restores"("kept_until");
