import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { backupKeys } from '../../engine/backup-naming';
import type { DumpOptions } from '../../engine/backup-pipeline';
import { effectiveCompression, storedCompression } from '../../engine/compression';
import { dumpRoles, type RolesDumpResult } from '../../engine/roles';
import { backupSidecar, labelRecipients } from '../../engine/sidecar';
import { PgClientResolver } from '../../engine/pg-client-resolver';
import { dumpInWorker } from '../../engine/dump-in-worker';
import { describeConnectionError, readServerInfo, type ServerInfo } from '../../engine/pg-connection';
import { AppConfig } from '../../config/app-config';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { DatabasesService } from '../databases/databases.service';
import { ObjectStoreFactory } from '../storage/object-store-factory';
import { RetentionService } from '../retention/retention.service';
import { BackupNotifier } from './backup-notifier';
import { BackupsRepository, type BackupWithSources } from './backups.repository';
import { JobSupervisor } from './job-supervisor';
import { TenantKeys } from './tenant-keys';
import { BackupRetries } from './backup-retries';
import { JobQueue, QUEUES, ShutdownError } from '../jobs/job-queue';
import { EventPublisher } from '../events/event-publisher';

const PROGRESS_INTERVAL_MS = 1_000;
const OUTCOME_RETRY_MAX_MS = 5_000;
/** A backup whose tenant is at MAX_CONCURRENT_BACKUPS_PER_TENANT is looked at again after this long. */
const TENANT_BUSY_RECHECK_SECONDS = 2;

/** Aborts `signal` when `moved()` was not called for `minutes`. */
class StallWatch {
  private readonly controller = new AbortController();
  private last = Date.now();
  private readonly timer: NodeJS.Timeout;
  readonly signal = this.controller.signal;

  constructor(minutes: number) {
    const limitMs = minutes * 60_000;
    this.timer = setInterval(
      () => {
        if (Date.now() - this.last < limitMs) return;
        const span = minutes >= 1 ? `${minutes} minutes` : `${Math.round(minutes * 60)} seconds`;
        this.controller.abort(
          new Error(
            `Stalled: no bytes moved for ${span} (BACKUP_STALL_MINUTES); the storage or the database stopped answering`,
          ),
        );
        this.stop();
      },
      Math.max(100, Math.min(5_000, limitMs / 4)),
    );
    this.timer.unref();
  }

