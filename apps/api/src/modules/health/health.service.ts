import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../../config/app-config';
import { isDatabaseUnavailable } from '../../prisma/prisma-errors';
import { HealthRepository } from './health.repository';
import type { HealthDto, JobsHealthDto, ServiceHealthDto } from './dto/health.dto';

/** A health probe must answer quickly even when the database hangs. */
const DATABASE_PING_TIMEOUT_MS = 2_000;

/** Public answers: what is wrong, never where (no address, no driver text). The cause is logged. */
const NO_ANSWER = `The database did not answer within ${DATABASE_PING_TIMEOUT_MS / 1000} s`;
const UNREACHABLE = 'The database cannot be reached';
const CHECK_FAILED = 'The database check failed';

class PingTimeout extends Error {}

/**
 * `'log'` when sign-in codes go to the API log (see OtpDelivery): outside production and with no
 * Discord configured. Production never says so (it refuses to boot without Discord anyway).
 */
export function signInCodeDelivery(config: Pick<AppConfig, 'isProduction' | 'hasSystemDiscord'>): 'log' | undefined {
  return !config.isProduction && !config.hasSystemDiscord ? 'log' : undefined;
}

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    private readonly repository: HealthRepository,
    private readonly config: AppConfig,
  ) {}

  /** The documented root probe: the same check, as `healthy` or `unhealthy` and when it was made. */
  async probe(): Promise<ServiceHealthDto> {
    const report = await this.check();
    return { status: report.status === 'ok' ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString() };
  }

  async check(): Promise<HealthDto> {
    const started = performance.now();
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.repository.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new PingTimeout(`no answer within ${DATABASE_PING_TIMEOUT_MS} ms`)),
            DATABASE_PING_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (cause) {
      error = cause instanceof PingTimeout ? NO_ANSWER : isDatabaseUnavailable(cause) ? UNREACHABLE : CHECK_FAILED;
      this.logger.warn({ err: cause }, 'health check: the database is down');
    } finally {
      clearTimeout(timer);
    }
    const latency = Math.round((performance.now() - started) * 100) / 100;
    const jobs = error ? undefined : await this.jobs().catch(() => undefined);
    return {
      status: error ? 'degraded' : 'ok',
      version: this.config.version,
      uptime_seconds: Math.round(process.uptime() * 10) / 10,
      database: error ? { status: 'down', latency_ms: latency, error } : { status: 'up', latency_ms: latency },
      ...(jobs ? { jobs } : {}),
      ...(signInCodeDelivery(this.config) ? { sign_in_code_delivery: 'log' as const } : {}),
    };
  }

  /** Whether queued backups have a worker to run them (an `api`-only deployment may have none). */
  private async jobs(): Promise<JobsHealthDto> {
    const since = new Date(Date.now() - 6 * this.config.env.JOB_HEARTBEAT_MS);
    const { waiting, workers } = await this.repository.jobs(since);
    if (!waiting || workers) return { status: 'ok', waiting, workers_seen: workers };
    return {
      status: 'no_worker',
      waiting,
      workers_seen: 0,
      warning:
        `${waiting} backup${waiting === 1 ? ' is' : 's are'} waiting and no worker process ` +
        '(APP_ROLE=worker or all) has been seen: they will not run until one starts',
    };
  }
}
