import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
// Prisma's own schema parser (the wasm build the CLI uses), so "expected" is what Prisma understands.
import { get_dmmf } from '@prisma/prisma-schema-wasm';

/** A database's shape, in the terms PostgreSQL reports it, comparable across sources. */
export interface Catalog {
  enums: Record<string, string[]>;
  tables: Record<string, TableShape>;
}
export interface TableShape {
  columns: Record<string, { type: string; nullable: boolean; default: string | null }>;
  primaryKey: { name: string; columns: string[] };
  /** index name → columns (unique indexes and plain indexes separately) */
  uniques: Record<string, string[]>;
  indexes: Record<string, string[]>;
  foreignKeys: Record<
    string,
    { columns: string[]; references: string; referencedColumns: string[]; onDelete: string; onUpdate: string }
  >;
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  type: string;
  nativeType: [string, string[]] | null;
  default?: unknown;
  hasDefaultValue: boolean;
  isUpdatedAt: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  uniqueIndexes: { name: string | null; fields: string[] }[];
  /** A composite primary key (@@id); null when a field has @id. */
  primaryKey: { name: string | null; fields: string[] } | null;
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: { model: string; type: string; dbName?: string | null; fields: { name: string }[] }[];
  };
}

export function parseSchema(path: string): Dmmf {
  return JSON.parse(
    get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', readFileSync(path, 'utf8')]], noColor: true })),
  );
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  Json: 'jsonb',
  Bytes: 'bytea',
  DateTime: 'timestamp(3) without time zone',
  Decimal: 'numeric(65,30)',
};
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => 'uuid',
  Timestamptz: (args) => `timestamp(${args[0] ?? 6}) with time zone`,
  VarChar: (args) => `character varying(${args[0]})`,
  Text: () => 'text',
};
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  SetNull: 'SET NULL',
  NoAction: 'NO ACTION',
  SetDefault: 'SET DEFAULT',
};

/** PostgreSQL truncates identifiers to 63 bytes; Prisma's default names follow the same rule. */
const identifier = (name: string) => name.slice(0, 63);

/** The catalog Prisma's schema implies, with Prisma's default constraint and index names. */
export function expectedCatalog(dmmf: Dmmf): Catalog {
  const enums = Object.fromEntries(
    dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]),
  );
  const enumDbName = (name: string) => {
    const found = dmmf.datamodel.enums.find((e) => e.name === name)!;
    return found.dbName ?? found.name;
  };
  const tableOf = (modelName: string) => {
    const model = dmmf.datamodel.models.find((m) => m.name === modelName)!;
    return model.dbName ?? model.name;
  };
  const tables: Record<string, TableShape> = {};
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    const column = (fieldName: string) => {
      const field = model.fields.find((f) => f.name === fieldName)!;
      return field.dbName ?? field.name;
    };
    const shape: TableShape = {
      columns: {},
      primaryKey: { name: `${table}_pkey`, columns: [] },
      uniques: {},
      indexes: {},
      foreignKeys: {},
    };
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (field.relationFromFields?.length) {
          const columns = field.relationFromFields.map(column);
          const target = dmmf.datamodel.models.find((m) => m.name === field.type)!;
          const referencedColumns = field.relationToFields!.map((name) => {
            const f = target.fields.find((x) => x.name === name)!;
            return f.dbName ?? f.name;
          });
          const optional = field.relationFromFields.some(
            (name) => !model.fields.find((f) => f.name === name)!.isRequired,
          );
          shape.foreignKeys[identifier(`${table}_${columns.join('_')}_fkey`)] = {
            columns,
            references: tableOf(field.type),
            referencedColumns,
            onDelete: ACTIONS[field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict')],
            onUpdate: ACTIONS[field.relationOnUpdate ?? 'Cascade'],
          };
        }
        continue;
      }
      const name = field.dbName ?? field.name;
      let type =
        field.kind === 'enum'
          ? enumDbName(field.type)
          : field.nativeType
            ? NATIVE_TYPES[field.nativeType[0]](field.nativeType[1])
            : SCALAR_TYPES[field.type];
      if (field.isList) type = `${type}[]`;
      shape.columns[name] = {
        type,
        // Prisma creates list columns without NOT NULL.
        nullable: field.isList || !field.isRequired,
        default: expectedDefault(field, field.kind === 'enum' ? enumDbName(field.type) : type),
      };
      if (field.isId) shape.primaryKey.columns.push(name);
      if (field.isUnique) shape.uniques[identifier(`${table}_${name}_key`)] = [name];
    }
    if (model.primaryKey) {
      shape.primaryKey = {
        name: identifier(model.primaryKey.name ?? `${table}_pkey`),
        columns: model.primaryKey.fields.map(column),
      };
    }
    for (const unique of model.uniqueIndexes) {
      const columns = unique.fields.map(column);
      shape.uniques[identifier(unique.name ?? `${table}_${columns.join('_')}_key`)] = columns;
    }
    for (const index of dmmf.datamodel.indexes.filter((i) => i.model === model.name && i.type === 'normal')) {
      const columns = index.fields.map((f) => column(f.name));
      shape.indexes[identifier(index.dbName ?? `${table}_${columns.join('_')}_idx`)] = columns;
    }
    tables[table] = shape;
  }
  return { enums, tables };
}

