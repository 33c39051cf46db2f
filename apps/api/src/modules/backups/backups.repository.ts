import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import { isUniqueViolation } from '../../prisma/prisma-errors';
import type {
  Backup,
  BackupTrigger,
  Database,
  JobStatus,
  Prisma,
  Restore,
  Storage,
  Tenant,
} from '../../generated/prisma/client';
import { RestoreStrategy } from '../../generated/prisma/client';

export type BackupWithSources = Backup & { database: Database; storage: Storage };
/** A backup with the name of its database (the tenant-wide list). */
export type BackupWithDatabaseName = Backup & { database: { name: string } };

/** What the tenant-wide list narrows by; every given one must hold. */
export interface TenantBackupFilter {
  databaseId?: string;
  status?: JobStatus;
  trigger?: BackupTrigger;
  createdAt?: { gte?: Date; lte?: Date };
  /** A substring of the backup's name or its database's name, either case. */
  search?: string;
}
/** A restore with what its answer names of its backup. */
export type RestoreWithBackup = Restore & { backup: { databaseId: string; name: string } };
const RESTORE_BACKUP = { backup: { select: { databaseId: true, name: true } } } as const;

/** The jobs failAbandoned failed. */
export interface AbandonedJobs {
  backups: Backup[];
  restores: Restore[];
}

/** What a job that died with its worker says, by kind and by how far it got. */
export interface AbandonedJobMessages {
  backup: string;
  /** Started: by the strategy it recorded (`none`: it died before choosing one, so before pg_restore). */
  runningRestore: Record<RestoreStrategy | 'none', string>;
}