  moved(): void {
    this.last = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Runs one backup to its end: `success` with every fact recorded, or `failed` with the reason. */
@Injectable()
export class BackupRunner {
  private readonly logger = new Logger(BackupRunner.name);

  constructor(
    private readonly backups: BackupsRepository,
    private readonly databases: DatabasesService,
    private readonly stores: ObjectStoreFactory,
    private readonly resolver: PgClientResolver,
    private readonly tenantKeys: TenantKeys,
    private readonly retention: RetentionService,
    private readonly notifier: BackupNotifier,
    private readonly activity: ActivityLogService,
    private readonly supervisor: JobSupervisor,
    private readonly config: AppConfig,
    private readonly retries: BackupRetries,
    private readonly queue: JobQueue,
    private readonly events: EventPublisher,
  ) {}

  async run(backupId: string, signal: AbortSignal): Promise<void> {
    let recorded = false;
    try {
      recorded = await this.runToOutcome(backupId, signal);
    } finally {
      // Its state cannot be recorded by this process: let the sweeper fail it, not keep it alive.
      if (!recorded) this.supervisor.lose(backupId);
    }
  }

  /** True once the outcome is recorded (or there was nothing to run). */
  private async runToOutcome(backupId: string, signal: AbortSignal): Promise<boolean> {
    const backup = await this.backups.findWithSources(backupId);
    if (!backup) return true;
    const startedAt = new Date();
    // One process runs it however often its job is delivered; a tenant at its limit waits its turn.
    const claim = await this.backups.claimToRun(
      backup.id,
      this.supervisor.workerId,
      startedAt,
      this.config.env.MAX_CONCURRENT_BACKUPS_PER_TENANT,
    );
    if (claim === 'tenant_busy') {
      // Back into the queue, behind what others asked for meanwhile: another tenant's backup goes first.
      await this.queue.send(QUEUES.backup, { backupId: backup.id }, { startAfterSeconds: TENANT_BUSY_RECHECK_SECONDS });
      return true;
    }
    if (claim === 'gone') return true;
    this.events.backupStarted(backup);
    // A backup that moves no bytes for BACKUP_STALL_MINUTES (a storage or server that hangs) is stopped.
    const stall = new StallWatch(this.config.env.BACKUP_STALL_MINUTES);
    const jobSignal = AbortSignal.any([signal, stall.signal]);
    let facts: Awaited<ReturnType<BackupRunner['execute']>> | undefined;
    let failure: string | undefined;
    try {
      facts = await this.execute(backup, jobSignal, () => stall.moved());
    } catch (error) {
      failure = (error as Error).message ?? String(error);
      // Said as what stopped it, not as the "upload was cancelled" that followed.
      if (stall.signal.aborted) failure = (stall.signal.reason as Error).message;
      else if (signal.aborted) failure = `${(signal.reason as Error)?.message ?? String(signal.reason)}`;
      this.logger.warn({ backupId: backup.id, reason: failure }, 'backup failed');
    } finally {
      stall.stop();
    }
    // A shutdown hands the backup back to the queue; a failure gets the retries its database allows.
    const handedBack = !facts && signal.aborted && signal.reason instanceof ShutdownError;
    const retried = !facts && this.retries.allows(backup, backup.database, handedBack);
    if (retried)
      failure = `${failure}; ${handedBack ? 'handed back to the queue' : 'it will be retried'} (attempt ${backup.attempt + 1})`;
    // The outcome is recorded once the work is over; what follows cannot turn a success into a failure.
    // Retried until it lands: a service database that is down this moment must not leave it `running`.
    const finishedAt = new Date();
    const finished = await this.untilRecorded(backup.id, () =>
      this.backups.update(backup.id, {
        ...(facts ?? {}),
        status: facts ? 'success' : 'failed',
        errorMessage: failure?.slice(0, 8_000) ?? null,
        // Completed or aborted by the store itself: no unfinished upload is left to anyone.
        uploadId: null,
        finishedAt,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
      }),
    );
    this.events.backupFinished(finished);
    if (facts) await this.backups.markDatabaseBackedUp(backup.databaseId, finishedAt).catch(() => undefined);
    await this.finish(backup, Boolean(facts), failure).catch((error: unknown) =>
      this.logger.warn({ backupId: backup.id, reason: (error as Error).message }, 'finish entry not recorded'),
    );
    if (retried) {
      // Told once, when the last attempt ends: a failure that is retried is not yet news.
      await this.retries
        .retry(finished, backup.database, handedBack)
        .catch((error: unknown) =>
          this.logger.warn({ backupId: backup.id, reason: (error as Error).message }, 'retry not recorded'),
        );
      return true;
    }
    await this.notifier.backupFinished(backup.database, finished);
    if (facts) {
      await this.retention.afterBackup(backup.databaseId);
      // A stale database that just succeeded is told back `ok` at once (StalenessService), not at the next periodic check.
      await this.queue
        .send(QUEUES.staleness, { databaseId: backup.databaseId })
        .catch((error: unknown) =>
          this.logger.warn({ backupId: backup.id, reason: (error as Error).message }, 'staleness check not queued'),
        );
    }
    return true;
  }

  /** Retries `write` (with a growing pause, at most OUTCOME_RETRY_MAX_MS) until it succeeds. */
  private async untilRecorded<T>(backupId: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt === 0 || attempt % 20 === 0) {
          this.logger.warn(
            { backupId, attempt, reason: (error as Error).message },
            'cannot record the outcome of a backup yet; retrying',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, OUTCOME_RETRY_MAX_MS)));
      }
    }
  }

  private async execute(backup: BackupWithSources, signal: AbortSignal, moved: () => void) {
    const { database, storage } = backup;
    const conn = this.databases.connectionOf(database);
    // Everything that can be known before the first byte is checked first: nothing is uploaded on these failures.
    let server: ServerInfo;
    try {
      server = await readServerInfo(conn);
    } catch (error) {
      throw new Error(describeConnectionError(error, conn), { cause: error });
    }
    const pgDump = await this.resolver.resolve('pg_dump', server.versionNum);
    // lz4/zstd chosen for a server whose pg_dump is older than 16 fails here, before anything is stored.
    const compression = effectiveCompression(storedCompression(database), pgDump);
    const options: DumpOptions = {
      includeSchemas: database.includeSchemas,
      excludeSchemas: database.excludeSchemas,
      includeTables: database.includeTables,
      excludeTables: database.excludeTables,
      compression,
    };
    const labelled = database.encryptionRecipients.length
      ? labelRecipients(await this.tenantKeys.recipient(database.tenantId), database.encryptionRecipients)
      : [];
    const recipients = labelled.map((entry) => entry.recipient);
    const { objectKey, rolesKey, sidecarKey } = backupKeys(
      storage.pathPrefix,
      database.name,
      backup.name,
      backup.createdAt,
      recipients.length > 0,
    );
    await this.backups.update(backup.id, {
      objectKey,
      sidecarKey,
      serverVersion: server.version,
      pgDumpVersion: pgDump.version ?? String(pgDump.major),
      compressionAlgorithm: compression.algorithm,
      compressionLevel: compression.level,
      encrypted: recipients.length > 0,
      encryptionRecipients: recipients,
    });

    let lastReport = 0;
    let lastReportedBytes = 0;
    let lastReportAt = Date.now();
    const result = await dumpInWorker(
      {
        conn,
        pgDump: pgDump.binary,
        options,
        recipients,
        store: this.stores.specOf(storage),
        key: objectKey,
      },
      {
        signal,
        onUploadStarted: (uploadId) => {
          // Recorded at once: if this process dies now, whoever fails the job aborts the upload.
          void this.backups.update(backup.id, { uploadId }).catch(() => undefined);
        },
        onProgress: (bytes) => {
          moved();
          const now = Date.now();
          if (now - lastReport < PROGRESS_INTERVAL_MS) return;
          lastReport = now;
          this.events.backupProgress(
            backup,
            bytes,
            ((bytes - lastReportedBytes) * 1_000) / Math.max(1, now - lastReportAt),
          );
          lastReportedBytes = bytes;
          lastReportAt = now;
          void this.backups
            .update(backup.id, { bytesProcessed: BigInt(bytes), heartbeatAt: new Date() })
            .catch(() => undefined);
        },
      },
    );

    moved();
    // The cluster's roles beside the dump (pg_dump has GRANTs but no CREATE ROLE). A failure here
    // keeps the backup: it is recorded as a warning and the backup as without roles.
    const warnings = [...result.warnings];
    let roles: RolesDumpResult | null = null;
    try {
      const pgDumpall = await this.resolver.resolve('pg_dumpall', server.versionNum);
      roles = await dumpRoles({
        pgDumpall: pgDumpall.binary,
        conn,
        passwords: database.backupRolePasswords,
        recipients,
        store: this.stores.open(storage),
        key: rolesKey,
        signal,
      });
      warnings.push(...roles.warnings);
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = ((error as Error).message ?? String(error)).split('\n')[0].slice(0, 1_000);
      warnings.push(`roles: not in this backup (restoring onto another server needs them created first): ${reason}`);
      this.logger.warn({ backupId: backup.id, reason }, 'roles dump failed; the backup goes on without roles');
    }

    // Restorable without us: the facts needed to check and restore the object with standard tools.
    const sidecar = backupSidecar({
      backup,
      database: { name: database.name, dbname: database.dbname, host: database.host, port: database.port },
      serverVersion: server.version,
      pgDumpVersion: pgDump.version ?? String(pgDump.major),
      options,
      objectKey,
      dump: result,
      recipients: labelled,
      roles,
      warnings,
    });
    moved();
    const store = this.stores.open(storage);
    try {
      await store.put(sidecarKey, Readable.from([Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`)]), {
        contentType: 'application/json',
        signal,
      });
    } catch (error) {
      // A dump without its sidecar is not "restorable without us": remove it and fail.
      await store.delete(objectKey).catch(() => undefined);
      if (roles) await store.delete(rolesKey).catch(() => undefined);
      throw new Error(`sidecar upload failed: ${(error as Error).message}`, { cause: error });
    }
    return {
      sizeBytes: BigInt(result.objectBytes),
      dumpSizeBytes: BigInt(result.dumpBytes),
      bytesProcessed: BigInt(result.dumpBytes),
      sha256: result.sha256,
      objectSha256: result.objectSha256,
      rolesKey: roles?.key ?? null,
      rolesSha256: roles?.sha256 ?? null,
      rolesObjectSha256: roles?.objectSha256 ?? null,
      rolesWithPasswords: roles?.includesPasswords ?? false,
      warnings: warnings.length ? warnings.join('\n') : null,
    };
  }

  private finish(backup: BackupWithSources, ok: boolean, error?: string) {
    return this.activity.record({
      event: 'backup.finish',
      outcome: ok ? 'success' : 'failure',
      level: ok ? 'info' : 'error',
      tenantId: backup.tenantId,
      userId: backup.triggeredById,
      resourceType: 'Backup',
      resourceId: backup.id,
      resourceName: backup.name,
      details: { database: backup.database.name, name: backup.name, ...(error ? { error: error.slice(0, 500) } : {}) },
    });
  }
}
