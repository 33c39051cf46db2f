import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { roleAtLeast } from '../../common/auth/roles';
import { ApiException } from '../../common/errors/api-exception';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { SecretBox } from '../../crypto/secret-box';
import type { ApiToken } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { API_TOKEN_PREFIX } from '../auth/credentials-verifier';
import { ApiTokensRepository } from './api-tokens.repository';
import type { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';

function toDto(row: ApiToken): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    expires_at: row.expiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly activity: ActivityLogService,
  ) {}

  async create(auth: AuthContext, input: CreateApiTokenDto, meta: RequestMeta): Promise<CreatedApiTokenDto> {
    if (!roleAtLeast(auth.role, input.role)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `A token cannot have more than your role (${auth.role})`,
        [{ field: 'role', message: `role must be ${auth.role} or lower` }],
      );
    }
    const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Request validation failed', [
        { field: 'expires_at', message: 'expires_at must be in the future' },
      ]);
    }
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.tokens.create({
      tenantId: auth.tenantId,
      createdById: auth.userId,
      name: input.name,
      role: input.role,
      prefix: token.slice(0, 12),
      tokenHash: SecretBox.sha256(token),
      expiresAt,
    });
    await this.activity.recordFor(auth, meta, {
      event: 'api_token.create',
      resourceType: 'ApiToken',
      resourceId: row.id,
      details: { name: row.name, role: row.role },
    });
    return { ...toDto(row), token };
  }

  async list(auth: AuthContext, query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.tokens.listForTenant(auth.tenantId, skip, take);
    return pageOf(rows.map(toDto), total, query);
  }

  async revoke(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const row = await this.tokens.findInTenant(id, auth.tenantId);
    if (!row) throw new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'API token not found');
    if (!row.revokedAt) await this.tokens.revoke(id);
    await this.activity.recordFor(auth, meta, {
      event: 'api_token.revoke',
      resourceType: 'ApiToken',
      resourceId: id,
      details: { name: row.name },
    });
  }
}
