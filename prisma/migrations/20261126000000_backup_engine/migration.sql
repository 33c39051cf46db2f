-- The tenant's own age key pair: every encrypted dump is also encrypted to it, so the
-- service can verify and restore; the identity is stored encrypted under APP_ENCRYPTION_KEY.
ALTER TABLE "tenants" ADD COLUMN "age_identity_encrypted" TEXT;
ALTER TABLE "tenants" ADD COLUMN "age_recipient" TEXT;

-- SHA-256 of the stored object (the ciphertext when encrypted), beside the dump's own `sha256`,
-- and the dump's size before encryption.
ALTER TABLE "backups" ADD COLUMN "object_sha256" TEXT;
ALTER TABLE "backups" ADD COLUMN "dump_size_bytes" BIGINT;

-- Restores: skip ownership commands by default (the target's roles may differ from the source's).
ALTER TABLE "restores" ADD COLUMN "no_owner" BOOLEAN NOT NULL DEFAULT true;
