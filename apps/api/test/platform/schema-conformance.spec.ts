import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { bearer } from '../helpers/auth';
import { closeEventStream } from '../helpers/openapi';
import { SchemaSamples, type Schema } from '../helpers/schema-samples';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';
import { COMPRESSION_LEVELS, type CompressionAlgorithm } from '../../src/engine/compression';

/**
 * docs/openapi.json against the API it describes (issue 9, finding 10): for every operation,
 * requests generated valid by the document must not be refused for schema reasons (400
 * VALIDATION_FAILED), and requests breaking one rule of the document (wrong type, missing
 * required, unknown property, too long, pattern, range, enum, format, null) must be refused with
 * 400 naming the field. Deterministic: fast-check runs with a fixed seed.
 */
const SEED = 20_261_201;
const VALID_RUNS = 6;

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const documentPath = resolve(__dirname, '../../../../docs/openapi.json');
const document = JSON.parse(readFileSync(documentPath, 'utf8')) as Document;
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method, ...operation })),
);

// Rules the API checks beyond what JSON Schema can say, with values that satisfy them. Only these
// are fixed; everything else is generated. Each is a real rule of the API, tested on its own in
// test/resources (validation-gaps, storage, databases).
const SCHEDULES = [null, '0 3 * * *', '*/15 * * * *', '0 0 29 2 *', '30 2 * * 1-5'];
const ZONES = ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT-14', 'US/Pacific'];
const pick = <T>(values: T[], seed: number) => values[seed % values.length];

