import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { PgClientResolver, serverMajor } from '../../engine/pg-client-resolver';
import {
  describeConnectionError,
  quoteIdent,
  readServerInfo,
  type PgConnection,
  type ServerInfo,
} from '../../engine/pg-connection';
import { fetchVerifiedArchive, restoreArchive, type LocalArchive } from '../../engine/restore-pipeline';
import { readArchiveToc, type TocEntry } from '../../engine/archive-toc';
import { missingNames, selectEntries, type RestoreFilter } from '../../engine/restore-selection';
import {
  createDatabaseLike,
  databaseExists,
  derivedName,
  dropDatabase,
  nameStamp,
  schemasOf,
  swapDatabases,
  swapRefusal,
  withServerClient,
} from '../../engine/target-database';
import type { Restore, RestoreStrategy } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { DatabasesService, fromStoredSslMode } from '../databases/databases.service';
import { ObjectStoreFactory } from '../storage/object-store-factory';
import { BackupNotifier } from './backup-notifier';
import { BackupsRepository, type BackupWithSources } from './backups.repository';
import { ArchiveLocator } from './archive-locator';
import { RoleRestorer } from './role-restorer';
import { JobSupervisor } from './job-supervisor';
import { EventPublisher } from '../events/event-publisher';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The table of contents of a verified local archive. */
export async function tocOfFile(path: string): Promise<TocEntry[]> {
  const stream = createReadStream(path);
  try {
    return await readArchiveToc(stream);
  } finally {
    stream.destroy();
  }
}

