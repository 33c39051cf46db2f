import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer } from '../helpers/auth';
import { uniqueWebhook, webhookCalls } from '../helpers/discord';
import { backUp, databaseFields, seededDatabase } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

interface Entry {
  event: string;
  level: string;
  outcome: string;
  resource_type: string;
  resource_id: string;
  resource_name: string;
  details: { message: string; attempt: number; attempts: number };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const RETRIES = 3;

// Issue: a failing notification never fails the backup; it is retried a few times, then logged.
describe('notification retries', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let storageId: string;
  let dbname: string;
  const auth = () => bearer(app.root.access_token);

  /** A database notifying `webhook` on success, through a notification named `name`. */
  async function databaseNotifying(
    name: string,
    webhook: string,
  ): Promise<{ databaseId: string; notificationId: string }> {
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name, discord_webhook_url: webhook })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name, ...databaseFields(pg, dbname), storage_id: storageId, notification_id: notification.body.id })
      .expect(201);
    return { databaseId: database.body.id, notificationId: notification.body.id };
  }

  async function deliveryEntries(notificationId: string): Promise<Entry[]> {
    const response = await app
      .http()
      .get('/api/v1/activity-logs?event=notification.deliver&limit=100')
      .set(auth())
      .expect(200);
    return (response.body.items as Entry[])
      .filter((entry) => entry.resource_id === notificationId)
      .sort((a, b) => a.details.attempt - b.details.attempt);
  }

  /** The backup's status now (a notification must never change it). */
  async function statusOf(backupId: string): Promise<string> {
    return (await app.http().get(`/api/v1/backups/${backupId}`).set(auth()).expect(200)).body.status;
  }

  const flakyHook = uniqueWebhook('fail-2-');
  const downHook = uniqueWebhook('fail-always-');
  // The stand-in answers 404 Unknown Webhook for this token, as Discord does for a deleted webhook.
  const deletedHook = (() => {
    const { url, path } = uniqueWebhook();
    const base = (text: string) => text.slice(0, text.lastIndexOf('/'));
    return { url: `${base(url)}/deleted-webhook`, path: `${base(path)}/deleted-webhook` };
  })();
  let flaky: { databaseId: string; notificationId: string; backup: Record<string, unknown> };
  let down: typeof flaky;
  let deleted: typeof flaky;

  beforeAll(async () => {
    [app, pg] = await Promise.all([
      startSignedIn({
        NOTIFICATION_RETRIES: String(RETRIES),
        NOTIFICATION_RETRY_DELAY_SECONDS: '1',
        JOB_POLL_SECONDS: '0.5',
      }),
      startPostgres({ major: 15 }),
    ]);
    dbname = (await seededDatabase(pg)).dbname;
    storageId = (
      await app.http().post('/api/v1/storage').set(auth()).send({ name: 'local', provider: 'local' }).expect(201)
    ).body.id;
    // Both scenarios at once: their retries wait in parallel.
    const backedUp = async (name: string, webhook: string) => {
      const ids = await databaseNotifying(name, webhook);
      return { ...ids, backup: await backUp(app, ids.databaseId) };
    };
    [flaky, down, deleted] = await Promise.all([
      backedUp('flaky', flakyHook.url),
      backedUp('down', downHook.url),
      backedUp('deleted', deletedHook.url),
    ]);
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('a webhook answering 500 twice: the backup succeeds, the third attempt delivers, both failures are Warnings', async () => {
    expect(flaky.backup).toMatchObject({ status: 'success' });
    await until(async () => (await webhookCalls(flakyHook.path)).length >= 3, 'three calls to the webhook', 15_000);
    const calls = await webhookCalls(flakyHook.path);
    expect(calls).toHaveLength(3);
    // Every attempt carried the same embed.
    for (const call of calls) {
      expect((call.body as { embeds: { title: string }[] }).embeds[0].title).toBe('Backup of flaky succeeded');
    }

    await until(async () => (await deliveryEntries(flaky.notificationId)).length >= 2, 'the failure entries', 5_000);
    const entries = await deliveryEntries(flaky.notificationId);
    expect(entries).toEqual([
      expect.objectContaining({
        event: 'notification.deliver',
        level: 'Warning',
        outcome: 'failure',
        resource_type: 'Notification',
        resource_name: 'flaky',
        details: expect.objectContaining({
          message: expect.stringMatching(/^attempt 1 of 4 failed: .+; retrying in 1–2 s$/),
        }),
      }),
      expect.objectContaining({
        level: 'Warning',
        details: expect.objectContaining({
          message: expect.stringMatching(/^attempt 2 of 4 failed: .+; retrying in 2–4 s$/),
        }),
      }),
    ]);
    // The entries never carry the webhook's token (a secret).
    expect(JSON.stringify(entries)).not.toContain(flakyHook.path.split('/').pop());
    expect(await statusOf(flaky.backup.id as string)).toBe('success');
  }, 30_000);

  it('a webhook always answering 500: NOTIFICATION_RETRIES+1 attempts, then one Error "not delivered"; the backup succeeds', async () => {
    expect(down.backup).toMatchObject({ status: 'success' });
    const errors = async () => (await deliveryEntries(down.notificationId)).filter((entry) => entry.level === 'Error');
    // Retries wait 1–2, 2–4 and 4–8 s (backoff with jitter).
    await until(async () => (await errors()).length > 0, 'the final Error entry', 25_000);
    expect(await webhookCalls(downHook.path)).toHaveLength(RETRIES + 1);
    const entries = await deliveryEntries(down.notificationId);
    expect(entries.map((entry) => entry.level)).toEqual([...Array<string>(RETRIES).fill('Warning'), 'Error']);
    expect(entries[RETRIES]).toMatchObject({
      outcome: 'failure',
      resource_name: 'down',
      details: { message: expect.stringMatching(/^not delivered after 4 attempts: /) },
    });
    expect(await statusOf(down.backup.id as string)).toBe('success');
  }, 30_000);

  it('a deleted webhook (404): one attempt, one Error saying so, no retries; the backup succeeds', async () => {
    expect(deleted.backup).toMatchObject({ status: 'success' });
    await until(async () => (await deliveryEntries(deleted.notificationId)).length > 0, 'the Error entry', 15_000);
    // A retry would come 1–2 s later (NOTIFICATION_RETRY_DELAY_SECONDS=1): wait past that.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await webhookCalls(deletedHook.path)).toHaveLength(1);
    expect(await deliveryEntries(deleted.notificationId)).toEqual([
      expect.objectContaining({
        level: 'Error',
        outcome: 'failure',
        resource_name: 'deleted',
        details: expect.objectContaining({
          message:
            "not delivered: Discord answered 404 (Unknown Webhook); not retried: check the notification's webhook URL",
          attempt: 1,
        }),
      }),
    ]);
    expect(await statusOf(deleted.backup.id as string)).toBe('success');
  }, 30_000);
});
