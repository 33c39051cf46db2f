import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { bearer, confirmationCode, requestCode, type Session } from '../helpers/auth';
import { deliveredCodes, uniqueWebhook } from '../helpers/discord';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 9, finding 2: a session alone cannot redirect the account's sign-in codes: changing
// where they go needs proof of the current factor (here a fresh code sent where they go now).
describe('changing where sign-in codes go', () => {
  let app: SignedInApp;
  let api: TestApp;
  let carol: Session;
  let membersHook: { url: string; path: string };
  const attackerHook = uniqueWebhook();
  const http = () => request(api.app.getHttpServer());
  const me = async () => (await http().get('/api/v1/users/me').set(bearer(carol.access_token))).body;

  beforeAll(async () => {
    app = await startSignedIn();
    api = app.api;
    membersHook = app.membersHook;
    carol = await app.member('carol', 'viewer');
  });
  afterAll(() => api.close());

  it('refuses a new webhook without a confirmation code, naming the field, and changes nothing', async () => {
    const before = await me();
    const response = await http()
      .patch('/api/v1/users/me')
      .set(bearer(carol.access_token))
      .send({ discord_delivery: 'webhook', discord_webhook_url: attackerHook.url });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'CONFIRMATION_REQUIRED', errors: [{ field: 'confirmation_code' }] });
    expect(await me()).toEqual(before);
  });

  it('refuses a wrong or stale code, and each destination field on its own', async () => {
    const before = await me();
    for (const change of [
      { discord_delivery: 'bot_dm' },
      { discord_user_id: '80351110224678912' },
      { discord_webhook_url: attackerHook.url },
    ]) {
      const response = await http()
        .patch('/api/v1/users/me')
        .set(bearer(carol.access_token))
        .send({ ...change, confirmation_code: '000000' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'confirmation_code', message: 'confirmation_code is not a fresh one-time code from Discord' },
      ]);
    }
    expect(await me()).toEqual(before);
  });

  it('changes the display name without a code (it does not guard sign-in)', async () => {
    const response = await http()
      .patch('/api/v1/users/me')
      .set(bearer(carol.access_token))
      .send({ display_name: 'Carol C.' });
    expect(response.status).toBe(200);
    expect(response.body.display_name).toBe('Carol C.');
  });

  it('accepts the change with a fresh code sent where codes go now; later codes go to the new place', async () => {
    const code = await confirmationCode(api, carol, membersHook.path);
    const response = await http()
      .patch('/api/v1/users/me')
      .set(bearer(carol.access_token))
      .send({ discord_delivery: 'webhook', discord_webhook_url: attackerHook.url, confirmation_code: code });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ discord_delivery: 'webhook', discord_webhook_url_set: true });

    // The code was used up by the change.
    const again = await http()
      .patch('/api/v1/users/me')
      .set(bearer(carol.access_token))
      .send({ discord_delivery: 'none', confirmation_code: code });
    expect(again.status).toBe(400);

    const toMembers = (await deliveredCodes(membersHook.path, 'carol')).length;
    await requestCode(api, 'carol', attackerHook.path);
    expect((await deliveredCodes(membersHook.path, 'carol')).length).toBe(toMembers);
  });
});
