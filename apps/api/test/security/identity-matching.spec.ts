import request from 'supertest';
import { sql as runSql } from '../helpers/engine';
import type { TestApp } from '../helpers/app';
import { requestCode } from '../helpers/auth';
import { deliveredCodes, waitForCode } from '../helpers/discord';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 9, finding 4: usernames and emails are compared by equality on a normalized form,
// never as LIKE patterns: `_`, `%` and `\` are characters, not wildcards.
describe('matching usernames and emails', () => {
  let app: SignedInApp;
  let api: TestApp;
  let membersHook: { url: string; path: string };
  const http = () => request(api.app.getHttpServer());
  const codesFor = (username: string) => deliveredCodes(membersHook.path, username);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  const sql = (text: string, values: unknown[] = []) => runSql(api.databaseUrl, text, values);

  beforeAll(async () => {
    app = await startSignedIn();
    api = app.api;
    membersHook = app.membersHook;
    for (const name of ['a_owner', 'b_viewer', 'lk_x', 'lk-x']) await app.member(name, 'viewer');
  });
  afterAll(() => api.close());

  it('sends no code to a_owner for a_owne_ (or a%)', async () => {
    const before = (await codesFor('a_owner')).length;
    for (const pattern of ['a_owne_', 'a%', '%', '_______']) {
      expect((await http().post('/api/v1/auth/login').send({ username: pattern })).status).toBe(202);
    }
    await settle();
    expect((await codesFor('a_owner')).length).toBe(before);
  });

  it("does not sign in as b_viewer with b_v% and b_viewer's code", async () => {
    const otp = await requestCode(api, 'b_viewer', membersHook.path);
    const response = await http().post('/api/v1/auth/verify').send({ username: 'b_v%', otp });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CODE');
    // The code is still good for b_viewer: the pattern did not touch it.
    expect((await http().post('/api/v1/auth/verify').send({ username: 'b_viewer', otp })).status).toBe(200);
  });

  it('tells lk_x and lk-x apart, in both directions', async () => {
    const before = { underscore: (await codesFor('lk_x')).length, dash: (await codesFor('lk-x')).length };
    await requestCode(api, 'lk_x', membersHook.path);
    expect((await codesFor('lk-x')).length).toBe(before.dash);
    await requestCode(api, 'lk-x', membersHook.path);
    expect((await codesFor('lk_x')).length).toBe(before.underscore + 1);
  });

  it('matches case-insensitively and by email, exactly', async () => {
    for (const identifier of ['LK_X', ' LK_X@Example.com ']) {
      const known = await codesFor('lk_x');
      expect((await http().post('/api/v1/auth/login').send({ username: identifier })).status).toBe(202);
      await waitForCode(membersHook.path, 'lk_x', known);
    }
    const stored = await sql("SELECT username, email FROM users WHERE username LIKE 'lk%' ORDER BY username");
    expect(stored).toEqual([
      { username: 'lk-x', email: 'lk-x@example.com' },
      { username: 'lk_x', email: 'lk_x@example.com' },
    ]);
  });

  it('lets no wildcard email count failed attempts against anybody', async () => {
    const before = await sql('SELECT username, failed_login_attempts, locked_until FROM users ORDER BY username');
    for (let i = 0; i < 6; i += 1) {
      const response = await http().post('/api/v1/auth/verify').send({ username: '%@example.com', otp: '123456' });
      expect(response.status).toBe(401);
    }
    expect(await sql('SELECT username, failed_login_attempts, locked_until FROM users ORDER BY username')).toEqual(
      before,
    );
  });

  it('answers a lone backslash like any unknown name, not with a 500', async () => {
    expect((await http().post('/api/v1/auth/login').send({ username: '\\' })).status).toBe(202);
    const verify = await http().post('/api/v1/auth/verify').send({ username: '\\', otp: '123456' });
    expect(verify.status).toBe(401);
    expect(verify.body.code).toBe('INVALID_CODE');
    expect((await http().post('/api/v1/auth/login').send({ username: 'a\\_owner' })).status).toBe(202);
  });

  it('does not match a look-alike in another script', async () => {
    const before = (await codesFor('a_owner')).length;
    // Cyrillic "а" (U+0430) in place of the Latin "a".
    expect((await http().post('/api/v1/auth/login').send({ username: '\u0430_owner' })).status).toBe(202);
    await settle();
    expect((await codesFor('a_owner')).length).toBe(before);
  });
});
