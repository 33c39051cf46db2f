import { Injectable, Logger } from '@nestjs/common';
import type { ActivityLog, LogLevel, Outcome, Prisma } from '../../generated/prisma/client';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { pageOf, skipTake, type Page } from '../../common/pagination/page';
import { ActivityLogsRepository } from './activity-logs.repository';
import type { ActivityLogDto, ActivityLogQueryDto } from './dto/activity-log.dto';

export interface ActivityEntry {
  action: string;
  outcome?: Outcome;
  level?: LogLevel;
  tenantId?: string | null;
  userId?: string | null;
  apiTokenId?: string | null;
  resourceType?: string;
  resourceId?: string;
  meta?: RequestMeta;
  details?: Prisma.InputJsonValue;
}

@Injectable()
export class ActivityLogService {
  private readonly logger = new Logger(ActivityLogService.name);

  constructor(private readonly repository: ActivityLogsRepository) {}

  /** Records who did what; never fails the action it describes (a failure is logged instead). */
  async record(entry: ActivityEntry): Promise<void> {
    try {
      await this.repository.create({
        action: entry.action,
        outcome: entry.outcome ?? 'success',
        level: entry.level ?? (entry.outcome === 'failure' ? 'warn' : 'info'),
        tenantId: entry.tenantId ?? null,
        userId: entry.userId ?? null,
        apiTokenId: entry.apiTokenId ?? null,
        resourceType: entry.resourceType ?? null,
        resourceId: entry.resourceId ?? null,
        ip: entry.meta?.ip ?? null,
        userAgent: entry.meta?.userAgent ?? null,
        details: entry.details,
      });
    } catch (error) {
      this.logger.error({ err: error, action: entry.action }, 'Could not write an activity log entry');
    }
  }

  /** Shorthand for an action by an authenticated caller. */
  recordFor(
    auth: AuthContext,
    meta: RequestMeta,
    entry: Omit<ActivityEntry, 'tenantId' | 'userId' | 'apiTokenId' | 'meta'>,
  ) {
    return this.record({ ...entry, tenantId: auth.tenantId, userId: auth.userId, apiTokenId: auth.apiTokenId, meta });
  }

  async list(auth: AuthContext, query: ActivityLogQueryDto): Promise<Page<ActivityLogDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.repository.list(
      {
        // The tenant's own entries, and account-level ones (sign-in attempts) of its members.
        OR: [
          { tenantId: auth.tenantId },
          { tenantId: null, user: { memberships: { some: { tenantId: auth.tenantId } } } },
        ],
        ...(query.action ? { action: query.action } : {}),
        ...(query.level ? { level: query.level } : {}),
        ...(query.resource_type ? { resourceType: query.resource_type } : {}),
      },
      skip,
      take,
    );
    return pageOf(rows.map(toDto), total, query);
  }
}

function toDto(row: ActivityLog): ActivityLogDto {
  return {
    id: row.id,
    action: row.action,
    level: row.level,
    outcome: row.outcome,
    user_id: row.userId,
    api_token_id: row.apiTokenId,
    resource_type: row.resourceType,
    resource_id: row.resourceId,
    ip: row.ip,
    details: (row.details as Record<string, unknown> | null) ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
