-- Issue 14: the compression of each database's dumps (null: zstd level 3 when its pg_dump is 16
-- or newer, else gzip 6), and what each backup was compressed with.
CREATE TYPE "compression_algorithm" AS ENUM ('gzip', 'lz4', 'zstd', 'none');

ALTER TABLE "databases" ADD COLUMN "compression_algorithm" "compression_algorithm",
    ADD COLUMN "compression_level" INTEGER;

ALTER TABLE "backups" ADD COLUMN "compression_algorithm" "compression_algorithm",
    ADD COLUMN "compression_level" INTEGER;

-- Every earlier backup was made with pg_dump's default for the custom format: gzip at zlib's default level, 6.
UPDATE "backups" SET "compression_algorithm" = 'gzip', "compression_level" = 6 WHERE "pg_dump_version" IS NOT NULL;
