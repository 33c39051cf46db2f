import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { ClusterMetrics } from './cluster-metrics';
import { HttpMetrics } from './http-metrics';
import {
  carriesToken,
  metricsNotServed,
  metricsUnauthenticated,
  servedOn,
  type MetricsListener,
} from './metrics-access';

export interface Scrape {
  contentType: string;
  body: string;
}

/**
 * GET /metrics in the Prometheus text format: who may scrape where, and what is answered.
 * Cluster-wide facts are read from the service database at each scrape (ClusterMetrics); the
 * HTTP request durations and Node's process metrics are this process's own.
 */
@Injectable()
export class MetricsService {
  private registry?: Registry;

  constructor(
    private readonly config: AppConfig,
    private readonly cluster: ClusterMetrics,
    private readonly http: HttpMetrics,
  ) {}

  /**
   * The exposition for a scrape that reached `listener` with `authorization`: 404 where metrics
   * are not served (neither METRICS_TOKEN nor METRICS_PORT set, or the API's port while METRICS_PORT
   * is), 401 without the right METRICS_TOKEN when one is set.
   */
  async scrape(listener: MetricsListener, authorization: string | undefined): Promise<Scrape> {
    if (servedOn(this.config) !== listener) throw metricsNotServed();
    const token = this.config.env.METRICS_TOKEN;
    if (token && !carriesToken(authorization, token)) throw metricsUnauthenticated();
    const registry = this.build();
    await this.cluster.refresh();
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  /** Built at the first scrape: a process that serves no metrics keeps no collectors. */
  private build(): Registry {
    if (this.registry) return this.registry;
    // Its own registry, not prom-client's global one: several apps may live in one process (tests).
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    registry.registerMetric(this.http.requestDuration);
    new Gauge({
      name: 'dumpstation_build_info',
      help: 'Always 1: the version and the APP_ROLE of the process that answered.',
      labelNames: ['version', 'role'],
      registers: [registry],
    }).set({ version: this.config.version, role: this.config.env.APP_ROLE }, 1);
    this.cluster.register(registry);
    return (this.registry = registry);
  }
}
