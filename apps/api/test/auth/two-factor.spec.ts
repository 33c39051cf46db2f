import request from 'supertest';
import { generate } from 'otplib';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, confirmationCode, requestCode, signIn, type Session } from '../helpers/auth';
import { uniqueWebhook } from '../helpers/discord';

/** The TOTP code `offsetSeconds` from now (30-second steps). */
const totp = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

// TOTP second factor through HTTP: setup, sign-in with it, replay, recovery codes, disabling.
describe('two-factor authentication', () => {
  const hook = uniqueWebhook();
  let api: TestApp;
  let session: Session;
  let secret: string;
  let recoveryCodes: string[];
  let usedTotp: string;
  const http = () => request(api.app.getHttpServer());

  /** A fresh one-time code, verified with `secondFactor` in X-2FA-Token (if any). */
  async function verifyWith(secondFactor?: string) {
    const otp = await requestCode(api, 'root', hook.path);
    const call = http().post('/api/v1/auth/verify').send({ username: 'root', otp });
    if (secondFactor) call.set('X-2FA-Token', secondFactor);
    return { otp, response: await call };
  }

  beforeAll(async () => {
    api = await startTestApp({ env: { SYSTEM_USERNAME: 'root', SYSTEM_DISCORD_WEBHOOK_URL: hook.url } });
    session = await signIn(api, 'root', hook.path);
  });
  afterAll(() => api.close());

  it('sets up: a secret, an otpauth URI and a QR code image', async () => {
    const response = await http().post('/api/v1/auth/2fa/setup').set(bearer(session.access_token));
    expect(response.status).toBe(201);
    secret = response.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(response.body.otpauth_uri).toBe(`otpauth://totp/DumpStation:root?secret=${secret}&issuer=DumpStation`);
    expect(response.body.qr_code_data_url).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{200,}/);
    // Not on until confirmed: sign-in still works without a second factor.
    expect((await verifyWith()).response.status).toBe(200);
  });

  it('refuses to confirm setup with a wrong code, naming the field', async () => {
    const good = await totp(secret);
    const response = await http()
      .post('/api/v1/auth/2fa/verify-setup')
      .set(bearer(session.access_token))
      .send({
        code: good === '000000' ? '111111' : '000000',
        confirmation_code: await confirmationCode(api, session, hook.path),
      });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'code', message: 'code is not a valid current TOTP code' }]);
  });

  it('refuses to turn 2FA on without proof of the current factor (a fresh Discord code)', async () => {
    const missing = await http()
      .post('/api/v1/auth/2fa/verify-setup')
      .set(bearer(session.access_token))
      .send({ code: await totp(secret) });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['confirmation_code']);
    const wrong = await http()
      .post('/api/v1/auth/2fa/verify-setup')
      .set(bearer(session.access_token))
      .send({ code: await totp(secret), confirmation_code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CODE', errors: [{ field: 'confirmation_code' }] });
    expect((await http().get('/api/v1/users/me').set(bearer(session.access_token))).body.totp_enabled).toBe(false);
  });

  it('confirms setup with a current code and returns 10 distinct recovery codes, once', async () => {
    const response = await http()
      .post('/api/v1/auth/2fa/verify-setup')
      .set(bearer(session.access_token))
      .send({ code: await totp(secret), confirmation_code: await confirmationCode(api, session, hook.path) });
    expect(response.status).toBe(200);
    recoveryCodes = response.body.recovery_codes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const me = await http().get('/api/v1/users/me').set(bearer(session.access_token));
    expect(me.body.totp_enabled).toBe(true);
  });

  it('then requires X-2FA-Token at sign-in, without using up the one-time code', async () => {
    const { otp, response } = await verifyWith();
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TWO_FACTOR_REQUIRED');
    // The same one-time code still works once the second factor is added.
    usedTotp = await totp(secret, 30);
    const next = await http().post('/api/v1/auth/verify').set('X-2FA-Token', usedTotp).send({ username: 'root', otp });
    expect(next.status).toBe(200);
  });

  it('accepts a TOTP code once: replaying it is refused', async () => {
    // Still inside its validity window (±1 step), but already used.
    const replay = await verifyWith(usedTotp);
    expect(replay.response.status).toBe(401);
    expect(replay.response.body.code).toBe('INVALID_TWO_FACTOR');
  });

  it('accepts a recovery code once', async () => {
    const [code] = recoveryCodes;
    expect((await verifyWith(code.toUpperCase())).response.status).toBe(200);
    const again = await verifyWith(code);
    expect(again.response.status).toBe(401);
    expect(again.response.body.code).toBe('INVALID_TWO_FACTOR');
  });

  it('refuses a made-up recovery code', async () => {
    const response = (await verifyWith('aaaaa-bbbbb')).response;
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_TWO_FACTOR');
  });

  it('disables only with a valid code', async () => {
    const wrong = await http()
      .post('/api/v1/auth/2fa/disable')
      .set(bearer(session.access_token))
      .send({ code: 'zzzzz-zzzzz' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('code');
    expect((await verifyWith()).response.body.code).toBe('TWO_FACTOR_REQUIRED');

    const used = await http()
      .post('/api/v1/auth/2fa/disable')
      .set(bearer(session.access_token))
      .send({ code: recoveryCodes[0] });
    expect(used.status).toBe(400);

    const ok = await http()
      .post('/api/v1/auth/2fa/disable')
      .set(bearer(session.access_token))
      .send({ code: recoveryCodes[1] });
    expect(ok.status).toBe(204);
    expect((await verifyWith()).response.status).toBe(200);
    // The old recovery codes died with it.
    const me = await http().get('/api/v1/users/me').set(bearer(session.access_token));
    expect(me.body.totp_enabled).toBe(false);
  });

  it('records 2FA changes in the activity log', async () => {
    const response = await http()
      .get('/api/v1/activity-logs?limit=100')
      .set(bearer((await signIn(api, 'root', hook.path)).access_token));
    const entries = (response.body.items as { event: string; outcome: string }[]).filter((e) =>
      e.event.startsWith('auth.2fa.'),
    );
    expect(entries.map((e) => `${e.event}:${e.outcome}`).sort()).toEqual([
      'auth.2fa.disable:failure',
      'auth.2fa.disable:failure',
      'auth.2fa.disable:success',
      'auth.2fa.enable:success',
    ]);
  });
});