describe('the OpenAPI document is as strict as the API', () => {
  let s: SignedInApp;
  let auth: Record<string, string>;
  const fixtures: Record<string, string> = {};
  const samples = new SchemaSamples(document.components.schemas);

  beforeAll(async () => {
    s = await startSignedIn();
    auth = bearer(s.root.access_token);
    const post = async (path: string, body: object) =>
      (await s.http().post(path).set(auth).send(body).expect(201)).body.id as string;
    fixtures.localStorage = await post('/api/v1/storage', { name: 'local', provider: 'local' });
    fixtures.s3Storage = await post('/api/v1/storage', {
      name: 's3',
      provider: 's3',
      bucket: 'bucket',
      endpoint: 'http://127.0.0.1:1',
      access_key: 'AKIAEXAMPLE',
      secret_key: 'secret',
    });
    fixtures.notification = await post('/api/v1/notifications', {
      name: 'ops',
      discord_webhook_url: 'https://discord.com/api/webhooks/1/abc',
    });
    fixtures.database = await post('/api/v1/databases', {
      name: 'db',
      host: '127.0.0.1',
      port: 1,
      dbname: 'x',
      user: 'x',
      storage_id: fixtures.localStorage,
    });
    const viewer = await s.member('conformance-viewer', 'viewer');
    const members = await s.http().get('/api/v1/members?limit=100').set(auth).expect(200);
    fixtures.member = members.body.items.find((m: { user: { id: string } }) => m.user.id === viewer.user.id).id;
  });
  afterAll(() => s.api.close());

  /**
   * Path ids: PATCH targets a resource this test created, so the service really applies each
   * generated body (a 500 there is a failure). Every other operation gets a random UUID and may
   * answer 404: the pipe validates the id, query and body before the handler looks anything up,
   * so a 404 proves the request passed validation, without deleting, backing up, restoring or
   * connecting anything.
   */
  function url(op: (typeof operations)[number], id: string): string {
    const target =
      op.method !== 'patch'
        ? id
        : op.path.startsWith('/api/v1/databases')
          ? fixtures.database
          : op.path.startsWith('/api/v1/storage')
            ? fixtures.s3Storage
            : op.path.startsWith('/api/v1/notifications')
              ? fixtures.notification
              : op.path.startsWith('/api/v1/members')
                ? fixtures.member
                : id;
    return op.path.replace(/\{\w+\}/g, target);
  }

  /** The API's rules across fields or against stored state (see SCHEDULES above). */
  function satisfyApiRules(operationId: string, body: Record<string, unknown>, seed: number) {
    if (
      ['createDatabase', 'replaceDatabase', 'updateDatabase', 'testUnsavedDatabase', 'testDatabase'].includes(
        operationId,
      )
    ) {
      // References must name resources of the tenant; cron semantics and tzdata are not JSON Schema.
      if ('storage_id' in body) body.storage_id = fixtures.localStorage;
      if (body.notification_id) body.notification_id = fixtures.notification;
      if (typeof body.schedule === 'string') body.schedule = pick(SCHEDULES, seed) ?? '0 3 * * *';
      if ('timezone' in body) body.timezone = pick(ZONES, seed);
      // Each algorithm has its own level range (COMPRESSION_LEVELS); none takes no level.
      const compression = body.compression as { algorithm: CompressionAlgorithm; level?: number | null } | null;
      if (compression?.algorithm === 'none') compression.level = null;
      else if (compression && typeof compression.level === 'number') {
        const { min, max } = COMPRESSION_LEVELS[compression.algorithm];
        compression.level = Math.min(max, Math.max(min, compression.level));
      }
    }
    if (['createStorage', 'replaceStorage', 'testUnsavedStorage'].includes(operationId)) {
      // Which fields a provider needs is a rule across fields (StorageService.providerErrors).
      if (body.provider === 'local') {
        delete body.bucket;
        delete body.endpoint;
      } else {
        body.bucket ??= 'bucket';
        body.access_key ??= 'AKIAEXAMPLE';
        body.secret_key ??= 'secret';
        if (body.provider !== 's3') body.endpoint ??= 'https://example.com';
      }
    }
    if (operationId === 'restoreBackup' && Object.keys(body).some((key) => key.startsWith('target_'))) {
      // Naming any target field names a target: host, database and user then go with it.
      body.target_host ??= 'db.example.com';
      body.target_dbname ??= 'restored';
      body.target_user ??= 'restorer';
    }
    if ((operationId === 'updateStorage' || operationId === 'testStorage') && 'provider' in body) {
      // The fixture is an S3 storage; keep it one (changing provider brings other required fields).
      body.provider = 's3';
    }
  }

  /** The same rules for a query: the schedule preview takes a schedule and a zone as a database does. */
  function satisfyQueryRules(operationId: string, query: Record<string, unknown>, seed: number) {
    if (operationId === 'previewSchedule') {
      query.schedule = pick(SCHEDULES, seed) ?? '0 3 * * *';
      if ('timezone' in query) query.timezone = pick(ZONES, seed);
    }
  }

  /** `op` on `path` (its ids filled in) with the query and, when given, the JSON body, as the instance admin. */
  function call(op: (typeof operations)[number], path: string, query: Record<string, unknown>, body?: unknown) {
    const agent = request(s.api.app.getHttpServer());
    const method = op.method as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const test = agent[method](path)
      .set(auth)
      .query(query as Record<string, string>);
    // An event stream never ends: its status is the answer, and the stream is closed at once.
    if (JSON.stringify(op.responses ?? {}).includes('text/event-stream')) test.buffer(false).parse(closeEventStream);
    return body === undefined ? test : test.send(body as object);
  }

  const send = (op: (typeof operations)[number], id: string, query: Record<string, unknown>, body?: unknown) =>
    call(op, url(op, id), query, body);

  function queryArbitrary(op: (typeof operations)[number]) {
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    return fc.record(Object.fromEntries(query.map((p) => [p.name, samples.arbitrary(p.schema)])), {
      requiredKeys: query.filter((p) => p.required).map((p) => p.name),
    });
  }

  const bodySchemaOf = (op: (typeof operations)[number]) => op.requestBody?.content['application/json']?.schema;

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const op of operations) {
      for (const p of (op.parameters ?? []).filter((p) => p.in === 'path')) {
        expect({ op: op.operationId, id: p.schema }).toEqual({
          op: op.operationId,
          id: { type: 'string', format: 'uuid' },
        });
      }
    }
  });

  it('refuses no request the document calls valid', async () => {
    const refused: string[] = [];
    for (const [index, op] of operations.entries()) {
      const bodySchema = bodySchemaOf(op);
      const arbitrary = fc.record({
        id: fc.uuid(),
        query: queryArbitrary(op),
        body: bodySchema ? samples.arbitrary(bodySchema) : fc.constant(undefined),
      });
      for (const [run, sample] of fc.sample(arbitrary, { seed: SEED + index, numRuns: VALID_RUNS }).entries()) {
        const body = sample.body as Record<string, unknown> | undefined;
        satisfyQueryRules(op.operationId, sample.query, index + run);
        if (body) {
          satisfyApiRules(op.operationId, body, index + run);
          expect({ op: op.operationId, body, valid: samples.valid(bodySchema!, body) }).toMatchObject({ valid: true });
        }
        const response = await send(op, sample.id, sample.query, body);
        if (response.status >= 500 || response.body?.code === 'VALIDATION_FAILED') {
          refused.push(
            `${op.method.toUpperCase()} ${op.path} ${JSON.stringify({ query: sample.query, body })} → ${response.status} ${JSON.stringify(response.body?.errors ?? response.body)}`,
          );
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it('refuses every request that breaks one rule of the document, with 400 naming the field', async () => {
    const accepted: string[] = [];
    let checked = 0;
    const expectRefused = async (
      op: (typeof operations)[number],
      what: { path: string; label: string },
      send: () => request.Test,
    ) => {
      checked++;
      const response = await send();
      const fields = ((response.body?.errors ?? []) as { field: string }[]).map((e) => e.field);
      // The error names the broken field, its parent (an array, for an item) or one inside it.
      const related = (field: string) =>
        field === what.path || what.path.startsWith(`${field}.`) || field.startsWith(`${what.path}.`);
      if (response.status !== 400 || !fields.some(related)) {
        accepted.push(
          `${op.method.toUpperCase()} ${op.path} ${what.path}: ${what.label} → ${response.status} ${JSON.stringify(response.body?.errors ?? '')}`,
        );
      }
    };

    for (const [index, op] of operations.entries()) {
      const [valid] = fc.sample(
        fc.record({
          query: queryArbitrary(op),
          body: bodySchemaOf(op) ? samples.arbitrary(bodySchemaOf(op)!) : fc.constant(undefined),
        }),
        { seed: SEED + index, numRuns: 1 },
      );
      const body = valid.body as Record<string, unknown> | undefined;
      if (body) satisfyApiRules(op.operationId, body, index);
      satisfyQueryRules(op.operationId, valid.query, index);
      const id = '00000000-0000-4000-8000-000000000000';

      for (const p of op.parameters ?? []) {
        if (p.in === 'path') {
          const path = op.path.replace(/\{\w+\}/g, 'not-a-uuid');
          await expectRefused(op, { path: p.name, label: 'not a uuid' }, () => call(op, path, valid.query, body));
        }
        if (p.in !== 'query') continue;
        for (const wrong of samples.invalidValues(p.schema, p.name)) {
          // A query value is text: null and non-string types have no wire form of their own.
          if (wrong.value === null || Array.isArray(wrong.value) || wrong.label.startsWith('wrong type')) continue;
          expect({ param: p.name, wrong, valid: samples.valid(p.schema, wrong.value) }).toMatchObject({ valid: false });
          await expectRefused(op, wrong, () => send(op, id, { ...valid.query, [p.name]: wrong.value }, body));
        }
      }

      const schema = bodySchemaOf(op);
      if (!schema || !body) continue;
      for (const wrong of samples.invalidObjects(schema, body)) {
        expect({ op: op.operationId, wrong, valid: samples.valid(schema, wrong.value) }).toMatchObject({
          valid: false,
        });
        await expectRefused(op, wrong, () => send(op, id, valid.query, wrong.value));
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  it('is the document the running API serves', async () => {
    const served = await s.http().get('/api/docs-json').expect(200);
    expect(served.body).toEqual(document);
  });
});
