import 'reflect-metadata';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { createApp } from './app.factory';
import { JobQueue } from './modules/jobs/job-queue';
import { InstanceBootstrap } from './modules/bootstrap/instance-bootstrap';
import { Migrator, MigrationError, defaultMigrationsDir } from './prisma/migrator';

/** Boot-time messages before the Nest logger exists: one JSON line each, like every other log line. */
function bootLog(level: 'info' | 'error', msg: string, extra: object = {}): void {
  const line = JSON.stringify({
    level: level === 'info' ? 30 : 50,
    time: Date.now(),
    context: 'Bootstrap',
    msg,
    ...extra,
  });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\nThe API did not start. See the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw error;
  }

  try {
    const result = await new Migrator({
      databaseUrl: config.env.DATABASE_URL,
      migrationsDir: config.env.MIGRATIONS_DIR ?? defaultMigrationsDir(),
      log: (msg, extra) => bootLog('info', msg, extra),
    }).migrate();
    bootLog('info', `Migrations: ${result.applied.length} applied, ${result.alreadyApplied} already applied`, {
      applied: result.applied,
    });
  } catch (error) {
    const message = error instanceof MigrationError ? error.message : `Cannot migrate the database: ${String(error)}`;
    bootLog('error', message);
    process.stderr.write(`${message}\nThe API did not start.\n`);
    process.exit(1);
  }

  const app = await createApp(config);
  await app.get(InstanceBootstrap).run();
  await app.listen(config.env.PORT, config.env.HOST);
  bootLog(
    'info',
    `DumpStation API ${config.version} listening on http://${config.env.HOST}:${config.env.PORT} (role ${config.env.APP_ROLE})`,
  );

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    bootLog('info', `${signal} received: finishing running jobs and in-flight requests, then exiting`);
    // Never hang forever on a stuck connection: exit non-zero after the grace period.
    setTimeout(() => {
      bootLog('error', `Shutdown took longer than ${config.env.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, config.env.SHUTDOWN_TIMEOUT_MS).unref();
    // Running backups and restores get the grace period (less the time to record how they ended).
    const timeout = config.env.SHUTDOWN_TIMEOUT_MS;
    await app.get(JobQueue).shutDown(signal, Math.max(0, timeout - Math.min(5_000, timeout / 2)));
    await app.close();
    bootLog('info', 'Shut down cleanly');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap().catch((error: unknown) => {
  bootLog('error', 'The API failed to start', { err: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
