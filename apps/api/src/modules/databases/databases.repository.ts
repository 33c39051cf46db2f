import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Database, Prisma } from '../../generated/prisma/client';

@Injectable()
export class DatabasesRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.DatabaseUncheckedCreateInput): Promise<Database> {
    return this.prisma.database.create({ data });
  }

  listForTenant(tenantId: string, skip: number, take: number): Promise<[Database[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.database.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, skip, take }),
      this.prisma.database.count({ where: { tenantId } }),
    ]);
  }

  findInTenant(id: string, tenantId: string): Promise<Database | null> {
    return this.prisma.database.findFirst({ where: { id, tenantId } });
  }

  update(id: string, data: Prisma.DatabaseUncheckedUpdateInput): Promise<Database> {
    return this.prisma.database.update({ where: { id }, data });
  }

  async storageInTenant(storageId: string, tenantId: string): Promise<boolean> {
    return (await this.prisma.storage.count({ where: { id: storageId, tenantId } })) > 0;
  }

  async notificationInTenant(notificationId: string, tenantId: string): Promise<boolean> {
    return (await this.prisma.notification.count({ where: { id: notificationId, tenantId } })) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.prisma.database.delete({ where: { id } });
  }
}
