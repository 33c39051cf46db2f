import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { requestCode } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Issue 9, finding 7: /auth/verify answers an unknown user, a known user with a wrong code and a
// locked account identically, in the same time, so it reveals neither existence nor lock state.
describe('verify does not reveal accounts', () => {
  let app: SignedInApp;
  let api: TestApp;
  let membersHook: { url: string; path: string };
  const http = () => request(api.app.getHttpServer());

  async function timedVerify(username: string, otp: string) {
    const started = performance.now();
    const response = await http().post('/api/v1/auth/verify').send({ username, otp });
    return { ms: performance.now() - started, status: response.status, body: response.body as object };
  }

  beforeAll(async () => {
    app = await startSignedIn({ LOGIN_ACCOUNT_MAX_ATTEMPTS: '6' });
    api = app.api;
    membersHook = app.membersHook;
    await app.member('known', 'viewer');
    await app.member('locked', 'viewer');
    const otp = await requestCode(api, 'locked', membersHook.path);
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < 6; i += 1) await http().post('/api/v1/auth/verify').send({ username: 'locked', otp: wrong });
    await requestCode(api, 'known', membersHook.path);
  });
  afterAll(() => api.close());

  it('gives unknown, wrong-code and locked the same answer and about the same time', async () => {
    const samples: Record<string, { ms: number; status: number; body: object }[]> = {
      unknown: [],
      wrong: [],
      locked: [],
    };
    for (let i = 0; i < 5; i += 1) {
      // A different code each time, so the known user's open code survives its five attempts.
      samples.unknown.push(await timedVerify(`nobody-${i}`, '000000'));
      if (i < 4) samples.wrong.push(await timedVerify('known', '000000'));
      samples.locked.push(await timedVerify('locked', '000000'));
    }
    const answers = new Set(
      Object.values(samples).flatMap((list) => list.map((s) => JSON.stringify([s.status, s.body]))),
    );
    expect([...answers]).toEqual([
      JSON.stringify([401, { status: 401, code: 'INVALID_CODE', message: 'Invalid or expired code', errors: [] }]),
    ]);
    const medians = Object.values(samples).map((list) => median(list.map((s) => s.ms)));
    // Every answer waits for the same floor (250 ms), so the paths' own costs do not show.
    for (const list of Object.values(samples)) for (const s of list) expect(s.ms).toBeGreaterThanOrEqual(245);
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(60);
  });
});
