import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 9, finding 9: an access JWT dies with its session (logout, a revoked refresh family),
// not up to JWT_EXPIRATION_MINUTES later.
describe('access tokens end with their session', () => {
  let app: SignedInApp;
  let api: TestApp;
  let replica: TestApp | undefined;
  const http = () => request(api.app.getHttpServer());
  const me = (token: string, on: TestApp = api) =>
    request(on.app.getHttpServer()).get('/api/v1/users/me').set(bearer(token));

  beforeAll(async () => {
    app = await startSignedIn();
    api = app.api;
  });
  afterAll(async () => {
    await replica?.close();
    await api.close();
  });

  it('refuses the access token on the next call after logout', async () => {
    const session = await app.signIn('root');
    expect((await me(session.access_token)).status).toBe(200);
    await http().post('/api/v1/auth/logout').send({ refresh_token: session.refresh_token }).expect(204);
    const after = await me(session.access_token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('INVALID_TOKEN');
    // Other sessions of the same user live on.
    expect((await me(app.root.access_token)).status).toBe(200);
  });

  it('refuses every access token of a family revoked for refresh-token reuse', async () => {
    const session = await app.signIn('root');
    const rotated = await http().post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.access_token)).status).toBe(200);
    // Replaying the first refresh token revokes the family: both access tokens die.
    expect((await http().post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token })).status).toBe(401);
    expect((await me(session.access_token)).status).toBe(401);
    expect((await me(rotated.body.access_token)).status).toBe(401);
  });

  it('keeps the session across a refresh (the new access token carries the same session)', async () => {
    const session = await app.signIn('root');
    const rotated = await http().post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    await http().post('/api/v1/auth/logout').send({ refresh_token: rotated.body.refresh_token }).expect(204);
    expect((await me(session.access_token)).status).toBe(401);
    expect((await me(rotated.body.access_token)).status).toBe(401);
  });

  it('reaches another replica within its brief cache', async () => {
    replica = await startTestApp({ databaseUrl: api.databaseUrl, migrate: false });
    const session = await app.signIn('root');
    expect((await me(session.access_token, replica)).status).toBe(200);
    await http().post('/api/v1/auth/logout').send({ refresh_token: session.refresh_token }).expect(204);
    const deadline = Date.now() + 7_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await me(session.access_token, replica)).status;
    }
    expect(status).toBe(401);
  });
});
