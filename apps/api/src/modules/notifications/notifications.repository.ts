import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Notification, Prisma } from '../../generated/prisma/client';

@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Prisma.NotificationUncheckedCreateInput): Promise<Notification> {
    return this.prisma.notification.create({ data });
  }

  listForTenant(tenantId: string, skip: number, take: number): Promise<[Notification[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.notification.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, skip, take }),
      this.prisma.notification.count({ where: { tenantId } }),
    ]);
  }

  findInTenant(id: string, tenantId: string): Promise<Notification | null> {
    return this.prisma.notification.findFirst({ where: { id, tenantId } });
  }

  findByName(tenantId: string, name: string): Promise<Notification | null> {
    return this.prisma.notification.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  update(id: string, data: Prisma.NotificationUncheckedUpdateInput): Promise<Notification> {
    return this.prisma.notification.update({ where: { id }, data });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.notification.delete({ where: { id } });
  }
}
