import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { multipartUploadsMiddleware } from './s3rver-multipart';
import { sigV4Middleware } from './s3rver-sigv4';
// s3rver has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};

/**
 * Credentials of the S3 server, besides s3rver's fixed S3RVER/S3RVER: an access key id and a
 * secret that differ, so a test can tell the (shown) access key from the (never shown) secret.
 */
export const S3_ACCESS_KEY_ID = 'DUMPSTATIONTESTKEY';
export const S3_SECRET_ACCESS_KEY = 'dumpstation-test-secret-Qx7v2';

export interface RunningS3 {
  /** http://127.0.0.1:PORT — use with forcePathStyle. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Directory holding the stored objects (to inspect what is really on "disk"). */
  directory: string;
  stop(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on loopback, with its data in a temp dir. */
export async function startS3(options: { port?: number; buckets?: string[] } = {}): Promise<RunningS3> {
  const directory = await mkdtemp(join(tmpdir(), 'dumpstation-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  // Closer to real S3, just before s3rver's router (its last middleware): SigV4 signatures are
  // verified (a wrong secret key is refused) and unfinished multipart uploads can be listed and aborted.
  const middleware = (server as { middleware: unknown[] }).middleware;
  middleware.splice(middleware.length - 1, 0, sigV4Middleware(), multipartUploadsMiddleware(directory));
  DUMMY_ACCOUNT.createKeyPair(S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY);
  const address: AddressInfo = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    region: 'us-east-1',
    // sigV4Middleware makes s3rver check the secret key too.
    accessKeyId: S3_ACCESS_KEY_ID,
    secretAccessKey: S3_SECRET_ACCESS_KEY,
    directory,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