interface Plan {
  strategy: RestoreStrategy;
  /** Why, when the strategy is not the obvious one (e.g. a swap the role may not do). */
  note: string | null;
}

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
    private readonly roles: RoleRestorer,
    private readonly supervisor: JobSupervisor,
    private readonly events: EventPublisher,
  ) {}

  async run(restoreId: string, signal: AbortSignal): Promise<void> {
    const restore = await this.backups.findRestore(restoreId);
    if (!restore) return;
    const startedAt = new Date();
    // One process runs it however often its job is delivered.
    if (!(await this.backups.claimRestore(restore.id, this.supervisor.workerId, startedAt))) return;
    let failure: string | undefined;
    try {
      if (signal.aborted) throw signal.reason;
      await this.execute(restore, restore.backup);
    } catch (error) {
      failure = (error as Error).message ?? String(error);
      this.logger.warn({ restoreId: restore.id, reason: failure }, 'restore failed');
    }
    const finishedAt = new Date();
    const after = await this.backups.findRestore(restore.id);
    const ended = await this.backups.updateRestore(restore.id, {
      status: failure ? 'failed' : 'success',
      errorMessage: failure?.slice(0, 8_000) ?? null,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      // The target's password was only needed while the restore ran (and, for another target,
      // until the database a swap kept there is dropped).
      ...(after?.keptDatabase && !after.keptDroppedAt && after.targetHost ? {} : { targetPasswordEncrypted: null }),
    });
    this.events.restoreFinished(ended, restore.backup.databaseId);
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

  /**
   * Restores so that a failure never leaves a mix (docs/operations.md, "Restore strategies"):
   * - `direct` into a database this restore created (`create`), which a failure drops again;
   * - `swap` for a `clean` restore of the whole backup into an existing database: into a fresh
   *   database on the same server, which then takes the target's name in one short exclusive step
   *   (the previous database is kept as `<name>_before_<time>`);
   * - `single_transaction` otherwise (or when asked, or when the role may not swap): pg_restore in
   *   one transaction, so a failure rolls everything back.
   */
  private async execute(restore: Restore, backup: BackupWithSources): Promise<void> {
    const target = this.targetOf(restore, backup);
    let server: ServerInfo;
    try {
      // With `create` the target does not exist yet: its server is reached through a maintenance database.
      server = restore.create
        ? await withServerClient(target, async (client) => {
            const { rows } = await client.query<{ num: string; version: string }>(
              "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
            );
            return { versionNum: Number(rows[0].num), version: rows[0].version };
          })
        : await readServerInfo(target);
    } catch (error) {
      const reached = restore.create ? { ...target, dbname: 'postgres' } : target;
      throw new Error(describeConnectionError(error, reached), { cause: error });
    }
    const pgRestore = await this.resolver.resolveForRestore(server.versionNum, archiveMajor(backup.pgDumpVersion));
    if (pgRestore.fallback) {
      this.logger.warn(
        { restoreId: restore.id, pgRestore: pgRestore.version, server: serverMajor(server.versionNum) },
        'no pg_restore of the target major: using an older one that reads the archive',
      );
    }
    // Verified before the target is touched in any way: a bad archive changes nothing.
    const archive = await fetchVerifiedArchive(await this.archives.locate(backup), this.config.env.RESTORE_TEMP_DIR);
    try {
      const toc = await tocOfFile(archive.path);
      const filter: RestoreFilter = { schemas: restore.schemas, tables: restore.tables };
      // Also checked when the restore was asked for; the verified copy is what counts.
      const missing = missingNames(toc, filter);
      if (missing.length) throw new Error(`Nothing was restored: ${missing.map((m) => m.message).join('; ')}`);
      // create_roles: the roles the target's server lacks, before anything restores (recorded on the restore).
      await this.roles.createMissingRoles(restore, backup, target);
      const plan = await this.plan(restore, target, filter);
      await this.backups.updateRestore(restore.id, { strategy: plan.strategy, strategyNote: plan.note });
      const run = (into: PgConnection, singleTransaction: boolean, clean: boolean) =>
        this.runPgRestore(pgRestore.binary, into, archive, toc, filter, {
          restore,
          singleTransaction,
          clean,
        });

      if (restore.create) {
        try {
          await withServerClient(target, (client) => client.query(`CREATE DATABASE ${quoteIdent(target.dbname)}`));
        } catch (error) {
          throw new Error(`Cannot create database "${target.dbname}": ${(error as Error).message}`, { cause: error });
        }
        try {
          await run(target, plan.strategy === 'single_transaction', restore.clean);
        } catch (error) {
          const removed = await withServerClient(target, (client) => dropDatabase(client, target.dbname)).then(
            () => `database "${target.dbname}", which this restore created, was dropped again`,
            (dropError: unknown) =>
              `database "${target.dbname}", which this restore created, could not be dropped: ${(dropError as Error).message}`,
          );
          throw new Error(`${(error as Error).message} (${removed})`, { cause: error });
        }
        return;
      }
      if (plan.strategy === 'single_transaction') {
        try {
          await run(target, true, restore.clean);
        } catch (error) {
          throw new Error(`${(error as Error).message} (in one transaction: "${target.dbname}" was not changed)`, {
            cause: error,
          });
        }
        return;
      }
      await this.swap(restore, target, run);
    } finally {
      await archive.dispose();
    }
  }

  private async plan(restore: Restore, target: PgConnection, filter: RestoreFilter): Promise<Plan> {
    if (restore.create) return { strategy: restore.singleTransaction ? 'single_transaction' : 'direct', note: null };
    if (restore.singleTransaction) return { strategy: 'single_transaction', note: null };
    const partial = filter.schemas.length > 0 || filter.tables.length > 0;
    if (!restore.clean || partial) {
      return {
        strategy: 'single_transaction',
        note: 'Into an existing database a restore runs in one transaction (only a clean restore of the whole backup swaps in a fresh copy)',
      };
    }
    let refusal: string | null;
    try {
      refusal = await withServerClient(target, (client) => swapRefusal(client, target.dbname));
    } catch (error) {
      refusal = `the server's maintenance database cannot be reached (${(error as Error).message})`;
    }
    if (!refusal) return { strategy: 'swap', note: null };
    return {
      strategy: 'single_transaction',
      note: `Restored in one transaction instead of swapping in a fresh copy: ${refusal} (a swap needs CREATEDB and ownership of the database)`,
    };
  }

  /** pg_restore into `into`, the whole archive or only the entries the filter selects. */
  private async runPgRestore(
    binary: string,
    into: PgConnection,
    archive: LocalArchive,
    toc: TocEntry[],
    filter: RestoreFilter,
    how: { restore: Restore; singleTransaction: boolean; clean: boolean },
  ): Promise<void> {
    let listFile: string | undefined;
    const ids = selectEntries(
      toc,
      filter,
      filter.schemas.length || filter.tables.length ? await schemasOf(into) : new Set(),
    );
    if (ids) {
      listFile = join(dirname(archive.path), 'restore.list');
      await writeFile(listFile, ids.map((id) => `${id}\n`).join(''), { mode: 0o600 });
    }
    await restoreArchive(binary, into, archive.path, {
      clean: how.clean,
      noOwner: how.restore.noOwner,
      noPrivileges: how.restore.noPrivileges,
      singleTransaction: how.singleTransaction,
      listFile,
      jobs: this.config.env.RESTORE_JOBS,
    });
  }

  /** The `swap` strategy: restore into a fresh copy, then swap names; the previous database is kept. */
  private async swap(
    restore: Restore,
    target: PgConnection,
    run: (into: PgConnection, singleTransaction: boolean, clean: boolean) => Promise<void>,
  ): Promise<void> {
    const stamp = nameStamp(new Date());
    const fresh = derivedName(target.dbname, `_restoring_${stamp}`);
    const kept = derivedName(target.dbname, `_before_${stamp}`);
    const unchanged = `"${target.dbname}" was not changed`;
    await withServerClient(target, async (client) => {
      for (const name of [fresh, kept]) {
        if (await databaseExists(client, name)) throw new Error(`Database "${name}" already exists: ${unchanged}`);
      }
      await createDatabaseLike(client, fresh, target.dbname);
    });
    const dropFresh = () =>
      withServerClient(target, (client) => dropDatabase(client, fresh)).catch((error: unknown) =>
        this.logger.warn(
          { restoreId: restore.id, database: fresh, reason: (error as Error).message },
          'could not drop',
        ),
      );
    try {
      // A fresh database: nothing to clean, and pg_restore may use --jobs.
      await run({ ...target, dbname: fresh }, false, false);
    } catch (error) {
      await dropFresh();
      throw new Error(`${(error as Error).message} (restored into a fresh copy: ${unchanged})`, { cause: error });
    }
    try {
      await withServerClient(target, (client) =>
        swapDatabases(client, target.dbname, fresh, kept, this.config.env.RESTORE_SWAP_GRACE_SECONDS * 1000),
      );
    } catch (error) {
      await dropFresh();
      throw new Error(`${(error as Error).message}: ${unchanged}`, { cause: error });
    }
    const hours = this.config.env.RESTORE_KEEP_PREVIOUS_HOURS;
    const now = new Date();
    await this.backups.updateRestore(restore.id, {
      keptDatabase: kept,
      keptUntil: new Date(now.getTime() + hours * 3_600_000),
    });
    if (hours === 0) await this.dropKept(restore.id, target, kept);
  }

  /** Drops the database a swap kept; true when it is gone. */
  async dropKept(restoreId: string, target: PgConnection, kept: string): Promise<boolean> {
    try {
      await withServerClient(target, (client) => dropDatabase(client, kept));
    } catch (error) {
      this.logger.warn({ restoreId, database: kept, reason: (error as Error).message }, 'could not drop kept database');
      return false;
    }
    await this.backups.updateRestore(restoreId, { keptDroppedAt: new Date(), targetPasswordEncrypted: null });
    return true;
  }

  /** Drops the kept databases whose time is up (RESTORE_KEEP_PREVIOUS_HOURS). */
  async dropExpiredKept(now = new Date()): Promise<number> {
    let dropped = 0;
    for (const restore of await this.backups.keptToDrop(now)) {
      if (await this.dropKept(restore.id, this.targetOf(restore, restore.backup), restore.keptDatabase!)) dropped++;
    }
    return dropped;
  }
}
