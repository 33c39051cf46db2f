import { ObjectStoreError } from './object-store';

/** What the AWS SDK and Node's network stack put on their errors. */
interface ErrorFields {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
  errors?: unknown;
}

export interface S3Target {
  bucket: string;
  /** Shown in network errors, e.g. http://127.0.0.1:9000. */
  endpoint: string;
  key?: string;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  TimeoutError: 'timed out',
  RequestTimeout: 'timed out',
};

const IN_TEXT = new RegExp(`\\b(${Object.keys(NETWORK_CODES).join('|')})\\b`);

const AUTH_MESSAGES: Record<string, string> = {
  InvalidAccessKeyId: 'Access denied: the access key is not known; check the access key and secret key',
  SignatureDoesNotMatch: 'Access denied: check the access key and secret key',
  InvalidToken: 'Access denied: check the access key and secret key',
  ExpiredToken: 'Access denied: the credentials have expired',
};

function fieldsOf(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

/** The first Node error code (ECONNREFUSED…) found on the error, its causes, or an AggregateError's members. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const { code, name, message, cause, errors } = fieldsOf(error);
  for (const candidate of [code, name]) {
    if (typeof candidate === 'string' && candidate in NETWORK_CODES) return candidate;
  }
  // The SDK's retry layer can replace a Node error by "AWS SDK error wrapper for Error: connect
  // ECONNREFUSED …" (it does when the error comes from another realm, as under Jest): only the text is left.
  if (typeof message === 'string') {
    if (message.includes('socket hang up')) return 'ECONNRESET';
    const known = IN_TEXT.exec(message)?.[1];
    if (known) return known;
  }
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT'))) return code;
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = inner === undefined ? undefined : networkCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Classifies an S3 SDK failure and words it for the person who configured the storage. */
export function toObjectStoreError(error: unknown, target: S3Target): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const fields = fieldsOf(error);
  const name = typeof fields.name === 'string' ? fields.name : '';
  const status = fields.$metadata?.httpStatusCode;
  const detail = typeof fields.message === 'string' ? fields.message : String(error);
  const cause = { cause: error };

  if (name === 'AbortError') return new ObjectStoreError('other', 'Cancelled', cause);
  if (name in AUTH_MESSAGES) return new ObjectStoreError('auth', AUTH_MESSAGES[name], cause);
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return new ObjectStoreError(
      'auth',
      `Access denied to bucket '${target.bucket}': check the access key, secret key and the key's permissions`,
      cause,
    );
  }
  if (name === 'NoSuchBucket')
    return new ObjectStoreError('bucket_missing', `Bucket '${target.bucket}' does not exist`, cause);
  if (name === 'NoSuchUpload') {
    return new ObjectStoreError('other', 'The multipart upload no longer exists (aborted or expired)', cause);
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    const what = target.key ? `Object '${target.key}'` : 'The object';
    return new ObjectStoreError('not_found', `${what} does not exist in bucket '${target.bucket}'`, cause);
  }
  const code = networkCode(error);
  if (code) {
    const reason = NETWORK_CODES[code] ?? `TLS problem (${detail})`;
    return new ObjectStoreError('network', `Cannot reach ${target.endpoint}: ${reason}`, cause);
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
    return new ObjectStoreError(
      'other',
      `Bucket '${target.bucket}' is in another region: check the region (${detail})`,
      cause,
    );
  }
  const http = status ? ` (HTTP ${status})` : '';
  return new ObjectStoreError('other', `Storage error${http}: ${name ? `${name}: ` : ''}${detail}`, cause);
}
