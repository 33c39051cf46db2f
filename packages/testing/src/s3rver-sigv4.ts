import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
// s3rver has no type declarations: its error class (S3's XML errors) and its key registry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require('s3rver/lib/models/error') as new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registry } = require('s3rver/lib/models/account') as {
  registry: Map<string, { accessKeys: Map<string, string> }>;
};

interface SignedContext {
  method: string;
  originalUrl: string;
  headers: IncomingHttpHeaders;
}
type Middleware = (ctx: SignedContext, next: () => Promise<void>) => Promise<void>;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding, as SigV4 wants it. */
const escape = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: string | Buffer, value: string) => createHmac('sha256', key).update(value).digest();

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [key, value = ''] = pair.split(/=(.*)/s, 2);
      return [escape(decodeURIComponent(key)), escape(decodeURIComponent(value))];
    })
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : 1) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
}

/** The signature a client holding `secret` must have sent (AWS Signature Version 4, S3 flavour: path not re-encoded). */
function expectedSignature(ctx: SignedContext, secret: string, match: RegExpExecArray): string {
  const [, , date, region, service, signedHeaders] = match;
  const [path, query = ''] = ctx.originalUrl.split(/\?(.*)/s, 2);
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${headerValue(ctx.headers, name)}\n`)
    .join('');
  const payloadHash = headerValue(ctx.headers, 'x-amz-content-sha256') || 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [ctx.method, path, canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    headerValue(ctx.headers, 'x-amz-date'),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
}

/**
 * s3rver 3.7 checks only the access key ID of a SigV4 request, never its signature, so a
 * wrong secret key would pass. This middleware verifies Authorization-header signatures
 * against s3rver's own key registry and answers SignatureDoesNotMatch (403) like S3 does.
 * Unknown key IDs and other auth schemes are left to s3rver.
 */
export function sigV4Middleware(): Middleware {
  return async (ctx, next) => {
    const match = AUTHORIZATION.exec(headerValue(ctx.headers, 'authorization'));
    const accessKeyId = match?.[1];
    const secret = accessKeyId ? registry.get(accessKeyId)?.accessKeys.get(accessKeyId) : undefined;
    if (match && accessKeyId && secret !== undefined && expectedSignature(ctx, secret, match) !== match[6]) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: accessKeyId },
      );
    }
    await next();
  };
}
