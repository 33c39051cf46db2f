import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { PgClientResolver, serverMajor } from '../../engine/pg-client-resolver';
import {
  describeConnectionError,
  readServerInfo,
  withPgClient,
  type PgConnection,
  type ServerInfo,
} from '../../engine/pg-connection';
import { fetchVerifiedArchive, restoreArchive } from '../../engine/restore-pipeline';
import type { Restore } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { DatabasesService, fromStoredSslMode } from '../databases/databases.service';
import { ObjectStoreFactory } from '../storage/object-store-factory';
import { BackupNotifier } from './backup-notifier';
import { BackupsRepository, type BackupWithSources } from './backups.repository';
import { ArchiveLocator } from './archive-locator';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The major of the pg_dump that wrote an archive, from the version recorded with the backup. */
export function archiveMajor(pgDumpVersion: string | null): number {
  const major = Number.parseInt(pgDumpVersion ?? '', 10);
  return Number.isFinite(major) ? major : 0;
}

/**
 * Runs one restore to its end. The archive is verified (both SHA-256 digests, decrypted on the
 * way) before pg_restore touches the target; pg_restore stops at the first error. The restore
 * ends `success` or `failed`, never anything else.
 */
@Injectable()
export class RestoreRunner {
  private readonly logger = new Logger(RestoreRunner.name);

  constructor(
    private readonly config: AppConfig,
    private readonly backups: BackupsRepository,
    private readonly databases: DatabasesService,
    private readonly stores: ObjectStoreFactory,
    private readonly resolver: PgClientResolver,
    private readonly archives: ArchiveLocator,
    private readonly secrets: SecretBox,
    private readonly notifier: BackupNotifier,
    private readonly activity: ActivityLogService,
  ) {}

  async run(restoreId: string, signal: AbortSignal): Promise<void> {
    const restore = await this.backups.findRestore(restoreId);
    if (!restore) return;
    const startedAt = new Date();
    await this.backups.updateRestore(restore.id, { status: 'running', startedAt, heartbeatAt: startedAt });
    let failure: string | undefined;
    try {
      if (signal.aborted) throw signal.reason;
      await this.execute(restore, restore.backup);
    } catch (error) {
      failure = (error as Error).message ?? String(error);
      this.logger.warn({ restoreId: restore.id, reason: failure }, 'restore failed');
    }
    const finishedAt = new Date();
    await this.backups.updateRestore(restore.id, {
      status: failure ? 'failed' : 'success',
      errorMessage: failure?.slice(0, 8_000) ?? null,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      // The target's password was only needed while the restore ran.
      targetPasswordEncrypted: null,
    });
    await this.activity.record({
      event: 'restore.finish',
      outcome: failure ? 'failure' : 'success',
      level: failure ? 'error' : 'info',
      tenantId: restore.tenantId,
      userId: restore.requestedById,
      resourceType: 'Restore',
      resourceId: restore.id,
      resourceName: restore.backup.name,
      details: { backup: restore.backup.name, ...(failure ? { error: failure.slice(0, 500) } : {}) },
    });
    if (failure) await this.notifier.restoreFailed(restore.backup.database, restore.backup.name, failure);
  }

  private targetOf(restore: Restore, backup: BackupWithSources): PgConnection {
    if (!restore.targetHost) return this.databases.connectionOf(backup.database);
    return {
      host: restore.targetHost,
      port: restore.targetPort ?? 5432,
      dbname: restore.targetDbname!,
      user: restore.targetUsername!,
      password: restore.targetPasswordEncrypted ? this.secrets.decrypt(restore.targetPasswordEncrypted) : null,
      sslmode: fromStoredSslMode(restore.targetSslmode ?? 'prefer'),
    };
  }

  private async execute(restore: Restore, backup: BackupWithSources): Promise<void> {
    const target = this.targetOf(restore, backup);
    // With `create` the target does not exist yet: reach its server through the maintenance database.
    const reachable = restore.create ? { ...target, dbname: 'postgres' } : target;
    let server: ServerInfo;
    try {
      server = await readServerInfo(reachable);
    } catch (error) {
      throw new Error(describeConnectionError(error, reachable), { cause: error });
    }
    const pgRestore = await this.resolver.resolveForRestore(server.versionNum, archiveMajor(backup.pgDumpVersion));
    if (pgRestore.fallback) {
      this.logger.warn(
        { restoreId: restore.id, pgRestore: pgRestore.version, server: serverMajor(server.versionNum) },
        'no pg_restore for the target major or above: using an older one that reads the archive',
      );
    }
    // Verified before the target is touched in any way: a bad archive changes nothing.
    const archive = await fetchVerifiedArchive(await this.archives.locate(backup), this.config.env.RESTORE_TEMP_DIR);
    try {
      if (restore.create) {
        try {
          await withPgClient(reachable, (client) => client.query(`CREATE DATABASE ${quoteIdent(target.dbname)}`));
        } catch (error) {
          throw new Error(`Cannot create database "${target.dbname}": ${(error as Error).message}`, { cause: error });
        }
      }
      await restoreArchive(pgRestore.binary, target, archive.path, {
        clean: restore.clean,
        noOwner: restore.noOwner,
        schemas: restore.schemas,
        tables: restore.tables,
        jobs: this.config.env.RESTORE_JOBS,
      });
    } finally {
      await archive.dispose();
    }
  }
}
