import { HttpStatus, Injectable, StreamableFile } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { ApiException, notFound } from '../../common/errors/api-exception';
import { pageOf, skipTake, type Page } from '../../common/pagination/page';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { backupName } from '../../engine/backup-naming';
import { PgClientResolver } from '../../engine/pg-client-resolver';
import { fetchVerifiedArchive, IntegrityError, listArchive } from '../../engine/restore-pipeline';
import type { Readable } from 'node:stream';
import { decryptStream } from '../../engine/age';
import { readArchiveToc, type TocEntry } from '../../engine/archive-toc';
import { missingNames, type RestoreFilter } from '../../engine/restore-selection';
import type { Backup, Database, Prisma, Restore } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { DatabasesService, toStoredSslMode } from '../databases/databases.service';
import { describeStoreError, ObjectStoreFactory } from '../storage/object-store-factory';
import { BackupsRepository, type BackupWithSources } from './backups.repository';
import { createdBetween } from '../../common/validation/query-filters';
import type {
  BackupDto,
  BackupListQueryDto,
  TenantBackupDto,
  TenantBackupListQueryDto,
  RestoreDto,
  RestoreListQueryDto,
  RestoreRequestDto,
  VerifyResultDto,
} from './dto/backup.dto';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { archiveMajor } from './restore-runner';
import { ArchiveLocator } from './archive-locator';
import { deleteBackupObjects } from './backup-objects';
import { EventPublisher } from '../events/event-publisher';
import { storedCompression } from '../../engine/compression';
import { DownloadLinks } from './download-links';
import type { DownloadLinkDto } from './dto/download-link.dto';

const toNumber = (value: bigint | null) => (value === null ? null : Number(value));

export function toBackupDto(row: Backup, queuePosition: number | null = null): BackupDto {
  return {
    id: row.id,
    database_id: row.databaseId,
    storage_id: row.storageId,
    status: row.status,
    trigger: row.trigger,
    name: row.name,
    object_key: row.objectKey,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    duration_ms: row.durationMs,
    size_bytes: toNumber(row.sizeBytes),
    dump_size_bytes: toNumber(row.dumpSizeBytes),
    bytes_processed: Number(row.bytesProcessed),
    sha256: row.sha256,
    object_sha256: row.objectSha256,
    server_version: row.serverVersion,
    pg_dump_version: row.pgDumpVersion,
    compression: storedCompression(row),
    encrypted: row.encrypted,
    encryption_recipients: row.encryptionRecipients,
    roles_object_key: row.rolesKey,
    roles_with_passwords: row.rolesWithPasswords,
    error_message: row.errorMessage,
    scheduled_for: row.scheduledFor?.toISOString() ?? null,
    warnings: row.warnings ? row.warnings.split('\n') : [],
    deleted_at: row.deletedAt?.toISOString() ?? null,
    deletion_error: row.deletionError,
    queue_position: row.status === 'pending' ? queuePosition : null,
    attempt: row.attempt,
    retry_of_id: row.retryOfId,
    created_at: row.createdAt.toISOString(),
  };
}

function toRestoreDto(row: Restore, backup: { databaseId: string; name: string }): RestoreDto {
  return {
    id: row.id,
    backup_id: row.backupId,
    backup_name: backup.name,
    database_id: backup.databaseId,
    status: row.status,
    into_source: !row.targetHost,
    target_host: row.targetHost,
    target_port: row.targetPort,
    target_dbname: row.targetDbname,
    target_user: row.targetUsername,
    clean: row.clean,
    create: row.create,
    no_owner: row.noOwner,
    no_privileges: row.noPrivileges,
    single_transaction: row.singleTransaction,
    strategy: row.strategy,
    strategy_note: row.strategyNote,
    kept_database: row.keptDatabase,
    kept_until: row.keptUntil?.toISOString() ?? null,
    kept_dropped_at: row.keptDroppedAt?.toISOString() ?? null,
    create_roles: row.createRoles,
    roles_created: row.rolesCreated,
    schemas: row.schemas,
    tables: row.tables,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    duration_ms: row.durationMs,
    error_message: row.errorMessage,
    created_at: row.createdAt.toISOString(),
  };
}

const notFinished = () =>
  new ApiException(HttpStatus.CONFLICT, 'BACKUP_NOT_AVAILABLE', 'Only a successful backup can be used for this');

/** Backups and restores: start them, follow them, verify, download and delete what they made. */
@Injectable()
export class BackupsService {
  constructor(
    private readonly config: AppConfig,
    private readonly backups: BackupsRepository,
    private readonly databases: DatabasesService,
    private readonly stores: ObjectStoreFactory,
    private readonly resolver: PgClientResolver,
    private readonly archives: ArchiveLocator,
    private readonly secrets: SecretBox,
    private readonly queue: JobQueue,
    private readonly activity: ActivityLogService,
    private readonly events: EventPublisher,
    private readonly links: DownloadLinks,
  ) {}

