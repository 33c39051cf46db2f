import request from 'supertest';
import { sql as runSql } from '../helpers/engine';
import type { TestApp } from '../helpers/app';
import { requestCode } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 9, finding 3: the attempt limit holds against concurrent guesses, because each
// attempt is claimed atomically before any code is compared.
describe('sign-in attempts under concurrency', () => {
  let app: SignedInApp;
  let api: TestApp;
  let membersHook: { url: string; path: string };
  const http = () => request(api.app.getHttpServer());

  const sql = (text: string, values: unknown[] = []) => runSql(api.databaseUrl, text, values);

  /** How many wrong codes were actually compared for `username` (the activity log names each). */
  const evaluatedWrongCodes = async (username: string) =>
    (
      await sql(
        `SELECT count(*)::int AS n FROM activity_logs a JOIN users u ON u.id = a.user_id
         WHERE u.username = $1 AND a.event = 'auth.login' AND a.details->>'reason' = 'wrong code'`,
        [username],
      )
    )[0].n as number;

  beforeAll(async () => {
    app = await startSignedIn({ LOGIN_ACCOUNT_MAX_ATTEMPTS: '60' });
    api = app.api;
    membersHook = app.membersHook;
    await app.member('dora', 'viewer');
  });
  afterAll(() => api.close());

  it('evaluates at most 5 of 20 parallel wrong codes, then refuses the right one; a fresh code works', async () => {
    const otp = await requestCode(api, 'dora', membersHook.path);
    const wrong = otp === '000000' ? '111111' : '000000';
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => http().post('/api/v1/auth/verify').send({ username: 'dora', otp: wrong })),
    );
    expect(burst.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array(20).fill('401 INVALID_CODE'));
    expect(await evaluatedWrongCodes('dora')).toBeLessThanOrEqual(5);
    expect(
      (
        await sql(
          "SELECT attempts FROM login_challenges c JOIN users u ON u.id = c.user_id WHERE u.username = 'dora' ORDER BY c.created_at DESC",
        )
      )[0].attempts,
    ).toBe(5);

    const right = await http().post('/api/v1/auth/verify').send({ username: 'dora', otp });
    expect(right.status).toBe(401);
    expect(right.body.code).toBe('INVALID_CODE');

    // The void code stays void; only a new one signs in.
    const fresh = await requestCode(api, 'dora', membersHook.path);
    expect((await http().post('/api/v1/auth/verify').send({ username: 'dora', otp: fresh })).status).toBe(200);
  });

  it('locks the account after LOGIN_ACCOUNT_MAX_ATTEMPTS attempts across codes, even in parallel', async () => {
    await app.member('ezra', 'viewer');
    let sent = 0;
    // 3 codes × 20 parallel guesses = 60 claims: the 60th locks the account.
    for (let round = 0; round < 3; round += 1) {
      const otp = await requestCode(api, 'ezra', membersHook.path);
      const wrong = otp === '000000' ? '111111' : '000000';
      await Promise.all(
        Array.from({ length: 20 }, () => http().post('/api/v1/auth/verify').send({ username: 'ezra', otp: wrong })),
      );
      sent += 20;
    }
    expect(sent).toBe(60);
    const [row] = await sql("SELECT locked_until > now() AS locked FROM users WHERE username = 'ezra'");
    expect(row.locked).toBe(true);
    // While locked, login sends no code, and verify answers like any wrong code.
    const codes = (
      await sql(
        "SELECT count(*)::int AS n FROM login_challenges c JOIN users u ON u.id = c.user_id WHERE u.username = 'ezra'",
      )
    )[0].n;
    expect((await http().post('/api/v1/auth/login').send({ username: 'ezra' })).status).toBe(202);
    expect(
      (
        await sql(
          "SELECT count(*)::int AS n FROM login_challenges c JOIN users u ON u.id = c.user_id WHERE u.username = 'ezra'",
        )
      )[0].n,
    ).toBe(codes);
  });
});
