import { HttpStatus } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Application, NextFunction, Request, Response } from 'express';
import { METHODS } from 'node:http';
import { ApiException } from '../errors/api-exception';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/** The methods Express serves on `path`, as an Allow header lists them (HEAD comes with GET). */
export function allowedMethods(app: Application, path: string): string[] {
  const stack = (app as unknown as { router?: { stack: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(path)) continue;
    const own = Object.keys(layer.route.methods).filter((method) => method !== '_all');
    // Nest binds middleware (e.g. the request logger) as routes for every method: not endpoints.
    if (layer.route.methods._all || own.length >= METHODS.length) continue;
    own.forEach((method) => methods.add(method.toUpperCase()));
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * Nest's adapter with one addition: a request that no route took, on a path that exists for other
 * methods, gets 405 with an `Allow` header (in the common error shape) instead of 404. It sits
 * right before Nest's not-found handler, i.e. after every route, so it only sees unmatched requests.
 */
export class ApiExpressAdapter extends ExpressAdapter {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the base class's signature
  override setNotFoundHandler(handler: Function, prefix?: string) {
    const app = this.getInstance<Application>();
    this.use((req: Request, res: Response, next: NextFunction) => {
      const allow = allowedMethods(app, req.path);
      if (allow.length === 0 || allow.includes(req.method)) return next();
      res.setHeader('Allow', allow.join(', '));
      next(
        new ApiException(
          HttpStatus.METHOD_NOT_ALLOWED,
          'METHOD_NOT_ALLOWED',
          `${req.method} is not supported on this path; allowed: ${allow.join(', ')}`,
        ),
      );
    });
    return super.setNotFoundHandler(handler, prefix);
  }
}
