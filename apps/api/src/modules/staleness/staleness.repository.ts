import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';

export type StalenessState = 'stale' | 'ok';

/** The notified staleness state of databases, changed only by an atomic claim. */
@Injectable()
export class StalenessRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims the change to `state`: true for exactly one caller across the cluster. `stale` is
   * claimed from any other state (WHERE staleness_notified IS DISTINCT FROM 'stale'); `ok` only
   * from `stale` (a database never notified stale has nothing to recover from).
   */
  async claim(databaseId: string, state: StalenessState, at: Date): Promise<boolean> {
    const changed =
      state === 'stale'
        ? await this.prisma.$executeRaw`
            UPDATE databases SET staleness_notified = 'stale', staleness_changed_at = ${at}
            WHERE id = ${databaseId}::uuid AND staleness_notified IS DISTINCT FROM 'stale'`
        : await this.prisma.$executeRaw`
            UPDATE databases SET staleness_notified = 'ok', staleness_changed_at = ${at}
            WHERE id = ${databaseId}::uuid AND staleness_notified = 'stale'`;
    return changed === 1;
  }

  /** Forgets a stale state without a message (the database is unscheduled now: nothing to recover to). */
  async forget(databaseId: string, at: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE databases SET staleness_notified = NULL, staleness_changed_at = ${at}
      WHERE id = ${databaseId}::uuid AND staleness_notified = 'stale'`;
  }
}
