import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiException } from '../../common/errors/api-exception';
import type { AuthContext } from '../../common/auth/auth-context';
import { roleAtLeast } from '../../common/auth/roles';
import { SecretBox } from '../../crypto/secret-box';
import { ApiTokensRepository } from '../api-tokens/api-tokens.repository';
import { MembershipsRepository } from '../tenants/memberships.repository';
import { SessionRevocations } from './session-revocations';

export const API_TOKEN_PREFIX = 'dst_';
/** last_used_at of an API token is at most this old while the token is in use (see ApiTokenDto). */
export const API_TOKEN_LAST_USED_GRANULARITY_MS = 60_000;

export interface AccessTokenClaims {
  sub: string;
  tid: string;
  /** The session (refresh-token family) the token belongs to. */
  sid: string;
  typ: 'access';
}

const invalid = (message: string) => new ApiException(HttpStatus.UNAUTHORIZED, 'INVALID_TOKEN', message);

/** Turns a bearer credential (session JWT or API token) into who the caller is, or a 401. */
@Injectable()
export class CredentialsVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly memberships: MembershipsRepository,
    private readonly apiTokens: ApiTokensRepository,
    private readonly revocations: SessionRevocations,
  ) {}

  /** API token id → its last_used_at update in flight. */
  private readonly touching = new Map<string, Promise<void>>();

  verify(credential: string): Promise<AuthContext> {
    return credential.startsWith(API_TOKEN_PREFIX) ? this.verifyApiToken(credential) : this.verifyJwt(credential);
  }

  private async verifyJwt(token: string): Promise<AuthContext> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw invalid('Invalid or expired access token');
    }
    if (claims.typ !== 'access' || !claims.sub || !claims.tid || !claims.sid) throw invalid('Invalid access token');
    if (await this.revocations.isRevoked(claims.sid)) throw invalid('This session has ended: sign in again');
    // The role is read now, not from the token: a changed role or a removal applies at once.
    const membership = await this.memberships.find(claims.sub, claims.tid);
    if (!membership) throw invalid('You are no longer a member of this tenant');
    return {
      userId: claims.sub,
      tenantId: claims.tid,
      role: membership.role,
      isInstanceAdmin: membership.user.isInstanceAdmin,
      apiTokenId: null,
    };
  }

  private async verifyApiToken(token: string): Promise<AuthContext> {
    // Read on every request, never cached: a revocation, removal or demotion applies to the next one.
    const row = await this.apiTokens.findForAuth(SecretBox.sha256(token));
    if (!row || row.revokedAt) throw invalid('Invalid or revoked API token');
    const now = new Date();
    if (row.expiresAt && row.expiresAt <= now) throw invalid('This API token has expired');
    if (!row.createdById) throw invalid('The user who created this API token no longer exists');
    // A token never outranks its creator as they are now: demoted or removed creators take it down with them.
    const creatorRole = row.creatorRole;
    if (!creatorRole) throw invalid('The user who created this API token is no longer a member of its tenant');
    await this.touchApiToken(row.id, row.lastUsedAt, now);
    // API tokens act within their tenant only, never as the instance admin.
    return {
      userId: row.createdById,
      tenantId: row.tenantId,
      role: roleAtLeast(creatorRole, row.role) ? row.role : creatorRole,
      isInstanceAdmin: false,
      apiTokenId: row.id,
    };
  }

  /**
   * last_used_at with a granularity of API_TOKEN_LAST_USED_GRANULARITY_MS: written on the first use and
   * then at most once per interval per token (a write on every request serialized all of a token's
   * requests on its row lock and a WAL flush). Concurrent requests of this process that read the same
   * old value share one update instead of each sending it.
   */
  private touchApiToken(id: string, lastUsedAt: Date | null, now: Date): Promise<void> {
    const staleBefore = new Date(now.getTime() - API_TOKEN_LAST_USED_GRANULARITY_MS);
    if (lastUsedAt && lastUsedAt >= staleBefore) return Promise.resolve();
    let pending = this.touching.get(id);
    if (!pending) {
      pending = this.apiTokens.touch(id, now, staleBefore).finally(() => this.touching.delete(id));
      this.touching.set(id, pending);
    }
    return pending;
  }
}
