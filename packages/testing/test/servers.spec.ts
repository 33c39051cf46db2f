import { Client } from 'pg';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { WebhookClient } from 'discord.js';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { startDiscordStandIn, startPostgres, startS3 } from '../src';

// These prove the harness gives later tests real servers that behave like production ones.
describe('test servers', () => {
  it('starts a real PostgreSQL 17 that accepts connections and creates isolated databases', async () => {
    const pg = await startPostgres({ major: 17 });
    try {
      const url = await pg.createDatabase();
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ v: string; db: string }>(
        "select current_setting('server_version_num') as v, current_database() as db",
      );
      await client.end();
      expect(Number(rows[0].v)).toBeGreaterThanOrEqual(170000);
      expect(url.endsWith(`/${rows[0].db}`)).toBe(true);
    } finally {
      await pg.stop();
    }
  });

  // The engine must dump every supported major; each runs from its own aliased package.
  it.each([12, 13, 14, 15, 16])('starts a real PostgreSQL %i', async (major) => {
    const pg = await startPostgres({ major });
    try {
      const client = new Client({ connectionString: pg.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      await client.end();
      expect(rows[0].server_version_num.startsWith(String(major))).toBe(true);
      expect(Math.floor(Number(rows[0].server_version_num) / 10000)).toBe(major);
    } finally {
      await pg.stop();
    }
  });

  it('stores a streamed multipart upload in s3rver byte for byte', async () => {
    const s3 = await startS3();
    try {
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      await client.send(new CreateBucketCommand({ Bucket: 'harness' }));
      const payload = randomBytes(12 * 1024 * 1024); // > 5 MiB: forces several parts
      await new Upload({
        client,
        params: {
          Bucket: 'harness',
          Key: 'a/b.bin',
          Body: Readable.from([payload.subarray(0, 7e6), payload.subarray(7e6)]),
        },
        partSize: 5 * 1024 * 1024,
      }).done();
      const object = await client.send(new GetObjectCommand({ Bucket: 'harness', Key: 'a/b.bin' }));
      const stored = Buffer.from(await object.Body!.transformToByteArray());
      expect(createHash('sha256').update(stored).digest('hex')).toBe(
        createHash('sha256').update(payload).digest('hex'),
      );
      client.destroy();
    } finally {
      await s3.stop();
    }
  });

  // s3rver alone ignores SigV4 signatures; startS3 checks them, so a wrong secret key fails as on S3.
  it('refuses a wrong secret key and accepts the right one, whatever the key and query contain', async () => {
    const s3 = await startS3({ buckets: ['harness'] });
    const connect = (secretAccessKey: string) =>
      new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    const client = connect(s3.secretAccessKey);
    const intruder = connect('not-the-secret');
    try {
      const key = "db name/2026/01/a+b=c&d~e*(f)!'g é 😀.dump";
      await client.send(new PutObjectCommand({ Bucket: 'harness', Key: key, Body: 'payload' }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'harness', Key: key }));
      expect(await got.Body!.transformToString()).toBe('payload');
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: 'harness', Prefix: 'db name/2026/01/a+b=c&', MaxKeys: 5 }),
      );
      expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);

      for (const request of [
        () => intruder.send(new ListObjectsV2Command({ Bucket: 'harness' })),
        () => intruder.send(new GetObjectCommand({ Bucket: 'harness', Key: key })),
        () => intruder.send(new PutObjectCommand({ Bucket: 'harness', Key: 'x', Body: 'y' })),
        () => intruder.send(new DeleteObjectCommand({ Bucket: 'harness', Key: key })),
      ]) {
        await expect(request()).rejects.toMatchObject({
          name: 'SignatureDoesNotMatch',
          $metadata: { httpStatusCode: 403 },
        });
      }
      await client.send(new DeleteObjectCommand({ Bucket: 'harness', Key: key }));
      expect((await client.send(new ListObjectsV2Command({ Bucket: 'harness' }))).Contents).toBeUndefined();
    } finally {
      client.destroy();
      intruder.destroy();
      await s3.stop();
    }
  });

  // s3rver lacks both calls; startS3 adds them so tests can prove no unfinished upload is left.
  it('lists and aborts unfinished multipart uploads, with the signature still checked', async () => {
    const s3 = await startS3({ buckets: ['harness'] });
    const connect = (secretAccessKey: string) =>
      new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    const client = connect(s3.secretAccessKey);
    try {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'harness', Key: 'db/x.dump' }));
      await client.send(
        new UploadPartCommand({
          Bucket: 'harness',
          Key: 'db/x.dump',
          UploadId,
          PartNumber: 1,
          Body: randomBytes(1024),
        }),
      );
      const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: 'harness' }));
      expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['db/x.dump', UploadId]]);
      expect(
        (await client.send(new ListMultipartUploadsCommand({ Bucket: 'harness', Prefix: 'other/' }))).Uploads,
      ).toBeUndefined();

      const intruder = connect('wrong');
      await expect(
        intruder.send(new AbortMultipartUploadCommand({ Bucket: 'harness', Key: 'db/x.dump', UploadId })),
      ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      await expect(intruder.send(new ListMultipartUploadsCommand({ Bucket: 'harness' }))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
      });
      intruder.destroy();
      await expect(
        client.send(new AbortMultipartUploadCommand({ Bucket: 'harness', Key: 'other', UploadId })),
      ).rejects.toMatchObject({ name: 'NoSuchUpload' });

      await client.send(new AbortMultipartUploadCommand({ Bucket: 'harness', Key: 'db/x.dump', UploadId }));
      expect((await client.send(new ListMultipartUploadsCommand({ Bucket: 'harness' }))).Uploads).toBeUndefined();
    } finally {
      client.destroy();
      await s3.stop();
    }
  });

  it('records what discord.js sends to a webhook, readable over HTTP', async () => {
    const discord = await startDiscordStandIn();
    try {
      const webhook = new WebhookClient({ id: '123', token: 'tok' }, { rest: { api: discord.apiBase } });
      await webhook.send({ content: 'your code is 123456' });
      webhook.destroy();
      const calls = (await (await fetch(discord.apiBase.replace(/\/api$/, '/__calls'))).json()) as {
        path: string;
        body: { content: string };
      }[];
      expect(calls).toHaveLength(1);
      expect(calls[0].path).toBe('/webhooks/123/tok');
      expect(calls[0].body.content).toBe('your code is 123456');
    } finally {
      await discord.stop();
    }
  });
});