  /** Records a pending backup and queues it; the answer comes before any byte is dumped. */
  async start(auth: AuthContext, databaseId: string, meta: RequestMeta): Promise<BackupDto> {
    const database = await this.databases.require(auth, databaseId);
    const backup = await this.backups.create(
      this.pendingBackup(database, { triggeredById: auth.userId, trigger: auth.apiTokenId ? 'api' : 'manual' }),
    );
    await this.activity.recordFor(auth, meta, {
      event: 'backup.start',
      resourceType: 'Backup',
      resourceId: backup.id,
      resourceName: backup.name,
      details: { database: database.name, name: backup.name },
    });
    await this.enqueueBackup(backup);
    const line = await this.backups.waitingLine();
    return toBackupDto(backup, line.indexOf(backup.id) + 1 || null);
  }

  /**
   * The backup of one schedule slot: recorded once per database and slot however many processes
   * try (the unique key on database_id + scheduled_for); only the one whose insert won queues it.
   * Null when another process recorded the slot first.
   */
  async startScheduled(database: Database, scheduledFor: Date): Promise<Backup | null> {
    const backup = await this.backups.createForSlot(
      this.pendingBackup(database, { trigger: 'scheduled', scheduledFor }),
    );
    if (!backup) return null;
    await this.activity.record({
      event: 'backup.start',
      tenantId: database.tenantId,
      resourceType: 'Backup',
      resourceId: backup.id,
      resourceName: backup.name,
      details: { database: database.name, name: backup.name, scheduled_for: scheduledFor.toISOString() },
    });
    await this.enqueueBackup(backup);
    return backup;
  }

  /** A schedule slot that does not run, kept in the history with `reason`; null when the slot was already recorded. */
  async skipScheduled(database: Database, scheduledFor: Date, reason: string): Promise<Backup | null> {
    const now = new Date();
    const skipped = await this.backups.createForSlot({
      tenantId: database.tenantId,
      databaseId: database.id,
      storageId: database.storageId,
      trigger: 'scheduled',
      status: 'skipped',
      scheduledFor,
      name: backupName(scheduledFor),
      errorMessage: reason,
      finishedAt: now,
      createdAt: now,
    });
    if (skipped) this.events.backupCreated(skipped);
    return skipped;
  }

  /** A pending backup of `database` run by this process: the row every way of starting one records. */
  private pendingBackup(
    database: Database,
    fields: Pick<Prisma.BackupUncheckedCreateInput, 'trigger' | 'triggeredById' | 'scheduledFor'>,
  ): Prisma.BackupUncheckedCreateInput {
    const now = new Date();
    return {
      tenantId: database.tenantId,
      databaseId: database.id,
      storageId: database.storageId,
      name: backupName(now),
      createdAt: now,
      ...fields,
    };
  }

  /** Hands a recorded pending backup to the job queue (any worker of the cluster runs it): the one path to running a backup. */
  private async enqueueBackup(backup: Backup): Promise<void> {
    this.events.backupCreated(backup);
    // Recorded already: if the queue cannot take it now, the supervisor queues the pending row again.
    await this.queue.send(QUEUES.backup, { backupId: backup.id }).catch(() => undefined);
  }

  async listForDatabase(auth: AuthContext, databaseId: string, query: BackupListQueryDto): Promise<Page<BackupDto>> {
    await this.databases.require(auth, databaseId);
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.backups.listForDatabase(databaseId, query.status, skip, take);
    const line = rows.some((row) => row.status === 'pending') ? await this.backups.waitingLine() : [];
    return pageOf(
      rows.map((row) => toBackupDto(row, line.indexOf(row.id) + 1 || null)),
      total,
      query,
    );
  }

