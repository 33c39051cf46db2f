import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  additionalProperties?: boolean;
};
type Parameter = { in: string; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };

/** The regex source every free-form input string obeys: `refuseMalformedInput` refuses NUL anywhere. */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

const nameOf = (ref: string) => ref.split('/').pop()!;

/** A string the client types freely (no enum, pattern or format) gets the NUL rule written down. */
function constrainStrings(schema: Schema | undefined): void {
  if (!schema) return;
  if (schema.type === 'string' && !schema.enum && !schema.pattern && !schema.format) schema.pattern = NO_NUL_PATTERN;
  if (schema.type === 'array') constrainStrings(schema.items);
}

/**
 * Makes the generated document say what the validation pipe enforces, in the one place every
 * document is built: each schema a request body uses (and the schemas nested in it) gets
 * `additionalProperties: false` (the pipe runs with forbidNonWhitelisted), and free-form strings
 * of bodies, queries and paths get the NUL rule. Response-only schemas are left as they are.
 */
export function strictenOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const pending: string[] = [];
  const operations = Object.values(document.paths).flatMap(
    (item) => Object.values(item as Record<string, Operation>).filter((op) => typeof op === 'object') as Operation[],
  );
  for (const operation of operations) {
    for (const parameter of operation.parameters ?? []) constrainStrings(parameter.schema);
    for (const media of Object.values(operation.requestBody?.content ?? {})) {
      if (media.schema?.$ref) pending.push(nameOf(media.schema.$ref));
    }
  }
  const done = new Set<string>();
  while (pending.length) {
    const name = pending.pop()!;
    if (done.has(name) || !schemas[name]) continue;
    done.add(name);
    const schema = schemas[name];
    if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
    for (const property of Object.values(schema.properties ?? {})) {
      constrainStrings(property);
      for (const nested of [property, property.items, ...(property.allOf ?? [])]) {
        if (nested?.$ref) pending.push(nameOf(nested.$ref));
      }
    }
  }
  return document;
}
