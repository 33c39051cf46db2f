import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';

describe('API documentation', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('serves Swagger UI at /api/docs', async () => {
    const response = await fetch(`${api.baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });

  it('serves Swagger UI at /swagger/index.html too, with every asset its page loads', async () => {
    const page = await fetch(`${api.baseUrl}/swagger/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const assets = [...html.matchAll(/(?:src|href)=['"]([^'"]+\.(?:js|css|png))['"]/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/swagger-ui-bundle\.js$/)]));
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/swagger-ui-init\.js$/)]));
    for (const asset of assets) {
      const url = new URL(asset, `${api.baseUrl}/swagger/index.html`);
      expect([url.pathname, (await fetch(url)).status]).toEqual([url.pathname, 200]);
    }
    // The page describes this API.
    const init = await (await fetch(new URL('swagger-ui-init.js', `${api.baseUrl}/swagger/index.html`))).text();
    expect(init).toContain('/api/v1/health');
  });

  it('redirects /swagger/ and /swagger to /swagger/index.html', async () => {
    for (const path of ['/swagger/', '/swagger']) {
      const response = await fetch(`${api.baseUrl}${path}`, { redirect: 'manual' });
      expect([path, response.status, response.headers.get('location')]).toEqual([path, 302, '/swagger/index.html']);
    }
  });

  it('serves the same operations at /api/docs-json as the committed docs/openapi.json', async () => {
    const served = (await (await fetch(`${api.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, object> };
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../../../docs/openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(committed.paths).sort());
    expect(committed.paths['/api/v1/health'].get.operationId).toBe('getHealth');
    expect(committed.paths['/health'].get.operationId).toBe('getServiceHealth');
  });
});
