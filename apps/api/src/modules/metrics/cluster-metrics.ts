import { Injectable, Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { PROTECTIONS, protectionOf } from '../protection/protection';
import { MetricsRepository, type ClusterFacts } from './metrics.repository';
import { SnapshotHistogram } from './snapshot-histogram';

/** Backup duration buckets, in seconds (a few seconds for a small database to hours for a big one). */
export const DURATION_BUCKETS_SECONDS = [1, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600] as const;
const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
/** Stored backup size buckets, in bytes: 64 KiB to 1 TiB. */
export const SIZE_BUCKETS_BYTES = [
  64 * KIB,
  MIB,
  16 * MIB,
  128 * MIB,
  512 * MIB,
  GIB,
  4 * GIB,
  16 * GIB,
  64 * GIB,
  256 * GIB,
  1024 * GIB,
] as const;

const BACKUP_STATUSES = ['pending', 'running', 'success', 'failed', 'skipped', 'deleted'] as const;
const BACKUP_TRIGGERS = ['manual', 'scheduled', 'api'] as const;
const RESTORE_STATUSES = ['pending', 'running', 'success', 'failed'] as const;
const QUEUES = ['backup', 'restore'] as const;

/**
 * The cluster-wide metrics: read from the service database when scraped (one snapshot per scrape,
 * see MetricsRepository.facts), so that whichever replica (APP_ROLE api, worker or all) answers,
 * the numbers are the same. Nothing here is counted in memory.
 */
@Injectable()
export class ClusterMetrics {
  private readonly logger = new Logger(ClusterMetrics.name);
  /** The facts of the scrape being answered; null when the service database could not be read. */
  private facts: ClusterFacts | null = null;

  constructor(private readonly repository: MetricsRepository) {}

  /** Reads the facts the collectors expose next; a failure leaves them empty and `…_up` 0. */
  async refresh(): Promise<void> {
    try {
      this.facts = await this.repository.facts(
        DURATION_BUCKETS_SECONDS.map((seconds) => seconds * 1000),
        SIZE_BUCKETS_BYTES,
      );
    } catch (error) {
      this.facts = null;
      // The reason only: a driver's error can name the database's address.
      this.logger.warn({ reason: (error as Error).name }, 'metrics: the service database could not be read');
    }
  }

  register(registry: Registry): void {
    const current = () => this.facts;
    const gauge = (
      name: string,
      help: string,
      labelNames: string[],
      fill: (facts: ClusterFacts, set: (labels: Record<string, string>, value: number) => void) => void,
    ) => {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          const facts = current();
          if (facts) fill(facts, (labels, value) => this.set(labels, value));
        },
      });
    };

    new Gauge({
      name: 'dumpstation_cluster_metrics_up',
      help: 'Whether the cluster-wide metrics could be read from the service database at this scrape (1) or not (0).',
      registers: [registry],
      collect() {
        this.set(current() ? 1 : 0);
      },
    });
    gauge(
      'dumpstation_backups',
      'Backups in the history by status and trigger, now (a gauge: a backup changes status, retention turns success into deleted, deleting a database removes its rows).',
      ['status', 'trigger'],
      (facts, set) => {
        for (const status of BACKUP_STATUSES) for (const trigger of BACKUP_TRIGGERS) set({ status, trigger }, 0);
        for (const row of facts.backups) set({ status: row.status, trigger: row.trigger }, row.count);
      },
    );
    gauge('dumpstation_restores', 'Restores in the history by status, now.', ['status'], (facts, set) => {
      for (const status of RESTORE_STATUSES) set({ status }, 0);
      for (const row of facts.restores) set({ status: row.status }, row.count);
    });
    gauge(
      'dumpstation_backup_written_bytes',
      'Bytes stored by every successful backup in the history (status success or deleted), whether retention removed them since or not.',
      [],
      (facts, set) => set({}, facts.writtenBytes),
    );
    gauge(
      'dumpstation_backup_stored_bytes',
      'Bytes of the successful backups still kept (status success) on their storage.',
      [],
      (facts, set) => set({}, facts.storedBytes),
    );
    gauge(
      'dumpstation_database_last_success_timestamp_seconds',
      'When the newest kept successful backup of the database finished (Unix seconds); absent for a database with none.',
      ['tenant', 'database'],
      (facts, set) => {
        for (const db of facts.databases) {
          if (db.lastSuccessAt) set({ tenant: db.tenant, database: db.database }, db.lastSuccessAt.getTime() / 1000);
        }
      },
    );
    gauge(
      'dumpstation_database_protection',
      'The protection state of the database: 1 for its state (ok, stale, failing or unscheduled), 0 for the others.',
      ['tenant', 'database', 'state'],
      (facts, set) => {
        for (const db of facts.databases) {
          const state = protectionOf(
            {
              schedule: db.schedule,
              timezone: db.timezone,
              enabled: db.enabled,
              maxAgeHours: db.maxAgeHours,
              scheduledSince: db.scheduleUpdatedAt,
              lastSuccessAt: db.lastSuccessAt,
              lastFinishedStatus: db.lastFinishedStatus,
            },
            facts.now,
          );
          for (const each of PROTECTIONS)
            set({ tenant: db.tenant, database: db.database, state: each }, +(each === state));
        }
      },
    );
    gauge(
      'dumpstation_queue_depth',
      'Jobs waiting to be run (status pending), by queue (backup or restore).',
      ['queue'],
      (facts, set) => {
        for (const queue of QUEUES) set({ queue }, 0);
        for (const row of facts.queue) set({ queue: row.kind }, row.depth);
      },
    );
    gauge(
      'dumpstation_queue_oldest_job_age_seconds',
      'How long the oldest waiting job of the queue has been due (a retry is due after its delay); 0 when none waits.',
      ['queue'],
      (facts, set) => {
        for (const queue of QUEUES) set({ queue }, 0);
        for (const row of facts.queue) set({ queue: row.kind }, row.oldestAgeSeconds);
      },
    );

    registry.registerMetric(
      new SnapshotHistogram(
        'dumpstation_backup_duration_seconds',
        'How long finished backups took, by outcome (success, which includes those retention deleted since, or failed).',
        DURATION_BUCKETS_SECONDS,
        () =>
          (this.facts?.durations ?? []).map(({ outcome, counts }) => ({
            labels: { outcome },
            counts: { ...counts, sum: counts.sum / 1000 },
          })),
      ).asMetric(),
    );
    registry.registerMetric(
      new SnapshotHistogram(
        'dumpstation_backup_size_bytes',
        'Stored size of successful backups (status success or deleted).',
        SIZE_BUCKETS_BYTES,
        () => (this.facts ? [{ labels: {}, counts: this.facts.sizes }] : []),
      ).asMetric(),
    );
  }
}