/** How PostgreSQL prints the default Prisma's migration would set (pg_get_expr form). */
function expectedDefault(field: DmmfField, type: string): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default as unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fn = (value as { name: string }).name;
    if (fn === 'now') return 'CURRENT_TIMESTAMP';
    return null; // uuid(), cuid(): generated by Prisma Client, not by the database
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return `ARRAY[]::${type}`;
    return `ARRAY[${value.map((v) => `'${v}'::${type.replace('[]', '')}`).join(', ')}]`;
  }
  if (field.kind === 'enum') return `'${value}'::${type}`;
  if (field.type === 'BigInt' || field.type === 'Int' || field.type === 'Float') return String(value);
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'::text`;
  return String(value);
}

/** The catalog of the database behind `client` (schema public), minus Prisma's bookkeeping table. */
export async function actualCatalog(client: Client): Promise<Catalog> {
  const enums: Record<string, string[]> = {};
  const enumRows = await client.query<{ name: string; value: string }>(`
    SELECT t.typname AS name, e.enumlabel AS value
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`);
  for (const row of enumRows.rows) (enums[row.name] ??= []).push(row.value);

  const tables: Record<string, TableShape> = {};
  const columns = await client.query<{
    table: string;
    column: string;
    type: string;
    nullable: boolean;
    default: string | null;
  }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  for (const row of columns.rows) {
    tables[row.table] ??= {
      columns: {},
      primaryKey: { name: '', columns: [] },
      uniques: {},
      indexes: {},
      foreignKeys: {},
    };
    tables[row.table].columns[row.column] = { type: row.type, nullable: row.nullable, default: row.default };
  }
  const indexes = await client.query<{
    table: string;
    name: string;
    columns: string[];
    unique: boolean;
    primary: boolean;
  }>(`
    SELECT t.relname AS table, i.relname AS name, i_x.indisunique AS unique, i_x.indisprimary AS primary,
           array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_index i_x JOIN pg_class i ON i.oid = i_x.indexrelid JOIN pg_class t ON t.oid = i_x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(i_x.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
    GROUP BY t.relname, i.relname, i_x.indisunique, i_x.indisprimary`);
  for (const row of indexes.rows) {
    const table = tables[row.table];
    if (row.primary) table.primaryKey = { name: row.name, columns: row.columns };
    else if (row.unique) table.uniques[row.name] = row.columns;
    else table.indexes[row.name] = row.columns;
  }
  const foreignKeys = await client.query<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referencedColumns: string[];
    onDelete: string;
    onUpdate: string;
  }>(`
    SELECT t.relname AS table, c.conname AS name, r.relname AS references,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord)
         JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS "referencedColumns",
      CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'n' THEN 'SET NULL' WHEN 'a' THEN 'NO ACTION' WHEN 'd' THEN 'SET DEFAULT' END AS "onDelete",
      CASE c.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'n' THEN 'SET NULL' WHEN 'a' THEN 'NO ACTION' WHEN 'd' THEN 'SET DEFAULT' END AS "onUpdate"
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = 'public'`);
  for (const { table, name, ...fk } of foreignKeys.rows) tables[table].foreignKeys[name] = fk;
  return { enums, tables };
}
