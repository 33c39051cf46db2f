import { RELATION_DESCS, type TocEntry } from './archive-toc';

/** What a partial restore asks for: schema names, and tables as `schema.table` or a bare `table`. */
export interface RestoreFilter {
  schemas: string[];
  tables: string[];
}

/** A requested name the archive does not hold, with the request field that named it. */
export interface MissingName {
  field: string;
  message: string;
}

/**
 * Entries that belong to a relation (or a schema) rather than standing alone: a table restore
 * brings those whose dependencies are all part of the restore (or already in the target).
 */
const DEPENDENT_DESCS = new Set([
  'TABLE DATA',
  'SEQUENCE SET',
  'SEQUENCE OWNED BY',
  'MATERIALIZED VIEW DATA',
  'DEFAULT',
  'CONSTRAINT',
  'CHECK CONSTRAINT',
  'FK CONSTRAINT',
  'INDEX',
  'INDEX ATTACH',
  'TABLE ATTACH',
  'TRIGGER',
  'RULE',
  'POLICY',
  'ROW SECURITY',
  'STATISTICS',
  'COMMENT',
  'ACL',
  'SECURITY LABEL',
]);
/** Always processed by pg_restore; listed so the use-list is complete. */
const SPECIAL_DESCS = new Set(['ENCODING', 'STDSTRINGS', 'SEARCHPATH']);

/** `"a b".c` → ['a b', 'c']; null when the text is not a quoted-identifier form. */
function parseQuoted(spec: string): [string | null, string] | null {
  if (!spec.includes('"')) return null;
  const parts: string[] = [];
  let i = 0;
  while (i < spec.length) {
    let part = '';
    if (spec[i] === '"') {
      i++;
      for (;;) {
        if (i >= spec.length) return null;
        if (spec[i] === '"') {
          if (spec[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += spec[i++];
      }
    } else {
      while (i < spec.length && spec[i] !== '.') part += spec[i++];
      part = part.toLowerCase();
    }
    parts.push(part);
    if (i === spec.length) break;
    if (spec[i] !== '.') return null;
    i++;
  }
  if (parts.length === 1) return [null, parts[0]];
  if (parts.length === 2) return [parts[0], parts[1]];
  return null;
}

/** Whether `entry` is the relation `spec` names: `schema.table`, a bare `table`, or quoted identifiers. */
function namesRelation(entry: TocEntry, spec: string): boolean {
  if (!RELATION_DESCS.has(entry.desc)) return false;
  if (spec === entry.tag || spec === `${entry.namespace}.${entry.tag}`) return true;
  const quoted = parseQuoted(spec);
  return !!quoted && quoted[1] === entry.tag && (quoted[0] === null || quoted[0] === entry.namespace);
}

const inSchemas = (entry: TocEntry, filter: RestoreFilter) =>
  filter.schemas.length === 0 || (entry.namespace !== null && filter.schemas.includes(entry.namespace));

/** Every requested schema and table the archive lacks (an empty list: all are there). */
export function missingNames(toc: TocEntry[], filter: RestoreFilter): MissingName[] {
  const missing: MissingName[] = [];
  filter.schemas.forEach((schema, index) => {
    if (!toc.some((e) => e.namespace === schema || (e.desc === 'SCHEMA' && e.tag === schema))) {
      missing.push({ field: `schemas[${index}]`, message: `schema "${schema}" is not in the backup` });
    }
  });
  filter.tables.forEach((spec, index) => {
    if (!toc.some((e) => namesRelation(e, spec) && inSchemas(e, filter))) {
      const where = filter.schemas.length ? ` (in schemas ${filter.schemas.join(', ')})` : '';
      missing.push({ field: `tables[${index}]`, message: `table "${spec}" is not in the backup${where}` });
    }
  });
  return missing;
}

/**
 * The dump ids to restore (in archive order, for `pg_restore --use-list`), or null for the whole
 * archive. `existingSchemas` are the target's schemas: a schema is created only where it is missing.
 *
 * - `schemas`: everything in those schemas, and the schema itself (with its comment and grants).
 * - `tables`: each relation with its rows, its partitions (a partitioned table is its partitions'
 *   rows), its owned sequences (serial, identity) and what belongs to it alone: defaults, primary
 *   keys, unique and check constraints, indexes, comments, grants, policies, and foreign keys,
 *   triggers and rules whose every dependency (referenced table, trigger function) is restored too;
 *   plus its schema when the target lacks it.
 */
export function selectEntries(toc: TocEntry[], filter: RestoreFilter, existingSchemas: Set<string>): number[] | null {
  if (filter.schemas.length === 0 && filter.tables.length === 0) return null;
  const byId = new Map(toc.map((e) => [e.dumpId, e]));
  const included = new Set<number>();
  const schemaEntry = new Map(toc.filter((e) => e.desc === 'SCHEMA').map((e) => [e.tag, e]));
  const needSchema = (name: string | null) => {
    const entry = name === null ? undefined : schemaEntry.get(name);
    if (entry && !existingSchemas.has(entry.tag)) included.add(entry.dumpId);
  };

  if (filter.tables.length === 0) {
    for (const e of toc) if (e.namespace !== null && filter.schemas.includes(e.namespace)) included.add(e.dumpId);
    for (const schema of filter.schemas) needSchema(schema);
  } else {
    for (const e of toc) {
      if (filter.tables.some((spec) => namesRelation(e, spec)) && inSchemas(e, filter)) included.add(e.dumpId);
    }
    // Partitions (and inheritance children) of a chosen table, and the sequences it owns.
    for (let grew = true; grew;) {
      grew = false;
      for (const e of toc) {
        if (included.has(e.dumpId) || (e.desc !== 'TABLE' && e.desc !== 'SEQUENCE')) continue;
        if (e.deps.some((d) => included.has(d) && byId.get(d)?.desc === 'TABLE')) {
          included.add(e.dumpId);
          grew = true;
        }
      }
    }
    for (const id of [...included]) needSchema(byId.get(id)!.namespace);
  }

  // What belongs to the chosen objects: its dependencies all restored, or already in the target.
  const present = (id: number) => {
    const dep = byId.get(id);
    if (!dep || dep.desc === 'ACL') return true;
    return included.has(id) || (dep.desc === 'SCHEMA' && existingSchemas.has(dep.tag));
  };
  for (let grew = true; grew;) {
    grew = false;
    for (const e of toc) {
      if (included.has(e.dumpId) || !DEPENDENT_DESCS.has(e.desc) || e.deps.length === 0) continue;
      if (e.deps.some((d) => included.has(d)) && e.deps.every(present)) {
        included.add(e.dumpId);
        grew = true;
      }
    }
  }
  return toc.filter((e) => included.has(e.dumpId) || SPECIAL_DESCS.has(e.desc)).map((e) => e.dumpId);
}
