-- Issue 12, crash recovery: the multipart upload a running backup began (S3), recorded as soon
-- as the storage returns its id, so that whoever fails the job (the sweeper after a crash of its
-- process) aborts it, and the periodic sweep knows which unfinished uploads a live job owns.
ALTER TABLE "backups" ADD COLUMN "upload_id" TEXT;
