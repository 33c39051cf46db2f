import { startDiscordStandIn, startPostgres, startS3 } from '@dumpstation/testing';

type Stoppable = { stop(): Promise<unknown> };

/** Starts the real servers once per run; test files find them through these env vars. */
export default async function globalSetup(): Promise<void> {
  const [postgres, s3, discord] = await Promise.all([startPostgres({ major: 17 }), startS3(), startDiscordStandIn()]);
  process.env.TEST_DATABASE_ADMIN_URL = postgres.adminUrl;
  process.env.TEST_S3_ENDPOINT = s3.endpoint;
  process.env.TEST_DISCORD_API = discord.apiBase;
  (globalThis as { __servers?: Stoppable[] }).__servers = [postgres, s3, discord];
}
