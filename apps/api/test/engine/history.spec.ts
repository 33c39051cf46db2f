import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer } from '../helpers/auth';
import { discordCalls, uniqueWebhook } from '../helpers/discord';
import { backUp, databaseFields, restoreTarget, restore, seededDatabase, sql, tableContents } from '../helpers/engine';
import { createBucket, objectKeys, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Embed = { title: string; fields: { name: string; value: string }[] };

// What happens around a backup: Discord notifications, the history list, partial restores, deletion.
describe('backup history and outcomes', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let bucket: string;
  let source: { url: string; dbname: string };
  let databaseId: string;
  let brokenId: string;
  const hook = uniqueWebhook();
  const auth = () => bearer(app.root.access_token);
  const embedsTo = async (path: string) =>
    (await discordCalls()).filter((c) => c.path === path).flatMap((c) => (c.body as { embeds: Embed[] }).embeds);

  beforeAll(async () => {
    [app, pg, bucket] = await Promise.all([startSignedIn(), startPostgres({ major: 14 }), createBucket('history')]);
    source = await seededDatabase(pg);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 's3', ...s3Settings(bucket) })
      .expect(201);
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'ops', discord_webhook_url: hook.url })
      .expect(201);
    const common = { storage_id: storage.body.id, notification_id: notification.body.id };
    databaseId = (
      await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({ name: 'shop', ...databaseFields(pg, source.dbname), ...common })
        .expect(201)
    ).body.id;
    brokenId = (
      await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({ name: 'broken', ...databaseFields(pg, 'no_such_database'), ...common })
        .expect(201)
    ).body.id;
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('posts a Discord embed for a success (size, duration) and for a failure (the error)', async () => {
    const ok = await backUp(app, databaseId);
    const failed = await backUp(app, brokenId);
    expect(failed).toMatchObject({ status: 'failed', error_message: expect.stringContaining('no_such_database') });
    // Notifications are delivered through the job queue, just after the outcome.
    const deadline = Date.now() + 10_000;
    let embeds = await embedsTo(hook.path);
    while (embeds.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      embeds = await embedsTo(hook.path);
    }
    const success = embeds.find((e) => e.title === 'Backup of shop succeeded');
    expect(success?.fields.map((f) => f.name)).toEqual(['Database', 'Backup', 'Size', 'Duration']);
    expect(success?.fields[1].value).toBe(ok.name);
    const failure = embeds.find((e) => e.title === 'Backup of broken failed');
    expect(failure?.fields.find((f) => f.name === 'Error')?.value).toContain('no_such_database');
  });

  it('lists a database’s history newest first, paginated and filtered by status', async () => {
    await backUp(app, databaseId);
    const all = await app.http().get(`/api/v1/databases/${databaseId}/backups?limit=1`).set(auth());
    expect(all.body).toMatchObject({ page: 1, limit: 1, total: 2, total_pages: 2 });
    const failed = await app.http().get(`/api/v1/databases/${brokenId}/backups?status=failed`).set(auth());
    expect(failed.body.items.map((b: { status: string }) => b.status)).toEqual(['failed']);
    const none = await app.http().get(`/api/v1/databases/${brokenId}/backups?status=success`).set(auth());
    expect(none.body.total).toBe(0);
    const bad = await app.http().get(`/api/v1/databases/${brokenId}/backups?status=done`).set(auth());
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('status');
  });

  it('refuses to verify, download or restore a failed backup', async () => {
    const [failed] = (await app.http().get(`/api/v1/databases/${brokenId}/backups`).set(auth())).body.items;
    for (const call of [
      app.http().post(`/api/v1/backups/${failed.id}/verify`),
      app.http().get(`/api/v1/backups/${failed.id}/download`),
      app.http().post(`/api/v1/backups/${failed.id}/restore`).send({}),
    ]) {
      const response = await call.set(auth());
      expect([response.status, response.body.code]).toEqual([409, 'BACKUP_NOT_AVAILABLE']);
    }
  });

  it('restores only the chosen tables', async () => {
    const [latest] = (await app.http().get(`/api/v1/databases/${databaseId}/backups?status=success`).set(auth())).body
      .items;
    const restored = await restore(app, latest.id, {
      ...restoreTarget(pg, 'only_customers'),
      create: true,
      tables: ['customers'],
    });
    expect(restored.status).toBe('success');
    const contents = await tableContents(pg.urlFor('only_customers'));
    expect(Object.keys(contents)).toEqual(['public.customers']);
    expect(contents['public.customers']).toBe((await tableContents(source.url))['public.customers']);
  });

  it('reports a restore that fails part-way as failed, never success', async () => {
    const [latest] = (await app.http().get(`/api/v1/databases/${databaseId}/backups?status=success`).set(auth())).body
      .items;
    // The target already has a conflicting table: pg_restore stops at the first error.
    await sql(pg.adminUrl, 'CREATE DATABASE occupied');
    await sql(pg.urlFor('occupied'), 'CREATE TABLE customers (id int)');
    const restored = await restore(app, latest.id, { ...restoreTarget(pg, 'occupied') });
    expect(restored.status).toBe('failed');
    expect(restored.error_message).toMatch(/pg_restore .*already exists/s);
  });

  it('deletes a backup with its object, its roles object and sidecar', async () => {
    const [latest] = (await app.http().get(`/api/v1/databases/${databaseId}/backups?status=success`).set(auth())).body
      .items;
    const before = await objectKeys(bucket);
    const own = [latest.object_key, latest.roles_object_key, latest.object_key.replace(/\.dump$/, '.json')];
    expect(latest.roles_object_key).toBe(latest.object_key.replace(/\.dump$/, '.roles.sql'));
    expect(before).toEqual(expect.arrayContaining(own));
    await app.http().delete(`/api/v1/backups/${latest.id}`).set(auth()).expect(204);
    const after = await objectKeys(bucket);
    expect(after).toEqual(before.filter((key) => !own.includes(key)));
    expect((await app.http().get(`/api/v1/backups/${latest.id}`).set(auth())).status).toBe(404);
  });
});
