import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import type { AuthContext } from '../../common/auth/auth-context';
import { roleAtLeast, type Role } from '../../common/auth/roles';
import { ApiException } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { ApiTokensRepository } from '../api-tokens/api-tokens.repository';
import { MembershipsRepository } from '../tenants/memberships.repository';

/** The lowest role that may download a backup: the same rule as GET /backups/{id}/download. */
export const DOWNLOAD_ROLE: Role = 'operator';

/** What a download link's token carries, signed: one backup, for one user in one tenant. */
interface DownloadClaims {
  typ: 'download';
  sub: string;
  tid: string;
  /** The backup the link is for. */
  bid: string;
  /** The API token that asked for the link, when one did. */
  tok?: string;
}

const refused = (status: HttpStatus, message: string) => new ApiException(status, 'DOWNLOAD_LINK_INVALID', message);

/**
 * Short-lived, single-purpose download links: an HS256 token (its key derived from
 * APP_ENCRYPTION_KEY for this purpose alone, so no access token is ever one) naming the backup,
 * the user and the tenant, valid DOWNLOAD_LINK_EXPIRATION_SECONDS. The browser follows the link
 * without an Authorization header and downloads natively; the token is checked again at use: the
 * user must still be a member with the role, and an API token that asked for it still valid.
 */
@Injectable()
export class DownloadLinks {
  private readonly jwt: JwtService;

  constructor(
    private readonly config: AppConfig,
    secrets: SecretBox,
    private readonly memberships: MembershipsRepository,
    private readonly apiTokens: ApiTokensRepository,
  ) {
    this.jwt = new JwtService({
      secret: secrets.derive('dumpstation/download-link'),
      signOptions: { algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  /** A token for `backupId` (already checked to be the caller's tenant's, and downloadable). */
  async issue(auth: AuthContext, backupId: string): Promise<{ token: string; expiresAt: Date }> {
    const seconds = this.config.env.DOWNLOAD_LINK_EXPIRATION_SECONDS;
    const claims: DownloadClaims = {
      typ: 'download',
      sub: auth.userId,
      tid: auth.tenantId,
      bid: backupId,
      ...(auth.apiTokenId ? { tok: auth.apiTokenId } : {}),
    };
    const token = await this.jwt.signAsync(claims, { expiresIn: seconds });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Who the link was made for, as they are now; refused (401/403) when it is not good for `backupId`. */
  async redeem(token: string, backupId: string): Promise<AuthContext> {
    let claims: DownloadClaims;
    try {
      claims = await this.jwt.verifyAsync<DownloadClaims>(token);
    } catch (error) {
      throw error instanceof TokenExpiredError
        ? refused(HttpStatus.UNAUTHORIZED, 'This download link has expired: ask for a new one')
        : refused(HttpStatus.UNAUTHORIZED, 'This download link is not valid');
    }
    if (claims.typ !== 'download' || !claims.sub || !claims.tid || !claims.bid) {
      throw refused(HttpStatus.UNAUTHORIZED, 'This download link is not valid');
    }
    if (claims.bid !== backupId) throw refused(HttpStatus.FORBIDDEN, 'This download link is for another backup');
    const membership = await this.memberships.find(claims.sub, claims.tid);
    if (!membership) throw refused(HttpStatus.FORBIDDEN, 'You are no longer a member of the tenant of this backup');
    let role = membership.role;
    if (claims.tok) {
      const apiToken = await this.apiTokens.findInTenant(claims.tok, claims.tid);
      if (!apiToken || apiToken.revokedAt || (apiToken.expiresAt && apiToken.expiresAt <= new Date())) {
        throw refused(HttpStatus.FORBIDDEN, 'The API token that asked for this download link is no longer valid');
      }
      // As the token did: never above its creator as they are now.
      role = roleAtLeast(membership.role, apiToken.role) ? apiToken.role : membership.role;
    }
    if (!roleAtLeast(role, DOWNLOAD_ROLE)) {
      throw refused(HttpStatus.FORBIDDEN, `Downloading needs role ${DOWNLOAD_ROLE} or higher; you are ${role}`);
    }
    return {
      userId: claims.sub,
      tenantId: claims.tid,
      role,
      isInstanceAdmin: claims.tok ? false : membership.user.isInstanceAdmin,
      apiTokenId: claims.tok ?? null,
    };
  }
}
