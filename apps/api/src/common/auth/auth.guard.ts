import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../errors/api-exception';
import { ACCESS_RULE, type AccessRule } from '../decorators/endpoint.decorator';
import { CredentialsVerifier } from '../../modules/auth/credentials-verifier';
import type { AuthenticatedRequest } from './auth-context';
import { roleAtLeast } from './roles';

/**
 * Global guard: every route needs a valid JWT or API token unless its @Endpoint says public;
 * the role (or instance-admin) rule declared on the route is enforced here, nowhere else.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { role: 'viewer', sessionOnly: false };
    if ('public' in rule) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'UNAUTHENTICATED',
        'Authentication required: send Authorization: Bearer <token>',
      );
    }
    const auth = await this.credentials.verify(header.slice('Bearer '.length).trim());
    request.auth = auth;

    if (rule.sessionOnly && auth.apiTokenId) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        'SESSION_REQUIRED',
        'API tokens cannot do this: it needs a signed-in user session',
      );
    }
    if ('instanceAdmin' in rule && !auth.isInstanceAdmin) {
      throw new ApiException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only the instance admin may do this');
    }
    if ('role' in rule && !roleAtLeast(auth.role, rule.role)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `This needs role ${rule.role} or higher; you are ${auth.role}`,
      );
    }
    return true;
  }
}
