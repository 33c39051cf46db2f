import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './roles';

/** Who is calling, resolved by AuthGuard from a JWT or an API token. */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: Role;
  isInstanceAdmin: boolean;
  /** Set when the caller used an API token rather than a session. */
  apiTokenId: string | null;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/** The caller of an authenticated route. */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('@Auth() used on a public route');
  return auth;
});

/** Where a request came from, for the activity log. */
export const ReqMeta = createParamDecorator((_data: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<Request>();
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
});
