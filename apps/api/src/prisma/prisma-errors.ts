/** A unique constraint refused the write (Prisma P2002): the caller turns it into a 409 naming the field. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

/** Runs a write and maps a unique-constraint refusal to `onConflict()` (no check-then-write race). */
export async function uniquely<T>(write: () => Promise<T>, onConflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw onConflict();
    throw error;
  }
}

/** Prisma's codes for "the database is not there": cannot reach, timed out, closed, pool exhausted. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The driver adapter's kinds for the same (auth and TLS: the service's own settings cannot connect). */
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
  'AuthenticationFailed',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
]);
/** SQLSTATEs: connection exceptions (08…), shutting down or starting up (57P01–57P03), too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** Socket errors node-postgres passes on. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

type ErrorFields = {
  name?: unknown;
  clientVersion?: unknown;
  code?: unknown;
  errorCode?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** A connection failure in what Prisma or its driver adapter wrapped. */
function causeIsUnavailable(error: unknown, depth: number): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as ErrorFields;
  for (const code of [e.code, e.originalCode]) {
    if (typeof code === 'string' && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  }
  if (typeof e.kind === 'string' && UNAVAILABLE_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && /^Connection terminated/.test(e.message)) return true;
  return causeIsUnavailable(e.cause, depth + 1);
}

/**
 * True when a Prisma error says the service's own database cannot be used right now (down,
 * restarting, unreachable, refusing connections): the request is answered 503, not 500. Only
 * Prisma's errors count (the service's database is reached through Prisma alone), so a user's
 * database or a storage endpoint refusing a connection is never mistaken for it.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as ErrorFields;
  const fromPrisma =
    typeof e.clientVersion === 'string' ||
    (typeof e.name === 'string' && /^(PrismaClient|DriverAdapterError)/.test(e.name));
  if (!fromPrisma) return false;
  for (const code of [e.code, e.errorCode]) {
    if (typeof code === 'string' && UNAVAILABLE_PRISMA_CODES.has(code)) return true;
  }
  return causeIsUnavailable(e.meta?.driverAdapterError, 0) || causeIsUnavailable(e.cause, 0);
}