@Injectable()
export class BackupsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.BackupUncheckedCreateInput): Promise<Backup> {
    return this.prisma.backup.create({ data });
  }

  /** Inserts a schedule slot's row unless one exists for the database and slot (then null): concurrent inserts collapse. */
  async createForSlot(data: Prisma.BackupUncheckedCreateInput): Promise<Backup | null> {
    try {
      return await this.prisma.backup.create({ data });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  update(id: string, data: Prisma.BackupUncheckedUpdateInput): Promise<Backup> {
    return this.prisma.backup.update({ where: { id }, data });
  }

  findInTenant(id: string, tenantId: string): Promise<BackupWithSources | null> {
    return this.prisma.backup.findFirst({ where: { id, tenantId }, include: { database: true, storage: true } });
  }

  findWithSources(id: string): Promise<BackupWithSources | null> {
    return this.prisma.backup.findUnique({ where: { id }, include: { database: true, storage: true } });
  }

  listForDatabase(
    databaseId: string,
    status: JobStatus | undefined,
    skip: number,
    take: number,
  ): Promise<[Backup[], number]> {
    const where = { databaseId, ...(status ? { status } : {}) };
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips. The total is the triggers' (backup_counts), not a count(*) over the
    // whole history.
    return Promise.all([
      this.prisma.backup.findMany({ where, orderBy: { createdAt: 'desc' }, skip, take }),
      this.prisma.backupCount.aggregate({ where, _sum: { total: true } }).then((sum) => sum._sum.total ?? 0),
    ]);
  }

  /** A tenant's backups of all its databases, newest first. */
  listForTenant(
    tenantId: string,
    filter: TenantBackupFilter,
    skip: number,
    take: number,
  ): Promise<[BackupWithDatabaseName[], number]> {
    const contains = filter.search ? { contains: filter.search, mode: 'insensitive' as const } : undefined;
    const where: Prisma.BackupWhereInput = {
      tenantId,
      ...(filter.databaseId ? { databaseId: filter.databaseId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.trigger ? { trigger: filter.trigger } : {}),
      ...(filter.createdAt ? { createdAt: filter.createdAt } : {}),
      ...(contains ? { OR: [{ name: contains }, { database: { name: contains } }] } : {}),
    };
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.backup.findMany({
        where,
        include: { database: { select: { name: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
      }),
      this.prisma.backup.count({ where }),
    ]);
  }

  async delete(id: string): Promise<void> {
    await this.prisma.backup.delete({ where: { id } });
  }

  createRestore(data: Prisma.RestoreUncheckedCreateInput): Promise<Restore> {
    return this.prisma.restore.create({ data });
  }

  updateRestore(id: string, data: Prisma.RestoreUncheckedUpdateInput): Promise<Restore> {
    return this.prisma.restore.update({ where: { id }, data });
  }

  findRestoreInTenant(id: string, tenantId: string): Promise<RestoreWithBackup | null> {
    return this.prisma.restore.findFirst({ where: { id, tenantId }, include: RESTORE_BACKUP });
  }

  /** A tenant's restores, newest first: of one database's backups, one backup, in one state. */
  listRestores(
    tenantId: string,
    filter: { databaseId?: string; backupId?: string; status?: JobStatus },
    skip: number,
    take: number,
  ): Promise<[RestoreWithBackup[], number]> {
    const where: Prisma.RestoreWhereInput = {
      tenantId,
      ...(filter.backupId ? { backupId: filter.backupId } : {}),
      ...(filter.databaseId ? { backup: { databaseId: filter.databaseId } } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.restore.findMany({
        where,
        include: RESTORE_BACKUP,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
      }),
      this.prisma.restore.count({ where }),
    ]);
  }

  findRestore(id: string): Promise<(Restore & { backup: BackupWithSources }) | null> {
    return this.prisma.restore.findUnique({
      where: { id },
      include: { backup: { include: { database: true, storage: true } } },
    });
  }

  /** Restores whose swap kept a previous database that is now due to be dropped. */
  keptToDrop(now: Date): Promise<(Restore & { backup: BackupWithSources })[]> {
    return this.prisma.restore.findMany({
      where: { keptDatabase: { not: null }, keptDroppedAt: null, keptUntil: { lte: now } },
      include: { backup: { include: { database: true, storage: true } } },
      orderBy: { keptUntil: 'asc' },
      take: 100,
    });
  }

  async activeRestores(backupId: string): Promise<number> {
    return this.prisma.restore.count({ where: { backupId, status: { in: ['pending', 'running'] } } });
  }

  /**
   * Proof of life for this worker's jobs: a job whose heartbeat stops is failed by the sweeper.
   * `except`: jobs of this worker it can no longer record the state of (their runner gave up),
   * which must be left to the sweeper instead of being kept alive forever.
   */
  async heartbeat(workerId: string, except: string[] = []): Promise<void> {
    const now = new Date();
    const active = {
      workerId,
      status: { in: ['pending', 'running'] as JobStatus[] },
      ...(except.length ? { id: { notIn: except } } : {}),
    };
    await this.prisma.$transaction([
      this.prisma.backup.updateMany({ where: active, data: { heartbeatAt: now } }),
      this.prisma.restore.updateMany({ where: active, data: { heartbeatAt: now } }),
    ]);
  }

  /**
   * Fails running jobs whose worker stopped proving it is alive (a crash or restart mid-job), or
   * whose worker is known to be dead (`workerIds`), each with the message for its kind and state.
   * Pending ones are not anyone's yet: they wait in the job queue (see pendingWithoutJob).
   */
  async failAbandoned(
    abandoned: { staleBefore: Date } | { workerIds: string[] },
    messages: AbandonedJobMessages,
  ): Promise<AbandonedJobs> {
    const whose =
      'workerIds' in abandoned
        ? { workerId: { in: abandoned.workerIds } }
        : { OR: [{ heartbeatAt: { lt: abandoned.staleBefore } }, { heartbeatAt: null }] };
    const finishedAt = new Date();
    const fail = (errorMessage: string) => ({
      where: { status: 'running' as JobStatus, ...whose },
      data: { status: 'failed' as JobStatus, errorMessage, finishedAt },
    });
    const failRestore = (strategy: RestoreStrategy | null) => {
      const update = fail(messages.runningRestore[strategy ?? 'none']);
      return this.prisma.restore.updateManyAndReturn({ ...update, where: { ...update.where, strategy } });
    };
    // Returned, so whoever failed them tells (finish entry, notification), cleans up (upload) and retries.
    const [backups, ...restores] = await this.prisma.$transaction([
      this.prisma.backup.updateManyAndReturn(fail(messages.backup)),
      ...[null, ...Object.values(RestoreStrategy)].map(failRestore),
    ]);
    return { backups, restores: restores.flat() };
  }

  /**
   * Starts a pending backup: pending → running, owned by `workerId`, in one transaction that
   * holds the tenant's advisory lock, so that across all workers at most `tenantLimit` backups
   * of one tenant run at once. `gone`: another worker started it, or it is no longer pending.
   */
  async claimToRun(
    id: string,
    workerId: string,
    startedAt: Date,
    tenantLimit: number,
  ): Promise<'claimed' | 'gone' | 'tenant_busy'> {
    return this.prisma.$transaction(async (tx) => {
      const backup = await tx.backup.findUnique({ where: { id }, select: { status: true, tenantId: true } });
      if (backup?.status !== 'pending') return 'gone';
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dumpstation-tenant-backups'), hashtext(${backup.tenantId}))`;
      const running = await tx.backup.count({ where: { tenantId: backup.tenantId, status: 'running' } });
      if (running >= tenantLimit) return 'tenant_busy';
      const { count } = await tx.backup.updateMany({
        where: { id, status: 'pending' },
        data: { status: 'running', workerId, startedAt, heartbeatAt: startedAt },
      });
      return count === 1 ? 'claimed' : 'gone';
    });
  }

  /** Starts a pending restore (pending → running, owned by `workerId`); false when it is not pending. */
  async claimRestore(id: string, workerId: string, startedAt: Date): Promise<boolean> {
    const { count } = await this.prisma.restore.updateMany({
      where: { id, status: 'pending' },
      data: { status: 'running', workerId, startedAt, heartbeatAt: startedAt },
    });
    return count === 1;
  }

  /**
   * The retry of a failed backup: a new pending row, attempt + 1. Null when it was retried
   * already (the unique retry_of_id: two processes that fail the same job retry it once).
   */
  async createRetry(failed: Backup, name: string): Promise<Backup | null> {
    const now = new Date();
    try {
      return await this.prisma.backup.create({
        data: {
          tenantId: failed.tenantId,
          databaseId: failed.databaseId,
          storageId: failed.storageId,
          triggeredById: failed.triggeredById,
          trigger: failed.trigger,
          name,
          attempt: failed.attempt + 1,
          retryOfId: failed.id,
          createdAt: now,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /**
   * Pending backups and restores older than `before` with no waiting or active job in the queue
   * (their process stopped between recording the row and queueing it): queued again by the
   * supervisor. Reads pg-boss's job table (schema pgboss): the one place that knows its layout.
   */
  async pendingWithoutJob(before: Date): Promise<{ backups: string[]; restores: string[] }> {
    const orphans = (table: 'backups' | 'restores', queue: string, key: string) =>
      this.prisma.$queryRawUnsafe<{ id: string }[]>(
        `SELECT r.id::text AS id FROM "${table}" r
          WHERE r.status = 'pending' AND r.created_at < $1
            AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                             WHERE j.name = $2 AND j.data->>'${key}' = r.id::text AND j.state < 'completed')
          ORDER BY r.created_at LIMIT 500`,
        before,
        queue,
      );
    const [backups, restores] = await Promise.all([
      orphans('backups', 'backup', 'backupId'),
      orphans('restores', 'restore', 'restoreId'),
    ]);
    return { backups: backups.map((row) => row.id), restores: restores.map((row) => row.id) };
  }

  /** This process runs jobs and is alive (seen by GET /health). */
  async workerSeen(id: string, role: string): Promise<void> {
    const seenAt = new Date();
    await this.prisma.worker.upsert({ where: { id }, create: { id, role, seenAt }, update: { seenAt } });
    // Long gone ones are forgotten.
    await this.prisma.worker.deleteMany({ where: { seenAt: { lt: new Date(seenAt.getTime() - 86_400_000) } } });
  }

  /** The ids of every waiting backup (all tenants: one line), first in line first. */
  async waitingLine(): Promise<string[]> {
    const rows = await this.prisma.backup.findMany({
      where: { status: 'pending' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
      take: 10_000,
    });
    return rows.map((row) => row.id);
  }

  /** Storages on S3-compatible services (where unfinished multipart uploads can linger). */
  s3Storages(): Promise<Storage[]> {
    return this.prisma.storage.findMany({ where: { provider: { not: 'local' } } });
  }

  /** Upload ids that pending or running backups own (their uploads must not be aborted). */
  async liveUploadIds(): Promise<Set<string>> {
    const rows = await this.prisma.backup.findMany({
      where: { status: { in: ['pending', 'running'] }, uploadId: { not: null } },
      select: { uploadId: true },
    });
    return new Set(rows.map((row) => row.uploadId!));
  }

  /** The workers that have pending or running jobs. */
  async activeWorkerIds(): Promise<string[]> {
    const where = { status: { in: ['pending', 'running'] as JobStatus[] }, workerId: { not: null } };
    const select = { workerId: true } as const;
    const [backups, restores] = await this.prisma.$transaction([
      this.prisma.backup.findMany({ where, select, distinct: ['workerId'] }),
      this.prisma.restore.findMany({ where, select, distinct: ['workerId'] }),
    ]);
    return [...new Set([...backups, ...restores].map((row) => row.workerId!))];
  }

  findTenant(id: string): Promise<Tenant | null> {
    return this.prisma.tenant.findUnique({ where: { id } });
  }

  /** Stores the tenant's key pair unless another request stored one first; returns the winner. */
  async setTenantKeyIfMissing(id: string, identityEncrypted: string, recipient: string): Promise<Tenant> {
    await this.prisma.tenant.updateMany({
      where: { id, ageIdentityEncrypted: null },
      data: { ageIdentityEncrypted: identityEncrypted, ageRecipient: recipient },
    });
    return this.prisma.tenant.findUniqueOrThrow({ where: { id } });
  }

  async markDatabaseBackedUp(databaseId: string, at: Date): Promise<void> {
    await this.prisma.database.update({ where: { id: databaseId }, data: { lastBackupAt: at } });
  }
}