  /** The tenant's backups of every database, newest first, each with its database's name. */
  async listForTenant(auth: AuthContext, query: TenantBackupListQueryDto): Promise<Page<TenantBackupDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.backups.listForTenant(
      auth.tenantId,
      {
        databaseId: query.database_id,
        status: query.status,
        trigger: query.trigger,
        createdAt: createdBetween(query.from, query.to),
        search: query.search,
      },
      skip,
      take,
    );
    const line = rows.some((row) => row.status === 'pending') ? await this.backups.waitingLine() : [];
    return pageOf(
      rows.map((row) => ({ ...toBackupDto(row, line.indexOf(row.id) + 1 || null), database_name: row.database.name })),
      total,
      query,
    );
  }

  async get(auth: AuthContext, id: string): Promise<BackupDto> {
    const backup = await this.require(auth, id);
    const line = backup.status === 'pending' ? await this.backups.waitingLine() : [];
    return toBackupDto(backup, line.indexOf(backup.id) + 1 || null);
  }

  /** The stored object as it is (encrypted when it was encrypted), streamed from storage. */
  async download(
    auth: AuthContext,
    id: string,
    meta: RequestMeta,
    via: 'request' | 'link' = 'request',
  ): Promise<StreamableFile> {
    const backup = await this.requireSuccessful(auth, id);
    let stream;
    try {
      stream = await this.stores.open(backup.storage).get(backup.objectKey!);
    } catch (error) {
      throw new ApiException(
        HttpStatus.BAD_GATEWAY,
        'STORAGE_ERROR',
        `Cannot read the backup: ${describeStoreError(error)}`,
      );
    }
    await this.activity.recordFor(auth, meta, {
      event: 'backup.download',
      resourceType: 'Backup',
      resourceId: id,
      resourceName: backup.name,
      details: { name: backup.name, ...(via === 'link' ? { via: 'download link' } : {}) },
    });
    return new StreamableFile(stream, {
      type: 'application/octet-stream',
      disposition: `attachment; filename="${backup.objectKey!.split('/').pop()}"`,
      length: backup.sizeBytes === null ? undefined : Number(backup.sizeBytes),
    });
  }

  /**
   * A short-lived link to the stored object that needs no Authorization header, so that a browser
   * downloads it natively (streamed to disk, with its own progress) instead of into a tab's memory.
   */
  async downloadLink(auth: AuthContext, id: string): Promise<DownloadLinkDto> {
    await this.requireSuccessful(auth, id);
    const { token, expiresAt } = await this.links.issue(auth, id);
    return { url: `/api/v1/backups/${id}/file?token=${token}`, expires_at: expiresAt.toISOString() };
  }

  /** The stored object, for whoever the link was made for (as they are now). */
  async downloadByLink(id: string, token: string, meta: RequestMeta): Promise<StreamableFile> {
    const auth = await this.links.redeem(token, id);
    return this.download(auth, id, meta, 'link');
  }

  /** Re-reads the object: both checksums (decrypting when encrypted), then pg_restore --list. */
  async verify(auth: AuthContext, id: string, meta: RequestMeta): Promise<VerifyResultDto> {
    const backup = await this.requireSuccessful(auth, id);
    let result: VerifyResultDto;
    try {
      // A pg_restore able to read the archive (as new as the pg_dump that wrote it) before anything is fetched.
      const major = archiveMajor(backup.pgDumpVersion);
      const pgRestore = await this.resolver.resolveForRestore(major * 10_000, major);
      const archive = await fetchVerifiedArchive(await this.archives.locate(backup), this.config.env.RESTORE_TEMP_DIR);
      try {
        const entries = await listArchive(pgRestore.binary, archive.path);
        result = {
          ok: true,
          message: `Checksums match and pg_restore lists ${entries.length} entries`,
          toc_entries: entries.length,
        };
      } finally {
        await archive.dispose();
      }
    } catch (error) {
      const message =
        error instanceof IntegrityError ? error.message : `Verification failed: ${describeStoreError(error)}`;
      result = { ok: false, message, toc_entries: null };
    }
    await this.activity.recordFor(auth, meta, {
      event: 'backup.verify',
      outcome: result.ok ? 'success' : 'failure',
      level: result.ok ? 'info' : 'error',
      resourceType: 'Backup',
      resourceId: id,
      details: { message: result.message },
    });
    return result;
  }

  /** Removes the object and its sidecar, then the record; if storage refuses, nothing is removed. */
  async delete(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const backup = await this.require(auth, id);
    if (backup.status === 'pending' || backup.status === 'running' || (await this.backups.activeRestores(id))) {
      throw new ApiException(HttpStatus.CONFLICT, 'BACKUP_BUSY', 'This backup is running or being restored');
    }
    const store = this.stores.open(backup.storage);
    try {
      // An upload its failed job left unfinished (the sweeper could not abort it) goes too.
      if (backup.uploadId && backup.objectKey) await store.abortUpload?.(backup.objectKey, backup.uploadId);
      await deleteBackupObjects(store, backup);
    } catch (error) {
      throw new ApiException(
        HttpStatus.BAD_GATEWAY,
        'STORAGE_ERROR',
        `Cannot delete the backup: ${describeStoreError(error)}`,
      );
    }
    await this.backups.delete(id);
    await this.activity.recordFor(auth, meta, {
      event: 'backup.delete',
      resourceType: 'Backup',
      resourceId: id,
      resourceName: backup.name,
      details: { name: backup.name },
    });
  }

  async restore(auth: AuthContext, id: string, input: RestoreRequestDto, meta: RequestMeta): Promise<RestoreDto> {
    const backup = await this.requireSuccessful(auth, id);
    if (input.create_roles && !backup.rolesKey) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        'BACKUP_HAS_NO_ROLES',
        'This backup has no roles object (its warnings say why): restore without create_roles, or create the roles first',
      );
    }
    if (input.schemas?.length || input.tables?.length) {
      await this.checkNamesInBackup(backup, { schemas: input.schemas ?? [], tables: input.tables ?? [] });
    }
    // Validation made host, dbname and user present whenever any target_* field is.
    const target = input.target_host
      ? {
          host: input.target_host,
          port: input.target_port ?? 5432,
          dbname: input.target_dbname!,
          user: input.target_user!,
        }
      : null;
    const restore = await this.backups.createRestore({
      tenantId: auth.tenantId,
      backupId: backup.id,
      requestedById: auth.userId,
      targetHost: target?.host ?? null,
      targetPort: target?.port ?? null,
      targetDbname: target?.dbname ?? null,
      targetUsername: target?.user ?? null,
      targetPasswordEncrypted: target && input.target_password ? this.secrets.encrypt(input.target_password) : null,
      targetSslmode: target ? toStoredSslMode(input.target_sslmode ?? 'prefer') : null,
      clean: input.clean ?? false,
      create: input.create ?? false,
      // Into the source its owners and grantees exist: restore them. Elsewhere they may not,
      // unless create_roles makes them first.
      noOwner: input.no_owner ?? (target !== null && !input.create_roles),
      noPrivileges: input.no_privileges ?? (target !== null && !input.create_roles),
      singleTransaction: input.single_transaction ?? false,
      schemas: input.schemas ?? [],
      tables: input.tables ?? [],
      createRoles: input.create_roles ?? false,
    });
    await this.activity.recordFor(auth, meta, {
      event: 'restore.start',
      resourceType: 'Restore',
      resourceId: restore.id,
      details: {
        backup: backup.name,
        target: target ? `${target.host}:${target.port}/${target.dbname}` : 'source',
      },
    });
    this.events.restoreCreated(restore, backup.databaseId);
    await this.queue.send(QUEUES.restore, { restoreId: restore.id }).catch(() => undefined);
    return toRestoreDto(restore, backup);
  }

  /**
   * 400 naming every requested schema or table the backup does not hold, before anything is
   * queued or created. Reads only the start of the stored object: the archive's table of contents.
   */
  private async checkNamesInBackup(backup: BackupWithSources, filter: RestoreFilter): Promise<void> {
    const located = await this.archives.locate(backup);
    let source: Readable;
    try {
      source = await located.store.get(located.key);
    } catch (error) {
      throw new ApiException(
        HttpStatus.BAD_GATEWAY,
        'STORAGE_ERROR',
        `Cannot read the backup: ${describeStoreError(error)}`,
      );
    }
    let archive: Readable = source;
    let toc: TocEntry[];
    try {
      if (located.identity) archive = await decryptStream(source, located.identity);
      toc = await readArchiveToc(archive);
    } catch (error) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        'BACKUP_UNREADABLE',
        `Cannot read the backup's table of contents: ${(error as Error).message}`,
      );
    } finally {
      archive.destroy();
      source.destroy();
    }
    const missing = missingNames(toc, filter);
    if (missing.length) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        'NOT_IN_BACKUP',
        `Not in the backup: ${missing.map((m) => m.message.replace(/ is not in the backup.*$/, '')).join(', ')}`,
        missing,
      );
    }
  }

  async getRestore(auth: AuthContext, id: string): Promise<RestoreDto> {
    const restore = await this.backups.findRestoreInTenant(id, auth.tenantId);
    if (!restore) throw notFound('Restore');
    return toRestoreDto(restore, restore.backup);
  }

  /** The tenant's restores, newest first (of one database when `databaseId` is given: 404 if it is not the tenant's). */
  async listRestores(auth: AuthContext, query: RestoreListQueryDto, databaseId?: string): Promise<Page<RestoreDto>> {
    if (databaseId) await this.databases.require(auth, databaseId);
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.backups.listRestores(
      auth.tenantId,
      { databaseId: databaseId ?? query.database_id, backupId: query.backup_id, status: query.status },
      skip,
      take,
    );
    return pageOf(
      rows.map((row) => toRestoreDto(row, row.backup)),
      total,
      query,
    );
  }

  private async require(auth: AuthContext, id: string): Promise<BackupWithSources> {
    const backup = await this.backups.findInTenant(id, auth.tenantId);
    if (!backup) throw notFound('Backup');
    return backup;
  }

  private async requireSuccessful(auth: AuthContext, id: string): Promise<BackupWithSources> {
    const backup = await this.require(auth, id);
    if (backup.status !== 'success' || !backup.objectKey) throw notFinished();
    return backup;
  }
}
