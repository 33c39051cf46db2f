import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/errors/api-exception';
import type { RequestMeta } from '../../common/auth/auth-context';
import { SecretBox } from '../../crypto/secret-box';
import type { User } from '../../generated/prisma/client';
import { MembershipsRepository } from '../tenants/memberships.repository';
import { toUserDto } from '../users/user.mapper';
import type { AccessTokenClaims } from './credentials-verifier';
import { RefreshTokensRepository } from './auth.repositories';
import { SessionRevocations } from './session-revocations';
import type { SessionDto, TenantSummaryDto } from './dto/auth.dto';

const REFRESH_PREFIX = 'dsr_';

/** Issues access JWTs with rotating refresh tokens; a reused refresh token revokes its family. */
@Injectable()
export class SessionService {
  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly memberships: MembershipsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly revocations: SessionRevocations,
  ) {}

  /** A session for `user` in `tenantId` (or their first tenant). 404 if they are not a member there. */
  async open(
    user: User,
    tenantId: string | undefined,
    meta: RequestMeta,
    familyId: string = randomUUID(),
  ): Promise<SessionDto> {
    const memberships = await this.memberships.listForUser(user.id);
    const tenants: TenantSummaryDto[] = memberships.map((m) => ({
      id: m.tenant.id,
      name: m.tenant.name,
      slug: m.tenant.slug,
      role: m.role,
    }));
    const tenant = tenantId ? tenants.find((t) => t.id === tenantId) : tenants[0];
    if (!tenant) {
      throw tenantId
        ? new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Tenant not found')
        : new ApiException(HttpStatus.FORBIDDEN, 'NO_TENANT', 'This account belongs to no tenant yet');
    }
    const expiresIn = this.config.env.JWT_EXPIRATION_MINUTES * 60;
    // `sid` ties the access token to its session, so ending the session ends the token too.
    const claims: AccessTokenClaims = { sub: user.id, tid: tenant.id, sid: familyId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn, jwtid: randomUUID() });
    const refreshToken = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
    const refreshExpiresAt = new Date(Date.now() + this.config.env.REFRESH_TOKEN_EXPIRATION_DAYS * 86_400_000);
    await this.refreshTokens.create({
      userId: user.id,
      tenantId: tenant.id,
      familyId,
      tokenHash: SecretBox.sha256(refreshToken),
      expiresAt: refreshExpiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
      refresh_expires_at: refreshExpiresAt.toISOString(),
      user: toUserDto(user),
      tenant,
      tenants,
    };
  }

  /** Exchanges a refresh token for a new pair. Reusing a rotated token revokes every token of its family. */
  async refresh(
    refreshToken: string,
    meta: RequestMeta,
    loadUser: (id: string) => Promise<User | null>,
  ): Promise<SessionDto> {
    const row = await this.refreshTokens.findByHash(SecretBox.sha256(refreshToken));
    const invalid = new ApiException(HttpStatus.UNAUTHORIZED, 'INVALID_TOKEN', 'Invalid or expired refresh token');
    if (!row) throw invalid;
    if (row.revokedAt || !(await this.refreshTokens.revokeIfLive(row.id, null))) {
      // Someone presented a token that was already exchanged: assume it was stolen.
      await this.endSession(row.familyId);
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'REFRESH_TOKEN_REUSED',
        'This refresh token was already used; every session of its family is now revoked',
      );
    }
    if (row.expiresAt <= new Date()) throw invalid;
    const user = await loadUser(row.userId);
    if (!user) throw invalid;
    return this.open(user, row.tenantId, meta, row.familyId);
  }

  /** Ends the session the refresh token belongs to (its whole family); returns whose it was. */
  async revoke(refreshToken: string): Promise<{ userId: string; tenantId: string } | null> {
    const row = await this.refreshTokens.findByHash(SecretBox.sha256(refreshToken));
    if (!row) return null;
    await this.endSession(row.familyId);
    return { userId: row.userId, tenantId: row.tenantId };
  }

  /** Revokes a family's refresh tokens and, through its `sid`, the access tokens issued with them. */
  private async endSession(familyId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(familyId);
    await this.revocations.revoke(familyId);
  }
}
