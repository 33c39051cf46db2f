import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app';

const CONSOLE = 'https://console.example.com';

/** A browser's preflight for a PUT with a bearer token and a JSON body. */
function preflight(api: TestApp, origin: string, path = '/api/v1/databases/1') {
  return request(api.app.getHttpServer())
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'PUT')
    .set('Access-Control-Request-Headers', 'authorization,content-type,x-2fa-token');
}

const corsHeaders = (headers: Record<string, string>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('CORS', () => {
  describe('by default', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp();
    });
    afterAll(() => api.close());

    it('sends no CORS header to anyone: the console uses its own proxy', async () => {
      const answer = await preflight(api, CONSOLE);
      expect(corsHeaders(answer.headers)).toEqual([]);
      const get = await request(api.app.getHttpServer()).get('/api/v1/health').set('Origin', CONSOLE);
      expect(get.status).toBe(200);
      expect(corsHeaders(get.headers)).toEqual([]);
    });
  });

  describe('with CORS_ALLOWED_ORIGINS', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({
        env: {
          CORS_ALLOWED_ORIGINS: `${CONSOLE}, https://spa.example.org:8443`,
          CORS_ALLOW_CREDENTIALS: 'true',
        },
      });
    });
    afterAll(() => api.close());

    it('answers a preflight from an allowed origin with the configured headers, not a 405', async () => {
      const answer = await preflight(api, CONSOLE);
      expect(answer.status).toBe(204);
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': CONSOLE,
        'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS,PATCH',
        'access-control-allow-credentials': 'true',
        'access-control-max-age': '86400',
      });
      expect(answer.headers['access-control-allow-headers'].split(',')).toEqual(
        expect.arrayContaining(['Authorization', 'Content-Type', 'X-2FA-Token']),
      );
      expect(answer.headers.vary).toMatch(/Origin/);
      // Also on a path that exists for other methods only (where a plain OPTIONS gets 405).
      const second = await preflight(api, 'https://spa.example.org:8443', '/api/v1/health');
      expect([second.status, second.headers['access-control-allow-origin']]).toEqual([
        204,
        'https://spa.example.org:8443',
      ]);
    });

    it('puts the headers on real answers, errors included, and exposes the configured headers', async () => {
      const ok = await request(api.app.getHttpServer()).get('/api/v1/health').set('Origin', CONSOLE);
      expect(ok.status).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(CONSOLE);
      expect(ok.headers['access-control-expose-headers']).toBe('Content-Disposition,Retry-After');
      const unauthenticated = await request(api.app.getHttpServer()).get('/api/v1/stats').set('Origin', CONSOLE);
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers['access-control-allow-origin']).toBe(CONSOLE);
    });

    it('sends nothing to another origin: its preflight meets the usual 405', async () => {
      const answer = await preflight(api, 'https://evil.example');
      expect(corsHeaders(answer.headers)).toEqual([]);
      expect(answer.status).toBe(405);
      const get = await request(api.app.getHttpServer()).get('/api/v1/health').set('Origin', 'https://evil.example');
      expect(corsHeaders(get.headers)).toEqual([]);
      // A look-alike of an allowed origin is another origin.
      expect(corsHeaders((await preflight(api, 'http://console.example.com')).headers)).toEqual([]);
    });
  });

  describe('with CORS_ALLOWED_ORIGINS=* and custom lists', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({
        env: {
          CORS_ALLOWED_ORIGINS: '*',
          CORS_ALLOWED_METHODS: 'GET,POST',
          CORS_ALLOWED_HEADERS: 'Authorization',
          CORS_MAX_AGE: '600',
        },
      });
    });
    afterAll(() => api.close());

    it('allows any origin with a literal *, without credentials', async () => {
      const answer = await preflight(api, 'https://anywhere.example');
      expect(answer.status).toBe(204);
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'Authorization',
        'access-control-max-age': '600',
      });
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });
});
