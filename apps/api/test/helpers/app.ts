import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { Migrator, defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from './database';
import { InstanceBootstrap } from '../../src/modules/bootstrap/instance-bootstrap';
import { testPgBinDirTemplate } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  databaseUrl: string;
  /** Base URL of the listening app, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  close(): Promise<void>;
}

/** One key per test process; tests that sign their own JWTs use TEST_JWT_SECRET. */
export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');
export const TEST_JWT_SECRET = randomBytes(32).toString('hex');

export function testConfig(env: Record<string, string | undefined>): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    JWT_SECRET: TEST_JWT_SECRET,
    DISCORD_API_URL: process.env.TEST_DISCORD_API,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    STORAGE_LOCAL_ROOT: join(tmpdir(), `dumpstation-test-storage-${process.pid}`),
    // The system's clients and the cached 17 (scripts/install-pg-client-17.sh): servers 12–17.
    PG_BIN_DIR_TEMPLATE: testPgBinDirTemplate(),
    ...env,
  });
}

/** The real application, in-process, on a fresh migrated database, listening on a loopback port. */
export async function startTestApp(
  options: { databaseUrl?: string; migrate?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const migrate = options.migrate !== false;
  if (migrate) {
    await new Migrator({ databaseUrl, migrationsDir: defaultMigrationsDir(), log: () => undefined }).migrate();
  }
  const config = testConfig({ DATABASE_URL: databaseUrl, ...options.env });
  const app = await createApp(config);
  // The same boot sequence as main.ts: migrations, then the instance admin, then serve.
  if (migrate) await app.get(InstanceBootstrap).run();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, databaseUrl, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
