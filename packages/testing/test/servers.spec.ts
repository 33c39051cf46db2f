import { Client } from 'pg';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
