import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
// s3rver has no type declarations; its error class renders S3's XML error bodies.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require('s3rver/lib/models/error') as new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;

/** The part of Koa's context this middleware uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** s3rver keeps an unfinished upload in <directory>/<bucket>/._S3rver_uploads/<uploadId>/ (files: key, metadata, parts). */
const uploadsDir = (directory: string, bucket: string) => join(directory, bucket, '._S3rver_uploads');

/**
 * s3rver 3.7 answers AbortMultipartUpload with 405 and ListMultipartUploads with 501, while
 * S3, R2 and MinIO implement both and our upload cleanup relies on them. This middleware,
 * placed just before s3rver's router, adds the two over s3rver's own on-disk layout. It acts
 * only when the router rejects exactly these calls, i.e. after the router has checked the
 * signature and that the bucket exists, so both stay as strict as the rest of s3rver.
 */
export function multipartUploadsMiddleware(directory: string): KoaMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const [bucket = '', ...keyParts] = ctx.path.split('/').slice(1);
      const key = decodeURIComponent(keyParts.join('/'));
      const uploadId = ctx.query.uploadId;
      if (ctx.method === 'DELETE' && code === 'MethodNotAllowed' && key && typeof uploadId === 'string') {
        await abortUpload(directory, bucket, key, uploadId);
        ctx.status = 204;
        return;
      }
      if (ctx.method === 'GET' && code === 'NotImplemented' && !key && 'uploads' in ctx.query) {
        const prefix = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : '';
        ctx.body = await listUploads(directory, bucket, prefix);
        return;
      }
      throw error;
    }
  };
}

async function abortUpload(directory: string, bucket: string, key: string, uploadId: string): Promise<void> {
  const dir = join(uploadsDir(directory, bucket), uploadId);
  const storedKey = /^[0-9a-f]+$/i.test(uploadId)
    ? await readFile(join(dir, 'key'), 'utf8').catch(() => undefined)
    : undefined;
  if (storedKey !== key) {
    throw new S3Error(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    );
  }
  await rm(dir, { recursive: true, force: true });
}

async function listUploads(directory: string, bucket: string, prefix: string) {
  const root = uploadsDir(directory, bucket);
  const ids = await readdir(root).catch(() => [] as string[]);
  const uploads = await Promise.all(
    ids.map(async (id) => ({
      // A part written after its upload was aborted leaves a folder without `key`: still an unfinished upload.
      Key: await readFile(join(root, id, 'key'), 'utf8').catch(() => ''),
      UploadId: id,
      Initiated: (await stat(join(root, id))).mtime.toISOString(),
    })),
  );
  return {
    ListMultipartUploadsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Bucket: bucket,
      KeyMarker: '',
      UploadIdMarker: '',
      Prefix: prefix,
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads.filter((upload) => upload.Key.startsWith(prefix)),
    },
  };
}
