import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';

/** The run's s3rver (started by global-setup), as a tenant would configure it. */
export function s3Settings(bucket: string) {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('TEST_S3_ENDPOINT is unset: run tests through jest (global-setup starts s3rver)');
  return {
    provider: 'minio',
    endpoint,
    bucket,
    region: 'us-east-1',
    access_key: S3_ACCESS_KEY_ID,
    secret_key: S3_SECRET_ACCESS_KEY,
  } as const;
}

function client(): S3Client {
  return new S3Client({
    endpoint: process.env.TEST_S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new, empty bucket no other test uses. */
export async function createBucket(prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  await client().send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Every object key in the bucket. */
export async function objectKeys(bucket: string): Promise<string[]> {
  const answer = await client().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (answer.Contents ?? []).map((o) => o.Key!).sort();
}

/** Multipart uploads started and neither completed nor aborted. */
export async function unfinishedUploads(bucket: string): Promise<number> {
  const answer = await client().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return answer.Uploads?.length ?? 0;
}

/** Begins a multipart upload and leaves it unfinished (as a crashed writer would); returns its id. */
export async function beginUpload(bucket: string, key: string): Promise<string> {
  return (await client().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId!;
}

/** The object's bytes, read with the S3 API (as `aws s3 cp` would). */
export async function readObject(bucket: string, key: string): Promise<Buffer> {
  const answer = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

/** Replaces the object's bytes (to simulate corruption at rest). */
export async function writeObject(bucket: string, key: string, body: Buffer): Promise<void> {
  await client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }));
}
