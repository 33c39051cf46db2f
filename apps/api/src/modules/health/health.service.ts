import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../../config/app-config';
import { HealthRepository } from './health.repository';
import type { HealthDto, ServiceHealthDto } from './dto/health.dto';

/** A health probe must answer quickly even when the database hangs. */
const DATABASE_PING_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
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
            () => reject(new Error(`no answer within ${DATABASE_PING_TIMEOUT_MS} ms`)),
            DATABASE_PING_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    } finally {
      clearTimeout(timer);
    }
    const latency = Math.round((performance.now() - started) * 100) / 100;
    return {
      status: error ? 'degraded' : 'ok',
      version: this.config.version,
      uptime_seconds: Math.round(process.uptime() * 10) / 10,
      database: error ? { status: 'down', latency_ms: latency, error } : { status: 'up', latency_ms: latency },
    };
  }
}
