import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Backup, Database, JobStatus, Prisma, Restore, Storage, Tenant } from '../../generated/prisma/client';

export type BackupWithSources = Backup & { database: Database; storage: Storage };

@Injectable()
export class BackupsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.BackupUncheckedCreateInput): Promise<Backup> {
    return this.prisma.backup.create({ data });
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
    return this.prisma.$transaction([
      this.prisma.backup.findMany({ where, orderBy: { createdAt: 'desc' }, skip, take }),
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

  findRestoreInTenant(id: string, tenantId: string): Promise<Restore | null> {
    return this.prisma.restore.findFirst({ where: { id, tenantId } });
  }

  findRestore(id: string): Promise<(Restore & { backup: BackupWithSources }) | null> {
    return this.prisma.restore.findUnique({
      where: { id },
      include: { backup: { include: { database: true, storage: true } } },
    });
  }

  async activeRestores(backupId: string): Promise<number> {
    return this.prisma.restore.count({ where: { backupId, status: { in: ['pending', 'running'] } } });
  }

  /** Proof of life for this worker's jobs: a job whose heartbeat stops is failed by the sweeper. */
  async heartbeat(workerId: string): Promise<void> {
    const now = new Date();
    const active = { workerId, status: { in: ['pending', 'running'] as JobStatus[] } };
    await this.prisma.$transaction([
      this.prisma.backup.updateMany({ where: active, data: { heartbeatAt: now } }),
      this.prisma.restore.updateMany({ where: active, data: { heartbeatAt: now } }),
    ]);
  }

  /** Fails jobs whose worker stopped proving it is alive (a crash or restart mid-job). */
  async failAbandoned(staleBefore: Date, message: string): Promise<number> {
    const stale = {
      status: { in: ['pending', 'running'] as JobStatus[] },
      OR: [{ heartbeatAt: { lt: staleBefore } }, { heartbeatAt: null }],
    };
    const data = { status: 'failed' as JobStatus, errorMessage: message, finishedAt: new Date() };
    const [backups, restores] = await this.prisma.$transaction([
      this.prisma.backup.updateMany({ where: stale, data }),
      this.prisma.restore.updateMany({ where: stale, data }),
    ]);
    return backups.count + restores.count;
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
