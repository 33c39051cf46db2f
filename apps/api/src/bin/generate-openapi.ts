import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp, buildOpenApiDocument } from '../app.factory';
import { loadConfig } from '../config/app-config';

/** Recursively sorts object keys so the committed document diffs cleanly. Arrays keep their order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Writes docs/openapi.json from the real application, without listening or touching a database. */
async function main(): Promise<void> {
  const output = resolve(__dirname, '../../../../docs/openapi.json');
  // Nothing connects while the document is built; the URL only satisfies validation.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgresql://openapi@localhost/openapi',
    APP_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  });
  const app = await createApp(config);
  const document = sortKeys(buildOpenApiDocument(app, config));
  await app.close();
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${output}\n`);
}

void main();
