import {
  S3_SECRET_ACCESS_KEY,
  startApiProcess,
  startPostgres,
  type ApiProcess,
  type RunningPostgres,
} from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../helpers/database';
import { deliveredCodes, uniqueWebhook, waitForCode } from '../helpers/discord';
import { databaseFields, restoreTarget, seededDatabase } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';

// The real API process at debug log level, driven through every place a secret goes in:
// no response body and no log line may contain one (except the answer that hands it out once).
describe('secrets stay secret', () => {
  const rootHook = uniqueWebhook();
  const notificationHook = uniqueWebhook();
  const profileHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  let api: ApiProcess;
  let pg: RunningPostgres;
  const bodies: string[] = [];
  let token = '';
  let refreshToken = '';

  async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    bodies.push(text);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async function until(path: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 600; i++) {
      const job = await call('GET', path);
      if (job.status === 'success' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${path} did not finish`);
  }

  beforeAll(async () => {
    pg = await startPostgres({ major: 15 });
    api = await startApiProcess({
      databaseUrl: await createTestDatabase(),
      env: {
        LOG_LEVEL: 'debug',
        APP_ENCRYPTION_KEY: encryptionKey,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        STORAGE_LOCAL_ROOT: `/tmp/dumpstation-secrets-${process.pid}`,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pg?.stop();
  });

  it('never echoes or logs a stored secret', async () => {
    const known = await deliveredCodes(rootHook.path, 'root');
    await call('POST', '/auth/login', { username: 'root' });
    const otp = await waitForCode(rootHook.path, 'root', known);
    const session = await call('POST', '/auth/verify', { username: 'root', otp });
    token = session.access_token as string;
    refreshToken = session.refresh_token as string;
    bodies.pop(); // the session answer hands out the tokens, once

    const knownCodes = await deliveredCodes(rootHook.path, 'root');
    await call('POST', '/auth/confirmation-code');
    const confirmation = await waitForCode(rootHook.path, 'root', knownCodes);
    const profile = await call('PATCH', '/users/me', {
      discord_webhook_url: profileHook.url,
      confirmation_code: confirmation,
    });
    expect(profile.discord_webhook_url_set).toBe(true);
    const bucket = await createBucket('secrets');
    const storage = await call('POST', '/storage', { name: 's3', ...s3Settings(bucket) });
    const wrong = await call('POST', '/storage', {
      name: 'wrong',
      ...s3Settings(bucket),
      secret_key: 'wrong-secret-key-Zq81',
    });
    await call('POST', `/storage/${wrong.id}/test`);
    await call('POST', `/storage/${storage.id}/test`);
    const notification = await call('POST', '/notifications', {
      name: 'ops',
      discord_webhook_url: notificationHook.url,
    });
    await call('POST', `/notifications/${notification.id}/test`);

    const source = await seededDatabase(pg);
    const database = await call('POST', '/databases', {
      name: 'db',
      ...databaseFields(pg, source.dbname),
      storage_id: storage.id,
      notification_id: notification.id,
    });
    await call('POST', `/databases/${database.id}/test`);
    const badPassword = await call('POST', '/databases', {
      name: 'bad',
      ...databaseFields(pg, source.dbname),
      password: 'wrong-db-password-Kp27',
      storage_id: storage.id,
    });
    await call('POST', `/databases/${badPassword.id}/test`);
    const failed = await call('POST', `/databases/${badPassword.id}/backup`);
    expect((await until(`/backups/${failed.id}`)).status).toBe('failed');

    const started = await call('POST', `/databases/${database.id}/backup`);
    const backup = await until(`/backups/${started.id}`);
    expect(backup.status).toBe('success');
    const restore = await call('POST', `/backups/${backup.id}/restore`, {
      ...restoreTarget(pg, 'restored_secretly'),
      create: true,
    });
    expect((await until(`/restores/${restore.id}`)).status).toBe('success');
    await call('POST', '/auth/2fa/setup');
    bodies.pop(); // hands out the TOTP secret, once
    await call('GET', '/activity-logs?limit=100');
    await call('GET', '/storage');
    await call('GET', '/databases');
    await call('GET', '/notifications');
    await call('GET', '/users/me');

    const secrets = {
      'storage secret key': S3_SECRET_ACCESS_KEY,
      'wrong storage secret key': 'wrong-secret-key-Zq81',
      'database password': pg.password,
      'wrong database password': 'wrong-db-password-Kp27',
      'notification webhook token': notificationHook.url.split('/').pop()!,
      'profile webhook token': profileHook.url.split('/').pop()!,
      'encryption key': encryptionKey,
      'refresh token': refreshToken,
      'access token': token,
    };
    const output = api.output();
    expect(output.length).toBeGreaterThan(1000);
    // Failures are logged with their reasons, and those must not carry secrets either.
    expect(output).toContain('backup failed');
    expect(output).toContain('Password authentication failed');
    for (const [what, value] of Object.entries(secrets)) {
      expect([what, bodies.filter((b) => b.includes(value)).length]).toEqual([what, 0]);
      expect([what, output.includes(value)]).toEqual([what, false]);
    }
  });
});
