import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

/** The OpenAPI 3.0 schema keywords the API's document uses. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  allOf?: Schema[];
  [keyword: string]: unknown;
}

/**
 * Valid and invalid values of the API's OpenAPI schemas: valid ones drawn with fast-check (fixed
 * seed by the caller), invalid ones as one mutation at a time of a valid value. Every value is
 * checked with Ajv against the same schema first, so a test built on it compares the API with its
 * document, not with this generator's mistakes.
 */
export class SchemaSamples {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, unicodeRegExp: false });
  private readonly validators = new Map<Schema, ValidateFunction>();

  constructor(private readonly components: Record<string, Schema>) {
    addFormats(this.ajv);
  }

  /** The schema itself: $refs followed, `allOf: [$ref]` (how Nest writes a described ref) merged. */
  resolve(schema: Schema): Schema {
    if (schema.$ref) return this.resolve(this.components[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) {
      const { allOf, type: _type, ...own } = schema;
      return { ...this.resolve(allOf[0]), ...own };
    }
    return schema;
  }

  /** OpenAPI 3.0 → JSON Schema for Ajv: refs inlined, `nullable` as a `null` alternative. */
  private toJsonSchema(schema: Schema): Record<string, unknown> {
    const { nullable, properties, items, example: _e, default: _d, ...rest } = this.resolve(schema);
    const out: Record<string, unknown> = { ...rest };
    if (properties) {
      out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, this.toJsonSchema(v)]));
    }
    if (items) out.items = this.toJsonSchema(items);
    return nullable ? { anyOf: [out, { type: 'null' }] } : out;
  }

  /** Whether `value` is valid for `schema` according to Ajv. */
  valid(schema: Schema, value: unknown): boolean {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(this.toJsonSchema(schema));
      this.validators.set(schema, validate);
    }
    return validate(value);
  }

  /** A fast-check arbitrary of valid values of `schema`. */
  arbitrary(schema: Schema): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    let arbitrary: fc.Arbitrary<unknown>;
    if (s.enum) arbitrary = fc.constantFrom(...s.enum);
    else if (s.type === 'object' || s.properties) {
      const model = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, this.arbitrary(v)]));
      arbitrary = fc.record(model, { requiredKeys: s.required ?? [] });
    } else if (s.type === 'string') arbitrary = this.string(s);
    else if (s.type === 'integer')
      arbitrary = fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    else if (s.type === 'number') {
      arbitrary = fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    } else if (s.type === 'boolean') arbitrary = fc.boolean();
    else if (s.type === 'array') {
      arbitrary = fc.array(this.arbitrary(s.items!), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    } else throw new Error(`no generator for ${JSON.stringify(s)}`);
    return s.nullable ? fc.option(arbitrary, { nil: null, freq: 4 }) : arbitrary;
  }

  private string(s: Schema): fc.Arbitrary<string> {
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 200;
    if (s.format === 'uuid') return fc.uuid();
    // Only `expires_at` has a date-time: the API wants it in the future, which a schema cannot say.
    if (s.format === 'date-time') {
      return fc
        .date({ min: new Date(Date.now() + 86_400_000), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString());
    }
    if (s.format === 'email') {
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('example.com', 'mail.example.org'))
        .map(([local, domain]) => `${local}@${domain}`);
    }
    if (!s.pattern) return fc.string({ minLength: min, maxLength: max });
    const pattern = new RegExp(s.pattern);
    // fast-check cannot generate from lookaheads: generate without them, keep what matches them.
    const generable = new RegExp(s.pattern.replace(/\(\?[=!](?:[^()\\]|\\.)*\)/g, ''));
    return fc
      .stringMatching(generable)
      .filter((value) => pattern.test(value) && [...value].length >= min && [...value].length <= max);
  }

  /** One wrong value per rule the schema states, each with the field path it concerns. */
  invalidValues(schema: Schema, path: string): { path: string; label: string; value: unknown }[] {
    const s = this.resolve(schema);
    const out: { path: string; label: string; value: unknown }[] = [];
    const add = (label: string, value: unknown) => out.push({ path, label, value });
    if (!s.nullable) add('null', null);
    if (s.enum) add('not in the enum', 'not-one-of-them');
    if (s.type === 'string') {
      add('wrong type (number)', 12345);
      if (s.maxLength !== undefined) add(`longer than ${s.maxLength}`, 'a'.repeat(s.maxLength + 1));
      if (s.minLength) add(`shorter than ${s.minLength}`, '');
      if (s.format === 'uuid') add('not a uuid', 'not-a-uuid');
      if (s.format === 'date-time') add('not a date-time', 'tomorrow');
      if (s.format === 'email') add('not an email', 'not-an-email');
      if (s.pattern) {
        const pattern = new RegExp(s.pattern);
        const candidates = ['', ' ', '-x', 'a b', 'A', '\u202Eexe.pdf', 'x\u0000y', '%%', 'a'.repeat(300), '..', '/x'];
        const wrong = candidates.find((value) => !pattern.test(value));
        if (wrong !== undefined) add(`not matching ${s.pattern}`, wrong);
      }
    }
    if (s.type === 'integer') {
      add('wrong type (string)', '12');
      add('not an integer', 1.5);
      if (s.minimum !== undefined) add(`below ${s.minimum}`, s.minimum - 1);
      if (s.maximum !== undefined) add(`above ${s.maximum}`, s.maximum + 1);
    }
    if (s.type === 'boolean') add('wrong type (string)', 'true');
    if (s.type === 'array') {
      add('wrong type (string)', 'x');
      const item = fc.sample(this.arbitrary(s.items!), { seed: 1, numRuns: 1 })[0];
      if (s.maxItems !== undefined) add(`more than ${s.maxItems} items`, Array(s.maxItems + 1).fill(item));
      for (const wrong of this.invalidValues(s.items!, `${path}.0`)) {
        out.push({ path: wrong.path, label: `item ${wrong.label}`, value: [wrong.value] });
      }
    }
    if (s.type === 'object' || s.properties) add('wrong type (string)', 'x');
    return out;
  }

  /**
   * Invalid variants of the valid object `base`, one broken rule each: every property's wrong
   * values, each required property left out, an unknown property, and the same inside nested objects.
   */
  invalidObjects(
    schema: Schema,
    base: Record<string, unknown>,
    path = '',
  ): { path: string; label: string; value: Record<string, unknown> }[] {
    const s = this.resolve(schema);
    const at = (key: string) => (path ? `${path}.${key}` : key);
    const out: { path: string; label: string; value: Record<string, unknown> }[] = [];
    for (const name of s.required ?? []) {
      const { [name]: _left, ...rest } = base;
      out.push({ path: at(name), label: 'required property missing', value: rest });
    }
    if (s.additionalProperties === false) {
      out.push({
        path: at('unexpected_property'),
        label: 'unknown property',
        value: { ...base, unexpected_property: 1 },
      });
    }
    for (const [name, property] of Object.entries(s.properties ?? {})) {
      for (const wrong of this.invalidValues(property, at(name))) {
        out.push({ ...wrong, value: { ...base, [name]: wrong.value } });
      }
      const nested = this.resolve(property);
      if (nested.type === 'object' || nested.properties) {
        const inner =
          base[name] && typeof base[name] === 'object'
            ? (base[name] as Record<string, unknown>)
            : (fc.sample(this.arbitrary({ ...nested, nullable: false }), { seed: 1, numRuns: 1 })[0] as Record<
                string,
                unknown
              >);
        for (const wrong of this.invalidObjects(nested, inner, at(name))) {
          out.push({ ...wrong, value: { ...base, [name]: wrong.value } });
        }
      }
    }
    return out;
  }
}
