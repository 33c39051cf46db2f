import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// s3rver has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

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
  const address: AddressInfo = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    region: 'us-east-1',
    // s3rver checks signatures against these fixed credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    directory,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
