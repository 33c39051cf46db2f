import { Injectable, Logger } from '@nestjs/common';
import type { LogLevel, Outcome, Prisma } from '../../generated/prisma/client';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { pageOf, skipTake, type Page } from '../../common/pagination/page';
import { createdBetween } from '../../common/validation/query-filters';
import { actionOf, ACTIVITY_LEVELS, levelName, type ActivityAction, type ResourceType } from './activity-kinds';
import { isDatabaseUnavailable } from '../../prisma/prisma-errors';
import { ActivityLogsRepository, type ActivityLogWithUser } from './activity-logs.repository';
import type { ActivityLogDto, ActivityLogQueryDto } from './dto/activity-log.dto';

export interface ActivityEntry {
  /** The precise event, `<resource>.<verb>` (backup.finish); its category is derived from it. */
  event: string;
  outcome?: Outcome;
  level?: LogLevel;
  tenantId?: string | null;
  userId?: string | null;
  apiTokenId?: string | null;
  resourceType?: ResourceType;
  resourceId?: string;
  /** The resource's name now, so the log still reads after a rename or deletion. */
  resourceName?: string | null;
  meta?: RequestMeta;
  details?: Prisma.InputJsonValue;
}

const RECORD_ATTEMPTS = 4;

@Injectable()
export class ActivityLogService {
  private readonly logger = new Logger(ActivityLogService.name);

  constructor(private readonly repository: ActivityLogsRepository) {}

  /**
   * Records who did what; never fails the action it describes (a failure is logged instead).
   * A lost connection (e.g. a pooled one that died with a database restart) is retried a few
   * times first, so an entry is not dropped just after the service database came back.
   */
  async record(entry: ActivityEntry): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.write(entry);
        return;
      } catch (error) {
        if (attempt < RECORD_ATTEMPTS && isDatabaseUnavailable(error)) {
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          continue;
        }
        this.logger.error({ err: error, event: entry.event }, 'Could not write an activity log entry');
        return;
      }
    }
  }

  private async write(entry: ActivityEntry): Promise<void> {
    // Sign-in events are about the user, unless the caller says otherwise.
    const aboutUser = entry.event.startsWith('auth.') && !entry.resourceType;
    await this.repository.create({
      action: actionOf(entry.event),
      event: entry.event,
      outcome: entry.outcome ?? 'success',
      level: entry.level ?? (entry.outcome === 'failure' ? 'warn' : 'info'),
      tenantId: entry.tenantId ?? null,
      userId: entry.userId ?? null,
      apiTokenId: entry.apiTokenId ?? null,
      resourceType: entry.resourceType ?? (aboutUser && entry.userId ? 'User' : null),
      resourceId: entry.resourceId ?? (aboutUser ? (entry.userId ?? null) : null),
      resourceName: entry.resourceName ?? null,
      ip: entry.meta?.ip ?? null,
      userAgent: entry.meta?.userAgent ?? null,
      details: entry.details,
    });
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
    const createdAt = createdBetween(query.from, query.to);
    const contains = query.search ? { contains: query.search, mode: 'insensitive' as const } : undefined;
    const [rows, total] = await this.repository.list(
      {
        // The tenant's own entries, and account-level ones (sign-in attempts) of its members.
        OR: [
          { tenantId: auth.tenantId },
          { tenantId: null, user: { memberships: { some: { tenantId: auth.tenantId } } } },
        ],
        ...(query.action ? { action: query.action } : {}),
        ...(query.event ? { event: query.event } : {}),
        ...(query.level ? { level: ACTIVITY_LEVELS[query.level] } : {}),
        ...(query.resource_type ? { resourceType: query.resource_type } : {}),
        ...(query.user_id ? { userId: query.user_id } : {}),
        ...(createdAt ? { createdAt } : {}),
        ...(contains
          ? {
              AND: [
                {
                  OR: [{ resourceName: contains }, { event: contains }, { user: { username: contains } }],
                },
              ],
            }
          : {}),
      },
      skip,
      take,
    );
    return pageOf(rows.map(toDto), total, query);
  }
}

function toDto(row: ActivityLogWithUser): ActivityLogDto {
  return {
    id: row.id,
    action: row.action as ActivityAction,
    event: row.event,
    level: levelName(row.level),
    outcome: row.outcome,
    user_id: row.userId,
    user_name: row.user?.username ?? null,
    api_token_id: row.apiTokenId,
    resource_type: row.resourceType as ResourceType | null,
    resource_id: row.resourceId,
    resource_name: row.resourceName,
    ip: row.ip,
    details: (row.details as Record<string, unknown> | null) ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
