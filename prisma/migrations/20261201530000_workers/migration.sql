-- Issue 12, worker roles: every process that runs jobs (APP_ROLE worker or all) records itself
-- here each heartbeat, so an api-only deployment whose backups wait with no worker says so in
-- GET /api/v1/health instead of queueing silently forever.
CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);
