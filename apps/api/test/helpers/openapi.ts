import { METHODS, type IncomingMessage } from 'node:http';
import request from 'supertest';
import type { TestApp } from './app';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  enum?: unknown[];
  items?: Schema;
  allOf?: Schema[];
};
type OpenApi = {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, Schema> };
};
type OperationObject = {
  operationId: string;
  'x-required-role'?: string;
  'x-session-only'?: boolean;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
};

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. /api/v1/members/{id} */
  path: string;
  operationId: string;
  requiredRole: string | undefined;
  /** Refuses API tokens (`x-session-only`). */
  sessionOnly: boolean;
  /** A request body built from the schema's examples (valid input), or undefined without a body. */
  exampleBody: Record<string, unknown> | undefined;
  /** Answers an endless text/event-stream (GET /events). */
  eventStream: boolean;
}

/** Every operation the running app documents in /api/docs-json. */
export async function documentedOperations(api: TestApp): Promise<Operation[]> {
  const response = await request(api.app.getHttpServer()).get('/api/docs-json');
  if (response.status !== 200) throw new Error(`/api/docs-json answered ${response.status}`);
  const spec = response.body as OpenApi;
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? resolve(spec.components.schemas[schema.$ref.split('/').pop()!]) : schema;
  const example = (schema: Schema): unknown => {
    const s = resolve(schema);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((part) => example(part)));
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.type === 'object' || s.properties) {
      const body: Record<string, unknown> = {};
      for (const name of s.required ?? []) body[name] = example(s.properties![name]);
      return body;
    }
    if (s.type === 'array') return [];
    throw new Error(`no example for a required ${JSON.stringify(schema)}: add one to its @ApiProperty`);
  };
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const schema = op.requestBody?.content['application/json']?.schema;
      return {
        method: method as Operation['method'],
        path,
        operationId: op.operationId,
        requiredRole: op['x-required-role'],
        sessionOnly: op['x-session-only'] === true,
        exampleBody: schema ? (example(schema) as Record<string, unknown>) : undefined,
        eventStream: Boolean(op.responses?.['200']?.content?.['text/event-stream']),
      };
    }),
  );
}

/** The routes Express actually serves under /api/v1 (and the root `/health`), as `METHOD /api/v1/x/{param}`. */
export function servedRoutes(api: TestApp): string[] {
  const router = (api.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  return (
    router.stack
      .filter((layer) => layer.route?.path.startsWith('/api/v1/') || layer.route?.path === '/health')
      // Nest binds middleware as a route for every method (at /health, outside the prefix): not endpoints.
      .filter((layer) => Object.keys(layer.route!.methods).length < METHODS.length)
      .flatMap((layer) =>
        Object.keys(layer.route!.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
      )
  );
}

export const describeOperation = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** A response parser that closes an event stream as soon as it opens, and reads any other answer as JSON. */
export function closeEventStream(response: request.Response, done: (error: Error | null, body: unknown) => void): void {
  // In Node, superagent hands its parser the raw message.
  const res = response as unknown as IncomingMessage;
  if (String(res.headers['content-type']).startsWith('text/event-stream')) {
    res.destroy();
    done(null, {});
    return;
  }
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => {
    try {
      done(null, text ? JSON.parse(text) : {});
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** Sends `op` with every path parameter set to `id`, with `body` (default: its example body). */
export function send(
  api: TestApp,
  op: Operation,
  id: string,
  options: { token?: string; body?: Record<string, unknown> } = {},
): request.Test {
  const url = op.path.replace(/\{\w+\}/g, id);
  const call = request(api.app.getHttpServer())[op.method](url);
  if (options.token) call.set('Authorization', `Bearer ${options.token}`);
  // An event stream never ends: its status is the answer, and the stream is closed at once.
  if (op.eventStream) call.buffer(false).parse(closeEventStream);
  const body = options.body ?? op.exampleBody;
  return body === undefined ? call : call.send(body);
}
