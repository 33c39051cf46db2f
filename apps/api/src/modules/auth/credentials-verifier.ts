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
    const row = await this.apiTokens.findByHash(SecretBox.sha256(token));
    if (!row || row.revokedAt) throw invalid('Invalid or revoked API token');
    if (row.expiresAt && row.expiresAt <= new Date()) throw invalid('This API token has expired');
    if (!row.createdById) throw invalid('The user who created this API token no longer exists');
    // A token never outranks its creator as they are now: demoted or removed creators take it down with them.
    const creator = await this.memberships.find(row.createdById, row.tenantId);
    if (!creator) throw invalid('The user who created this API token is no longer a member of its tenant');
    await this.apiTokens.touch(row.id);
    // API tokens act within their tenant only, never as the instance admin.
    return {
      userId: row.createdById,
      tenantId: row.tenantId,
      role: roleAtLeast(creator.role, row.role) ? row.role : creator.role,
      isInstanceAdmin: false,
      apiTokenId: row.id,
    };
  }
}
