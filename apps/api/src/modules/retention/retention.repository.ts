import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config';
import type { Backup, Database, Storage } from '../../generated/prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

/** Key of the advisory lock the periodic run holds (one process of the cluster at a time). */
const CLUSTER_LOCK_KEY = 0x7e7e_0012;
/** A claim older than this belongs to a run that died: another run may take the backup over. */
const CLAIM_TTL_MS = 10 * 60_000;

export type DatabaseWithStorage = Database & { storage: Storage };

@Injectable()
export class RetentionRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  findDatabase(id: string): Promise<DatabaseWithStorage | null> {
    return this.prisma.database.findUnique({ where: { id }, include: { storage: true } });
  }

  /** Databases with a policy, or with a removal still to retry. */
  databasesToRun(): Promise<{ id: string }[]> {
    return this.prisma.database.findMany({
      where: { OR: [{ rotationType: { not: null } }, { backups: { some: { deletionError: { not: null } } } }] },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Every backup of the database not yet deleted, with whether a restore is using it now. */
  async candidates(databaseId: string): Promise<(Backup & { busy: boolean })[]> {
    const rows = await this.prisma.backup.findMany({
      where: { databaseId, status: { not: 'deleted' } },
      include: { _count: { select: { restores: { where: { status: { in: ['pending', 'running'] } } } } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(({ _count, ...row }) => ({ ...row, busy: _count.restores > 0 }));
  }

  /** Takes the backup for this run unless another run holds it (or it stopped being a success). */
  async claim(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.backup.updateMany({
      where: {
        id,
        status: 'success',
        OR: [{ deletionClaimedAt: null }, { deletionClaimedAt: { lt: new Date(now.getTime() - CLAIM_TTL_MS) } }],
      },
      data: { deletionClaimedAt: now },
    });
    return count === 1;
  }

  /** Whether a restore started using the backup since the plan was made (then it stays this time). */
  async inUse(id: string): Promise<boolean> {
    return (await this.prisma.restore.count({ where: { backupId: id, status: { in: ['pending', 'running'] } } })) > 0;
  }

  markDeleted(id: string, at: Date): Promise<Backup> {
    return this.prisma.backup.update({
      where: { id },
      data: { status: 'deleted', deletedAt: at, deletionError: null, deletionClaimedAt: null },
    });
  }

  markDeletionFailed(id: string, error: string): Promise<Backup> {
    return this.prisma.backup.update({
      where: { id },
      data: { deletionError: error.slice(0, 2_000), deletionClaimedAt: null },
    });
  }

  release(id: string): Promise<unknown> {
    return this.prisma.backup.updateMany({ where: { id }, data: { deletionClaimedAt: null } });
  }

  /**
   * Runs `work` only if no other process of the cluster holds the retention lock (session-level
   * `pg_try_advisory_lock` on a connection of its own, released when `work` ends or the
   * connection dies). Returns false when another process is running it.
   */
  async withClusterLock(work: () => Promise<void>): Promise<boolean> {
    const client = new Client({ connectionString: this.config.env.DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        CLUSTER_LOCK_KEY,
      ]);
      if (!rows[0].locked) return false;
      try {
        await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [CLUSTER_LOCK_KEY]).catch(() => undefined);
      }
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
