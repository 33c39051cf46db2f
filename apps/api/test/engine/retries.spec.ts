import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer } from '../helpers/auth';
import { discordCalls, uniqueWebhook } from '../helpers/discord';
import { databaseFields, seededDatabase, waitForJob } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// A database's `retry` setting: a failed backup is tried again `attempts` times, each attempt its
// own row (attempt N, retry_of_id naming the failed one); the notification tells the last outcome only.
describe('backup retries', () => {
  let app: SignedInApp;
  let source: RunningPostgres;
  const as = () => bearer(app.root.access_token);

  beforeAll(async () => {
    source = await startPostgres({ major: 15 });
    app = await startSignedIn({ JOB_POLL_SECONDS: '0.5' });
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await source?.stop();
  });

  it('a failing backup is attempted 1 + attempts times, each a row of its own, and notified once', async () => {
    const hook = uniqueWebhook();
    const seeded = await seededDatabase(source);
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(as())
      .send({ name: 'ops', discord_webhook_url: hook.url })
      .expect(201);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(as())
      .send({ name: 'retries', ...s3Settings(await createBucket('retries')) })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(as())
      .send({
        name: 'flaky',
        ...databaseFields(source, seeded.dbname),
        password: 'wrong',
        storage_id: storage.body.id,
        notification_id: notification.body.id,
        retry: { attempts: 2, delay_seconds: 1 },
      })
      .expect(201);
    expect(database.body.retry).toEqual({ attempts: 2, delay_seconds: 1 });

    const first = await app.http().post(`/api/v1/databases/${database.body.id}/backup`).set(as()).expect(202);
    expect(first.body).toEqual(expect.objectContaining({ attempt: 1, retry_of_id: null }));
    let history: Record<string, unknown>[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      history = (await app.http().get(`/api/v1/databases/${database.body.id}/backups`).set(as()).expect(200)).body
        .items;
      if (history.length === 3 && history.every((b) => b.status === 'failed')) break;
      if (Date.now() > deadline) throw new Error(`attempts did not end: ${JSON.stringify(history)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [third, second, firstDone] = history; // newest first
    expect(firstDone).toEqual(expect.objectContaining({ id: first.body.id, attempt: 1, retry_of_id: null }));
    expect(second).toEqual(expect.objectContaining({ attempt: 2, retry_of_id: first.body.id, trigger: 'manual' }));
    expect(third).toEqual(expect.objectContaining({ attempt: 3, retry_of_id: second.id }));
    expect(firstDone.error_message).toMatch(/password authentication failed.*; it will be retried \(attempt 2\)$/is);
    expect(second.error_message).toMatch(/; it will be retried \(attempt 3\)$/);
    expect(third.error_message).not.toMatch(/retried/);
    // The delay is kept: each attempt starts at least delay_seconds after the previous one ended.
    expect(
      Date.parse(second.started_at as string) - Date.parse(firstDone.finished_at as string),
    ).toBeGreaterThanOrEqual(900);
    // One notification, for the last attempt.
    const told = async () =>
      (await discordCalls()).filter((c) => c.path.startsWith(hook.path) && JSON.stringify(c.body).includes('failed'));
    await waitForJob(app, `/api/v1/backups/${third.id}`);
    const until = Date.now() + 10_000;
    while ((await told()).length < 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await told()).toHaveLength(1);
  }, 90_000);

  it('a retry setting out of range is a 400 naming the field', async () => {
    const response = await app
      .http()
      .post('/api/v1/databases')
      .set(as())
      .send({
        name: 'bad-retry',
        ...databaseFields(source, 'postgres'),
        storage_id: '00000000-0000-4000-8000-000000000000',
        retry: { attempts: 11, delay_seconds: -1 },
      })
      .expect(400);
    const fields = JSON.stringify(response.body);
    expect(fields).toContain('retry.attempts');
    expect(fields).toContain('retry.delay_seconds');
  });
});
