import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { Role } from '../auth/roles';

export const ACCESS_RULE = 'dumpstation:access';

/**
 * Who may call a route: anyone, any member with at least `role`, or the instance admin.
 * `sessionOnly` routes refuse API tokens: what a token could do there (open a session, change
 * where sign-in codes go, mint tokens) would outlive or outrank the token.
 */
export type AccessRule =
  { public: true } | { role: Role; sessionOnly: boolean } | { instanceAdmin: true; sessionOnly: boolean };

export interface EndpointOptions {
  summary: string;
  description?: string;
  /** Reachable without credentials. */
  public?: boolean;
  /** Lowest tenant role allowed (default viewer: any member). */
  role?: Role;
  /** Only the instance admin. */
  instanceAdmin?: boolean;
  /** Needs a signed-in user's session; API tokens get 403 SESSION_REQUIRED. */
  sessionOnly?: boolean;
  /** Error statuses this route can answer besides 401/403/500, documented with the common error shape. */
  errors?: number[];
}

export function accessRuleOf(options: EndpointOptions): AccessRule {
  if (options.public) return { public: true };
  const sessionOnly = options.sessionOnly ?? false;
  if (options.instanceAdmin) return { instanceAdmin: true, sessionOnly };
  return { role: options.role ?? 'viewer', sessionOnly };
}

/**
 * One decorator per route: Swagger summary, access rule and documented error responses in one
 * place. The rule is also published as `x-required-role`, which the role-matrix test reads.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const rule = accessRuleOf(options);
  const required = 'public' in rule ? 'public' : 'instanceAdmin' in rule ? 'instance-admin' : rule.role;
  const errors = new Set([...(options.errors ?? []), 500]);
  if (!('public' in rule)) [401, 403].forEach((status) => errors.add(status));
  const sessionOnly = !('public' in rule) && rule.sessionOnly;
  const access = [
    required === 'public'
      ? 'Public.'
      : required === 'instance-admin'
        ? 'Requires the instance admin.'
        : `Requires role **${required}** or higher in the current tenant.`,
    sessionOnly ? 'Needs a signed-in user session: API tokens are refused (403 `SESSION_REQUIRED`).' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: [options.description, access].filter(Boolean).join('\n\n') }),
    SetMetadata(ACCESS_RULE, rule),
    ApiExtension('x-required-role', required),
    ...(sessionOnly ? [ApiExtension('x-session-only', true)] : []),
    ...('public' in rule ? [] : [ApiBearerAuth()]),
    ...[...errors]
      .sort()
      .map((status) => ApiResponse({ status, type: ErrorResponseDto, description: `Error (${status})` })),
  );
}
