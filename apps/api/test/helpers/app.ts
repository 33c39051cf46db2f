import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { Migrator, defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from './database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  databaseUrl: string;
  /** Base URL of the listening app, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string>): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** The real application, in-process, on a fresh migrated database, listening on a loopback port. */
export async function startTestApp(options: { databaseUrl?: string; migrate?: boolean } = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  if (options.migrate !== false) {
    await new Migrator({ databaseUrl, migrationsDir: defaultMigrationsDir(), log: () => undefined }).migrate();
  }
  const config = testConfig({ DATABASE_URL: databaseUrl });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, databaseUrl, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
