-- Usernames and emails are matched by exact equality on a normalized (lower-case) form: the
-- stored value is that form, so the unique indexes also make look-alikes in case impossible.
UPDATE "users" SET "username" = lower("username"), "email" = lower("email")
WHERE "username" <> lower("username") OR "email" <> lower("email");
ALTER TABLE "users" ADD CONSTRAINT "users_username_normalized" CHECK ("username" = lower("username"));
ALTER TABLE "users" ADD CONSTRAINT "users_email_normalized" CHECK ("email" = lower("email"));

-- Sessions (refresh-token families) that were ended: access JWTs carry the session id (`sid`)
-- and are refused once it is here, instead of living on until they expire.
CREATE TABLE "revoked_sessions" (
    "session_id" UUID NOT NULL,
    "revoked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "revoked_sessions_pkey" PRIMARY KEY ("session_id")
);

CREATE INDEX "revoked_sessions_revoked_at_idx" ON "revoked_sessions"("revoked_at");
