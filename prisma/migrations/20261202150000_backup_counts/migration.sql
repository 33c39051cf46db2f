-- Issue 14, the API under load: GET /databases/{id}/backups answers the history's total, and
-- count(*) over a database's backups read every one of its index entries on every page (about
-- 30 ms for 100,000). The totals per database and status are kept here instead, by statement
-- triggers on backups, in the same transaction as the change, so they stay exact and a page's
-- total costs a primary-key lookup. No foreign key: a database's deletion cascades to its backups,
-- whose trigger then takes the database's totals to zero, which removes them.
CREATE TABLE "backup_counts" (
    "database_id" UUID NOT NULL,
    "status" "job_status" NOT NULL,
    "total" INTEGER NOT NULL,

    CONSTRAINT "backup_counts_pkey" PRIMARY KEY ("database_id","status")
);

-- Adds `delta` to one total; a total that reaches zero is removed.
CREATE FUNCTION "backup_counts_add"(db UUID, state "job_status", delta INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    remaining INTEGER;
BEGIN
    INSERT INTO "backup_counts" AS c ("database_id", "status", "total")
    VALUES (db, state, delta)
    ON CONFLICT ("database_id", "status") DO UPDATE SET "total" = c."total" + EXCLUDED."total"
    RETURNING c."total" INTO remaining;
    IF remaining <= 0 THEN
        DELETE FROM "backup_counts" WHERE "database_id" = db AND "status" = state;
    END IF;
END
$$;

-- One call per database and status a statement changed, in key order, so that concurrent
-- statements lock the totals in the same order.
CREATE FUNCTION "backup_counts_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "backup_counts_add"(database_id, status, n)
    FROM (SELECT database_id, status, count(*)::int AS n FROM new_rows
          GROUP BY database_id, status ORDER BY database_id, status) AS changes;
    RETURN NULL;
END
$$;

CREATE FUNCTION "backup_counts_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "backup_counts_add"(database_id, status, -n)
    FROM (SELECT database_id, status, count(*)::int AS n FROM old_rows
          GROUP BY database_id, status ORDER BY database_id, status) AS changes;
    RETURN NULL;
END
$$;

-- Most updates (progress, heartbeats) change neither the status nor the database: nothing to do.
CREATE FUNCTION "backup_counts_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "backup_counts_add"(database_id, status, delta)
    FROM (SELECT database_id, status, sum(delta)::int AS delta
          FROM (SELECT o.database_id, o.status, -1 AS delta
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.database_id, o.status) IS DISTINCT FROM (n.database_id, n.status)
                UNION ALL
                SELECT n.database_id, n.status, 1
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.database_id, o.status) IS DISTINCT FROM (n.database_id, n.status)) AS moves
          GROUP BY database_id, status
          HAVING sum(delta) <> 0
          ORDER BY database_id, status) AS changes;
    RETURN NULL;
END
$$;

CREATE FUNCTION "backup_counts_on_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "backup_counts";
    RETURN NULL;
END
$$;

CREATE TRIGGER "backup_counts_insert" AFTER INSERT ON "backups"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "backup_counts_on_insert"();
CREATE TRIGGER "backup_counts_delete" AFTER DELETE ON "backups"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "backup_counts_on_delete"();
CREATE TRIGGER "backup_counts_update" AFTER UPDATE ON "backups"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "backup_counts_on_update"();
CREATE TRIGGER "backup_counts_truncate" AFTER TRUNCATE ON "backups"
    FOR EACH STATEMENT EXECUTE FUNCTION "backup_counts_on_truncate"();

-- The totals of the history there is.
INSERT INTO "backup_counts" ("database_id", "status", "total")
SELECT "database_id", "status", count(*)::int FROM "backups" GROUP BY "database_id", "status";
