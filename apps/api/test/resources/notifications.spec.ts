import { Client } from 'pg';
import { bearer } from '../helpers/auth';
import { discordCalls, uniqueWebhook } from '../helpers/discord';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Discord notification webhooks through HTTP: CRUD, the secret URL never shown, the test message.
describe('notifications', () => {
  let app: SignedInApp;
  const hook = uniqueWebhook();
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    app = await startSignedIn();
  });
  afterAll(() => app.api.close());

  it('creates one, stores the URL encrypted and never returns it', async () => {
    const created = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'ops', discord_webhook_url: hook.url, on_success: false });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ops',
      discord_webhook_url_set: true,
      on_success: false,
      on_failure: true,
    });
    const token = hook.url.split('/').pop()!;
    for (const response of [
      created,
      await app.http().get('/api/v1/notifications').set(auth()),
      await app.http().get(`/api/v1/notifications/${created.body.id}`).set(auth()),
    ]) {
      expect(response.status).toBe(200 + (response === created ? 1 : 0));
      expect(JSON.stringify(response.body)).not.toContain(token);
    }
    const db = new Client({ connectionString: app.api.databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT webhook_url_encrypted FROM notifications WHERE id = $1', [created.body.id]);
    await db.end();
    expect(rows[0].webhook_url_encrypted).toMatch(/^v1:/);
    expect(rows[0].webhook_url_encrypted).not.toContain(token);
  });

  it('tells two webhooks apart by the last digits of their id, never by their token', async () => {
    const [first, second] = [uniqueWebhook(), uniqueWebhook()];
    const made = [];
    for (const [name, hook] of [
      ['hint-a', first],
      ['hint-b', second],
    ] as const) {
      made.push(
        (
          await app
            .http()
            .post('/api/v1/notifications')
            .set(auth())
            .send({ name, discord_webhook_url: hook.url })
            .expect(201)
        ).body,
      );
    }
    const idOf = (url: string) => url.split('/').slice(-2)[0];
    expect(made.map((n) => n.webhook_id_hint)).toEqual([
      `…${idOf(first.url).slice(-4)}`,
      `…${idOf(second.url).slice(-4)}`,
    ]);
    const listed = await app.http().get('/api/v1/notifications').set(auth()).expect(200);
    const hints = (listed.body.items as { name: string; webhook_id_hint: string }[]).filter((n) =>
      n.name.startsWith('hint-'),
    );
    expect(hints.map((n) => n.webhook_id_hint)).toEqual(made.map((n) => n.webhook_id_hint));
    for (const hook of [first, second]) expect(JSON.stringify(listed.body)).not.toContain(hook.url.split('/').pop()!);
    for (const n of made) await app.http().delete(`/api/v1/notifications/${n.id}`).set(auth()).expect(204);
  });

  it('names each bad field and writes nothing', async () => {
    const response = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: '', discord_webhook_url: 'https://evil.example.com/hook', on_success: 'yes' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'discord_webhook_url',
      'name',
      'on_success',
    ]);
    const list = await app.http().get('/api/v1/notifications').set(auth());
    expect(list.body.total).toBe(1);
  });

  it('refuses a duplicate name with 409 naming the field', async () => {
    const response = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'ops', discord_webhook_url: hook.url });
    expect(response.status).toBe(409);
    expect(response.body.errors).toEqual([{ field: 'name', message: 'A notification with this name already exists' }]);
  });

  it('sends a test embed through the stored webhook', async () => {
    const list = await app.http().get('/api/v1/notifications').set(auth());
    const id = list.body.items[0].id;
    const response = await app.http().post(`/api/v1/notifications/${id}/test`).set(auth());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, message: 'Discord accepted the test message' });
    const call = (await discordCalls()).find((c) => c.path === hook.path);
    expect((call?.body as { embeds: { title: string }[] }).embeds[0].title).toBe('DumpStation test notification');
  });

  it('reports in words when Discord refuses the webhook, without echoing the URL', async () => {
    const deleted = 'https://discord.com/api/webhooks/123456789012345678/deleted-webhook';
    const created = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'gone', discord_webhook_url: deleted });
    const response = await app.http().post(`/api/v1/notifications/${created.body.id}/test`).set(auth());
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(false);
    expect(response.body.message).toMatch(/Unknown Webhook/);
    expect(response.body.message).not.toContain('deleted-webhook');
  });

  it('updates only the given fields, and deletes', async () => {
    const created = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'temp', discord_webhook_url: uniqueWebhook().url });
    const patched = await app
      .http()
      .patch(`/api/v1/notifications/${created.body.id}`)
      .set(auth())
      .send({ enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'temp', enabled: false, discord_webhook_url_set: true });
    await app.http().delete(`/api/v1/notifications/${created.body.id}`).set(auth()).expect(204);
    expect((await app.http().get(`/api/v1/notifications/${created.body.id}`).set(auth())).status).toBe(404);
  });
});
