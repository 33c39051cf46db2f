import { resolve } from 'node:path';
import { Client } from 'pg';
import { Migrator, defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from '../helpers/database';
import { actualCatalog, expectedCatalog, parseSchema, type Catalog } from './catalog';

const SCHEMA = resolve(__dirname, '../../../../prisma/schema.prisma');

// A change to schema.prisma without its hand-written migration (or the reverse) fails here.
describe('the migrated database matches prisma/schema.prisma', () => {
  let actual: Catalog;
  let expected: Catalog;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('schema');
    await new Migrator({ databaseUrl, migrationsDir: defaultMigrationsDir(), log: () => undefined }).migrate();
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      actual = await actualCatalog(client);
    } finally {
      await client.end();
    }
    expected = expectedCatalog(parseSchema(SCHEMA));
  });

  it('has exactly the enums of the schema, values in order', () => {
    expect(actual.enums).toEqual(expected.enums);
  });

  it('has exactly one table per model', () => {
    expect(Object.keys(actual.tables).sort()).toEqual(Object.keys(expected.tables).sort());
  });

  it('has every column with its type, nullability and default', () => {
    for (const [table, shape] of Object.entries(expected.tables)) {
      expect({ table, columns: actual.tables[table]?.columns }).toEqual({ table, columns: shape.columns });
    }
  });

  it('has the primary keys, unique constraints and indexes, with Prisma’s names', () => {
    for (const [table, shape] of Object.entries(expected.tables)) {
      const found = actual.tables[table];
      expect({ table, primaryKey: found?.primaryKey, uniques: found?.uniques, indexes: found?.indexes }).toEqual({
        table,
        primaryKey: shape.primaryKey,
        uniques: shape.uniques,
        indexes: shape.indexes,
      });
    }
  });

  it('has the foreign keys with their referential actions', () => {
    for (const [table, shape] of Object.entries(expected.tables)) {
      expect({ table, foreignKeys: actual.tables[table]?.foreignKeys }).toEqual({
        table,
        foreignKeys: shape.foreignKeys,
      });
    }
  });
});
