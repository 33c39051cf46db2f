import type { Readable } from 'node:stream';

/** One entry of a custom-format archive's table of contents, as pg_restore reads it. */
export interface TocEntry {
  dumpId: number;
  /** e.g. TABLE, TABLE DATA, SCHEMA, INDEX, CONSTRAINT, FK CONSTRAINT, ACL, COMMENT. */
  desc: string;
  /** The object's name (for a constraint or trigger: the table's name, then its own; see pg_restore -l). */
  tag: string;
  namespace: string | null;
  owner: string | null;
  /** Dump ids of the entries this one depends on. */
  deps: number[];
}

export class ArchiveTocError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveTocError';
  }
}

const MAGIC = 'PGDMP';
const FORMAT_CUSTOM = 1;
const version = (major: number, minor: number, rev: number) => (major << 16) | (minor << 8) | rev;
const V1_15 = version(1, 15, 0);
const V1_16 = version(1, 16, 0);
/** The oldest archive layout read here (pg_dump 12 writes 1.14) and the newest known (pg_dump 17: 1.16). */
const OLDEST = version(1, 14, 0);
const NEWEST = version(1, 16, 0);
/** A TOC that claims more entries than this is not a TOC. */
const MAX_ENTRIES = 50_000_000;

/**
 * Pulls bytes from a stream on demand: the table of contents is at the start of a custom-format
 * archive, so it is read without reading (or downloading) the data behind it.
 */
class ByteReader {
  private buffer = Buffer.alloc(0);
  private offset = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(source: Readable) {
    this.iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private async fill(needed: number): Promise<void> {
    while (this.buffer.length - this.offset < needed) {
      if (this.ended) throw new ArchiveTocError('The archive ends inside its table of contents');
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        continue;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      this.buffer = Buffer.concat([this.buffer.subarray(this.offset), chunk]);
      this.offset = 0;
    }
  }

  async bytes(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  async byte(): Promise<number> {
    return (await this.bytes(1))[0];
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/**
 * Reads the table of contents of a pg_dump custom-format archive (`-Fc`), the layout pg_restore's
 * ReadHead/ReadToc read (archive versions 1.14 to 1.16: pg_dump 12 to 17). Unlike `pg_restore -l`,
 * names come back exactly (a name with spaces is one name) and with each entry's dependencies.
 * Consumes only the start of the stream; the caller destroys it.
 */
export async function readArchiveToc(source: Readable): Promise<TocEntry[]> {
  const reader = new ByteReader(source);
  try {
    if ((await reader.bytes(5)).toString('latin1') !== MAGIC) {
      throw new ArchiveTocError('Not a pg_dump custom-format archive (no PGDMP header)');
    }
    const [major, minor, rev] = [await reader.byte(), await reader.byte(), await reader.byte()];
    const v = version(major, minor, rev);
    if (v < OLDEST || v > NEWEST) {
      throw new ArchiveTocError(`Unsupported archive version ${major}.${minor}-${rev}`);
    }
    const intSize = await reader.byte();
    const offSize = await reader.byte();
    if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 16) {
      throw new ArchiveTocError('Corrupt archive header (integer sizes)');
    }
    const format = await reader.byte();
    if (format !== FORMAT_CUSTOM) throw new ArchiveTocError(`Not a custom-format archive (format ${format})`);

    const readInt = async (): Promise<number> => {
      const sign = await reader.byte();
      const raw = await reader.bytes(intSize);
      let value = 0;
      for (let i = raw.length - 1; i >= 0; i--) value = value * 256 + raw[i];
      return sign ? -value : value;
    };
    const readStr = async (): Promise<string | null> => {
      const length = await readInt();
      if (length < 0) return null;
      if (length > 1 << 30) throw new ArchiveTocError('Corrupt archive (string length)');
      return (await reader.bytes(length)).toString('utf8');
    };

    if (v >= V1_15) await reader.byte();
    else await readInt(); // compression level
    for (let i = 0; i < 7; i++) await readInt(); // creation time
    for (let i = 0; i < 3; i++) await readStr(); // database name, server version, pg_dump version

    const count = await readInt();
    if (count < 0 || count > MAX_ENTRIES) throw new ArchiveTocError('Corrupt archive (entry count)');
    const entries: TocEntry[] = [];
    for (let i = 0; i < count; i++) {
      const dumpId = await readInt();
      if (dumpId <= 0) throw new ArchiveTocError(`Corrupt archive (entry id ${dumpId})`);
      await readInt(); // hadDumper
      await readStr(); // tableoid
      await readStr(); // oid
      const tag = (await readStr()) ?? '';
      const desc = (await readStr()) ?? '';
      await readInt(); // section
      await readStr(); // defn
      await readStr(); // dropStmt
      await readStr(); // copyStmt
      const namespace = await readStr();
      await readStr(); // tablespace
      await readStr(); // tableam
      if (v >= V1_16) await readInt(); // relkind
      const owner = await readStr();
      await readStr(); // "false": WITH OIDS
      const deps: number[] = [];
      for (;;) {
        const dep = await readStr();
        if (dep === null) break;
        deps.push(Number.parseInt(dep, 10));
      }
      // Custom format: where the entry's data is (a flag byte and an offset).
      await reader.bytes(1 + offSize);
      entries.push({ dumpId, desc, tag, namespace, owner, deps });
    }
    return entries;
  } finally {
    await reader.close();
  }
}

/** Descriptions of entries that are relations pg_restore's `--table` selects. */
export const RELATION_DESCS = new Set(['TABLE', 'VIEW', 'MATERIALIZED VIEW', 'FOREIGN TABLE', 'SEQUENCE']);
