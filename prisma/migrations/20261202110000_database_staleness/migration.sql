-- Issue 13, staleness (RPO) alerts: a database may say how old its newest successful backup may
-- be (default: twice its schedule's interval), and remembers which staleness change it last told,
-- so "stale" and "recovered" are each notified once.
ALTER TABLE "databases" ADD COLUMN "max_age_hours" INTEGER,
    ADD COLUMN "staleness_notified" TEXT,
    ADD COLUMN "staleness_changed_at" TIMESTAMPTZ(3);
