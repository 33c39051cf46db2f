import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Prisma, Storage } from '../../generated/prisma/client';

@Injectable()
export class StorageRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.StorageUncheckedCreateInput): Promise<Storage> {
    return this.prisma.storage.create({ data });
  }

  listForTenant(tenantId: string, skip: number, take: number): Promise<[Storage[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.storage.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, skip, take }),
      this.prisma.storage.count({ where: { tenantId } }),
    ]);
  }

  findInTenant(id: string, tenantId: string): Promise<Storage | null> {
    return this.prisma.storage.findFirst({ where: { id, tenantId } });
  }

  update(id: string, data: Prisma.StorageUncheckedUpdateInput): Promise<Storage> {
    return this.prisma.storage.update({ where: { id }, data });
  }

  /** How many databases send their dumps here, and how many backups are kept here. */
  async usage(id: string): Promise<{ databases: number; backups: number }> {
    const [databases, backups] = await this.prisma.$transaction([
      this.prisma.database.count({ where: { storageId: id } }),
      this.prisma.backup.count({ where: { storageId: id } }),
    ]);
    return { databases, backups };
  }

  async delete(id: string): Promise<void> {
    await this.prisma.storage.delete({ where: { id } });
  }
}
