import { freePort, startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { ConfigValidationError } from '../../src/config/app-config';
import { startTestApp, testConfig, type TestApp } from '../helpers/app';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const TOKEN = 'metrics-token-0123456789abcdef';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped, label values unescaped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
const pick = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/** The one sample named `name` with exactly `labels` (besides `le`), or undefined. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = pick(samples, name, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is not one sample`);
  return found[0]?.value;
}

/** A histogram's cumulative buckets by bound (`+Inf` included). */
function buckets(samples: Sample[], name: string, labels: Record<string, string> = {}): Map<number, number> {
  return new Map(
    pick(samples, `${name}_bucket`, labels).map((s) => [
      s.labels.le === '+Inf' ? Infinity : Number(s.labels.le),
      s.value,
    ]),
  );
}

describe('GET /metrics with METRICS_TOKEN', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let bucket: string;
  const auth = () => bearer(app.root.access_token);

  async function scrape(): Promise<Sample[]> {
    const response = await app.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parse(response.text);
  }

  async function addDatabase(name: string, fields: Record<string, unknown>): Promise<string> {
    const store = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name, ...s3Settings(bucket) })
      .expect(201);
    const db = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name, ...fields, storage_id: store.body.id })
      .expect(201);
    return db.body.id as string;
  }

  beforeAll(async () => {
    [app, pg, bucket] = await Promise.all([
      startSignedIn({ METRICS_TOKEN: TOKEN }),
      startPostgres({ major: 15 }),
      createBucket('metrics'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('answers 401 in the error shape without the token or with a wrong one, and is not under /api/v1', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, TOKEN]) {
      const request = app.http().get('/metrics');
      const response = await (authorization ? request.set('Authorization', authorization) : request);
      expect([authorization, response.status]).toEqual([authorization, 401]);
      expect(response.body).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: expect.stringContaining('METRICS_TOKEN'),
        errors: [],
      });
    }
    // A user's session is not the metrics token.
    expect((await app.http().get('/metrics').set(auth())).status).toBe(401);
    expect((await app.http().get('/api/v1/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('moves the backup, histogram, bytes, last-success and protection numbers with one success and one failure', async () => {
    const [good, other] = await Promise.all([seededDatabase(pg), seededDatabase(pg)]);
    const goodId = await addDatabase('good', databaseFields(pg, good.dbname));
    const badId = await addDatabase('bad-password', {
      ...databaseFields(pg, other.dbname),
      password: 'wrong-password-xyz',
    });
    const [{ slug }] = (await sql(app.api.databaseUrl, 'SELECT slug FROM tenants')) as { slug: string }[];
    const before = await scrape();
    expect(value(before, 'dumpstation_cluster_metrics_up')).toBe(1);
    expect(
      value(before, 'dumpstation_database_last_success_timestamp_seconds', { tenant: slug, database: 'good' }),
    ).toBeUndefined();

    const success = await backUp(app, goodId);
    const failure = await backUp(app, badId);
    expect([success.status, failure.status]).toEqual(['success', 'failed']);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);

    // Backups by status and trigger (a gauge over the history).
    expect(delta('dumpstation_backups', { status: 'success', trigger: 'manual' })).toBe(1);
    expect(delta('dumpstation_backups', { status: 'failed', trigger: 'manual' })).toBe(1);
    expect(value(after, 'dumpstation_backups', { status: 'pending', trigger: 'manual' })).toBe(0);
    expect(value(after, 'dumpstation_backups', { status: 'success', trigger: 'scheduled' })).toBe(0);

    // Durations: a histogram by outcome, each bucket counting the backups at most its bound.
    for (const [outcome, backup] of [
      ['success', success],
      ['failed', failure],
    ] as const) {
      const seconds = (backup.duration_ms as number) / 1000;
      const was = buckets(before, 'dumpstation_backup_duration_seconds', { outcome });
      const now = buckets(after, 'dumpstation_backup_duration_seconds', { outcome });
      expect(now.size).toBeGreaterThan(5);
      expect(now.get(Infinity)).toBe(value(after, 'dumpstation_backup_duration_seconds_count', { outcome }));
      for (const [le, count] of now)
        expect([outcome, le, count - (was.get(le) ?? 0)]).toEqual([outcome, le, +(seconds <= le)]);
      expect(delta('dumpstation_backup_duration_seconds_count', { outcome })).toBe(1);
      expect(delta('dumpstation_backup_duration_seconds_sum', { outcome })).toBeCloseTo(seconds, 6);
    }

    // Sizes: successful backups only; bytes written and stored.
    const size = Number(success.size_bytes);
    expect(size).toBeGreaterThan(0);
    const sizeWas = buckets(before, 'dumpstation_backup_size_bytes');
    const sizeNow = buckets(after, 'dumpstation_backup_size_bytes');
    for (const [le, count] of sizeNow) expect([le, count - (sizeWas.get(le) ?? 0)]).toEqual([le, +(size <= le)]);
    expect(delta('dumpstation_backup_size_bytes_count')).toBe(1);
    expect(delta('dumpstation_backup_size_bytes_sum')).toBe(size);
    expect(delta('dumpstation_backup_written_bytes')).toBe(size);
    expect(delta('dumpstation_backup_stored_bytes')).toBe(size);

    // The last success of each database, in seconds; none for the one that never succeeded.
    expect(
      value(after, 'dumpstation_database_last_success_timestamp_seconds', { tenant: slug, database: 'good' }),
    ).toBeCloseTo(Date.parse(success.finished_at as string) / 1000, 3);
    expect(
      value(after, 'dumpstation_database_last_success_timestamp_seconds', { tenant: slug, database: 'bad-password' }),
    ).toBeUndefined();

    // Protection: one state at 1 per database, by protection.ts's rule.
    const protection = (database: string) =>
      Object.fromEntries(
        pick(after, 'dumpstation_database_protection', { tenant: slug, database }).map((s) => [
          s.labels.state,
          s.value,
        ]),
      );
    expect(protection('good')).toEqual({ ok: 0, stale: 0, failing: 0, unscheduled: 1 });
    expect(protection('bad-password')).toEqual({ ok: 0, stale: 0, failing: 1, unscheduled: 0 });

    // Nothing waits any more.
    expect(value(after, 'dumpstation_queue_depth', { queue: 'backup' })).toBe(0);
    expect(value(after, 'dumpstation_queue_oldest_job_age_seconds', { queue: 'backup' })).toBe(0);
    expect(value(after, 'dumpstation_queue_depth', { queue: 'restore' })).toBe(0);

    // Labels: only existing databases, by tenant slug and name; no ids, no error messages.
    const labelSets = (samples: Sample[]) =>
      [
        ...new Set(
          pick(samples, 'dumpstation_database_protection').map((s) => `${s.labels.tenant}/${s.labels.database}`),
        ),
      ].sort();
    expect(labelSets(after)).toEqual([`${slug}/bad-password`, `${slug}/good`]);
    const text = (await app.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text;
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain(String(failure.error_message));
    expect(text).not.toContain('wrong-password-xyz');

    // A removed database's series go with it.
    await app.http().delete(`/api/v1/databases/${badId}`).set(auth()).expect(204);
    const removed = await scrape();
    expect(labelSets(removed)).toEqual([`${slug}/good`]);
    expect(value(removed, 'dumpstation_backups', { status: 'failed', trigger: 'manual' })).toBe(
      (value(after, 'dumpstation_backups', { status: 'failed', trigger: 'manual' }) ?? 0) - 1,
    );
  });

  it('records HTTP durations by method, route template and status, without ids and without /metrics', async () => {
    const id = await addDatabase('timed', databaseFields(pg, 'postgres'));
    expect(id).toMatch(UUID);
    await app.http().get(`/api/v1/databases/${id}`).set(auth()).expect(200);
    await app.http().get(`/api/v1/databases/${id}`).expect(401);
    await app.http().get('/api/v1/no-such-route').expect(404);
    const samples = await scrape();
    const count = (labels: Record<string, string>) =>
      value(samples, 'dumpstation_http_request_duration_seconds_count', labels) ?? 0;
    expect(count({ method: 'GET', route: '/api/v1/databases/:id', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(count({ method: 'GET', route: '/api/v1/databases/:id', status_code: '401' })).toBeGreaterThanOrEqual(1);
    const http = pick(samples, 'dumpstation_http_request_duration_seconds_count');
    // An unknown address is counted under the catch-all's template (or `unmatched`), never its own.
    expect(http.filter((s) => s.labels.status_code === '404').length).toBeGreaterThanOrEqual(1);
    expect(http.length).toBeGreaterThan(3);
    for (const sample of http) {
      expect(sample.labels.route).not.toMatch(UUID);
      expect(sample.labels.route).not.toContain('no-such-route');
      expect(sample.labels.route).not.toBe('/metrics');
    }
    // Buckets are cumulative and end with +Inf = _count.
    const series = { method: 'GET', route: '/api/v1/databases/:id', status_code: '200' };
    const le = buckets(samples, 'dumpstation_http_request_duration_seconds', series);
    expect(le.get(Infinity)).toBe(count(series));
  });

  it('answers the same cluster-wide numbers from another replica on the same service database', async () => {
    const replica = await startTestApp({
      databaseUrl: app.api.databaseUrl,
      migrate: false,
      env: { METRICS_TOKEN: TOKEN, APP_ROLE: 'api' },
    });
    try {
      const clusterOnly = (samples: Sample[]) =>
        samples
          .filter((s) => s.name.startsWith('dumpstation_') && !s.name.startsWith('dumpstation_http_'))
          .filter((s) => s.name !== 'dumpstation_build_info')
          .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
          .sort();
      const ours = clusterOnly(await scrape());
      const response = await fetch(`${replica.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      expect(clusterOnly(parse(await response.text()))).toEqual(ours);
      expect(ours.length).toBeGreaterThan(20);
    } finally {
      await replica.close();
    }
  });
});

describe('GET /metrics without METRICS_TOKEN or METRICS_PORT', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('is off: 404 in the error shape, with or without a token', async () => {
    for (const headers of [{}, { Authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const response = await fetch(`${api.baseUrl}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
        errors: [],
      });
    }
  });
});

describe('GET /metrics with METRICS_PORT', () => {
  let api: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    api = await startTestApp({ env: { METRICS_PORT: String(port), METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => api.close());

  it('serves /metrics on that port only (the token still required), and nothing else there', async () => {
    const dedicated = `http://127.0.0.1:${port}`;
    const served = await fetch(`${dedicated}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const samples = parse(await served.text());
    expect(value(samples, 'dumpstation_cluster_metrics_up')).toBe(1);
    expect(value(samples, 'dumpstation_backups', { status: 'success', trigger: 'manual' })).toBe(0);

    const refused = await fetch(`${dedicated}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', errors: [] });
    for (const path of ['/health', '/api/v1/health', '/']) {
      const other = await fetch(`${dedicated}${path}`);
      expect([path, other.status]).toEqual([path, 404]);
      expect(await other.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', errors: [] });
    }
    // The API's own port does not serve them.
    const main = await fetch(`${api.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(main.status).toBe(404);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  });

  it('closes the port with the app', async () => {
    const other = await startTestApp({ env: { METRICS_PORT: String(await freePort()) } });
    const address = `http://127.0.0.1:${other.config.env.METRICS_PORT}/metrics`;
    // Without a token the dedicated port is the protection: served without one.
    expect((await fetch(address)).status).toBe(200);
    await other.close();
    await expect(fetch(address)).rejects.toThrow();
  });
});

describe('metrics settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      testConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/d', ...env });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      return error.problems;
    }
  };

  it('refuses a short METRICS_TOKEN without showing it, and METRICS_PORT equal to PORT', () => {
    expect(problems({ METRICS_TOKEN: 'short-secret' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN: must be at least 16 characters.*\(got "<redacted>"\)$/),
    ]);
    expect(problems({ PORT: '9100', METRICS_PORT: '9100' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: must differ from PORT/),
    ]);
    expect(problems({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9464' })).toEqual([]);
  });
});
