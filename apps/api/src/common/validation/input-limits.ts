import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedException } from '../errors/api-exception';
import type { FieldErrorDto } from '../errors/error-response.dto';

/** Deepest nesting a JSON body may have; our deepest DTO is 3 levels (restore → target → field). */
export const MAX_JSON_DEPTH = 32;

/** Keys that could reach an object's prototype once copied around (class-transformer, spreads). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `target.port`, `schemas.0`: the dotted path the validation errors use too. */
const join = (parent: string, key: string | number) => (parent ? `${parent}.${key}` : String(key));

/**
 * Walks a parsed body or query with an explicit stack (no recursion: a deep input cannot overflow
 * the call stack) and returns the first problem: too deep, a NUL character (PostgreSQL text cannot
 * hold one), or a prototype key.
 */
export function findInputProblem(value: unknown, root: string): FieldErrorDto | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    const field = path || root;
    if (typeof current === 'string') {
      if (current.includes('\0')) return { field, message: `${field} must not contain NUL (\\u0000) characters` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      // Named by its top-level field: the full path would be MAX_JSON_DEPTH segments long.
      const top = (!Array.isArray(value) && path.split('.')[0]) || root;
      return { field: top, message: `${top} is nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((item, index) => [index, item])
      : Object.keys(current).map((key) => [key, (current as Record<string, unknown>)[key]]);
    for (const [key, item] of entries) {
      const child = join(path, key);
      if (typeof key === 'string') {
        if (FORBIDDEN_KEYS.has(key)) return { field: child, message: `${key} is not allowed as a property name` };
        if (key.includes('\0')) return { field: root, message: 'property names must not contain NUL (\\u0000)' };
      }
      stack.push({ value: item, path: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Runs after the JSON parser, before any route: refuses, with 400 naming the field, input that
 * would otherwise reach class-transformer, Prisma or PostgreSQL and fail there as a 500.
 */
export function refuseMalformedInput(req: Request, _res: Response, next: NextFunction): void {
  const rawPath = req.originalUrl.split('?')[0];
  if (/%00/i.test(rawPath) || rawPath.includes('\0')) {
    return next(new ValidationFailedException([{ field: 'path', message: 'path must not contain NUL (%00)' }]));
  }
  const problem =
    findInputProblem(req.query as unknown, 'query') ??
    (req.body === undefined ? undefined : findInputProblem(req.body, 'body'));
  if (problem) return next(new ValidationFailedException([problem]));
  next();
}
