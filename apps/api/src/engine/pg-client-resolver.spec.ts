import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PgClientMissingError,
  PgClientResolver,
  PgRestoreTooNewError,
  parseBinDirTemplates,
  readToolVersion,
  serverMajor,
} from './pg-client-resolver';

describe('serverMajor', () => {
  it('reads the major from server_version_num', () => {
    expect(serverMajor(160014)).toBe(16);
    expect(serverMajor(120022)).toBe(12);
    expect(serverMajor(90624)).toBe(9);
    expect(() => serverMajor(0)).toThrow(RangeError);
  });
});

describe('PgClientResolver on a fake install tree', () => {
  let root: string;
  let resolver: PgClientResolver;

  /** A tiny executable that answers --version like the real tool. */
  async function install(major: number, tool: 'pg_dump' | 'pg_restore', mode = 0o755): Promise<string> {
    const dir = join(root, String(major), 'bin');
    await mkdir(dir, { recursive: true });
    const path = join(dir, tool);
    await writeFile(path, `#!/bin/sh\necho "${tool} (PostgreSQL) ${major}.3 (fake)"\n`);
    await chmod(path, mode);
    return path;
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-client-resolver-'));
    resolver = new PgClientResolver({ binDirTemplate: join(root, '{major}', 'bin') });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('uses the client of the same major when it is installed', async () => {
    await install(12, 'pg_dump');
    const fourteen = await install(14, 'pg_dump');
    await install(15, 'pg_dump');
    expect(await resolver.resolve('pg_dump', 140011)).toEqual({ major: 14, binary: fourteen, version: '14.3' });
  });

  it('falls back to the next higher major when the exact one is missing', async () => {
    await install(12, 'pg_restore');
    const thirteen = await install(13, 'pg_restore');
    expect(await resolver.resolve('pg_restore', 120022)).toEqual({
      major: 12,
      binary: join(root, '12/bin/pg_restore'),
      version: '12.3',
    });
    await rm(join(root, '12'), { recursive: true });
    expect(await resolver.resolve('pg_restore', 120022)).toEqual({ major: 13, binary: thirteen, version: '13.3' });
  });

  it('picks the lowest of several higher majors, never a lower one', async () => {
    await install(11, 'pg_dump');
    await install(17, 'pg_dump');
    const fifteen = await install(15, 'pg_dump');
    await install(16, 'pg_dump');
    const resolved = await resolver.resolve('pg_dump', 130020);
    expect(resolved.major).toBe(15);
    expect(resolved.binary).toBe(fifteen);
  });

  it('fails naming the client package to install when no suitable client exists', async () => {
    await install(15, 'pg_dump');
    await install(17, 'pg_restore'); // another tool does not count
    const error = await resolver.resolve('pg_dump', 160014).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgClientMissingError);
    expect((error as Error).message).toBe(
      `No pg_dump for PostgreSQL 16: install postgresql-client-16 (looked in ${join(root, '16', 'bin')} and above)`,
    );
  });

  it('ignores a file that is not executable', async () => {
    await install(14, 'pg_dump', 0o644);
    const sixteen = await install(16, 'pg_dump');
    expect((await resolver.resolve('pg_dump', 140000)).binary).toBe(sixteen);
    await chmod(sixteen, 0o644);
    await expect(resolver.resolve('pg_dump', 140000)).rejects.toThrow('install postgresql-client-14');
  });

  it('ignores a directory where the tool should be', async () => {
    await mkdir(join(root, '14', 'bin', 'pg_dump'), { recursive: true });
    await expect(resolver.resolve('pg_dump', 140000)).rejects.toBeInstanceOf(PgClientMissingError);
  });

  it('refuses to restore an archive newer than every pg_restore, naming the client that reads it', async () => {
    await install(15, 'pg_restore');
    const error = await resolver.resolveForRestore(170000, 17).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgClientMissingError);
    expect((error as Error).message).toBe(
      `No pg_restore 17 or newer to read this archive (written by pg_dump 17): install postgresql-client-17 (looked in ${join(root, '17', 'bin')} and above)`,
    );
    const seventeen = await install(17, 'pg_restore');
    expect(await resolver.resolveForRestore(170000, 17)).toEqual({
      major: 17,
      binary: seventeen,
      version: '17.3',
      fallback: false,
    });
  });
});

describe('PgClientResolver on a list of templates', () => {
  let system: string;
  let cache: string;
  let resolver: PgClientResolver;

  async function install(tree: string, major: number, tool: 'pg_dump' | 'pg_restore'): Promise<string> {
    const dir = join(tree, String(major), 'bin');
    await mkdir(dir, { recursive: true });
    const path = join(dir, tool);
    await writeFile(path, `#!/bin/sh\necho "${tool} (PostgreSQL) ${major}.1"\n`);
    await chmod(path, 0o755);
    return path;
  }

  beforeEach(async () => {
    system = await mkdtemp(join(tmpdir(), 'pg-client-system-'));
    cache = await mkdtemp(join(tmpdir(), 'pg-client-cache-'));
    resolver = new PgClientResolver({
      binDirTemplate: `${join(system, '{major}', 'bin')}:${join(cache, '{major}', 'bin')}`,
    });
  });
  afterEach(() => Promise.all([system, cache].map((dir) => rm(dir, { recursive: true, force: true }))));

  it('splits on `:`, keeps a single template, and refuses an empty list', () => {
    expect(parseBinDirTemplates('/a/{major}/bin:/b/{major}/bin')).toEqual(['/a/{major}/bin', '/b/{major}/bin']);
    expect(parseBinDirTemplates('/usr/lib/postgresql/{major}/bin')).toEqual(['/usr/lib/postgresql/{major}/bin']);
    expect(() => parseBinDirTemplates(' : ')).toThrow(RangeError);
    expect(resolver.binDirsFor(16)).toEqual([join(system, '16', 'bin'), join(cache, '16', 'bin')]);
  });

  it('searches the templates in order for each major, the exact major before a higher one', async () => {
    const systemFifteen = await install(system, 15, 'pg_dump');
    await install(cache, 15, 'pg_dump');
    const cacheSeventeen = await install(cache, 17, 'pg_dump');
    expect((await resolver.resolve('pg_dump', 150000)).binary).toBe(systemFifteen);
    expect((await resolver.resolve('pg_dump', 120000)).binary).toBe(systemFifteen);
    // No 16 anywhere: a 16 server is dumped by the next higher client, 17, from the second folder.
    expect(await resolver.resolve('pg_dump', 160014)).toEqual({ major: 17, binary: cacheSeventeen, version: '17.1' });
    expect(await resolver.installedMajors('pg_dump')).toEqual([15, 17]);
  });

  it('names every folder looked in when no client can serve the server', async () => {
    await install(system, 15, 'pg_dump');
    await expect(resolver.resolve('pg_dump', 160000)).rejects.toThrow(
      `No pg_dump for PostgreSQL 16: install postgresql-client-16 (looked in ${join(system, '16', 'bin')}, ${join(cache, '16', 'bin')} and above)`,
    );
  });

  it('restores into an older server than pg_restore 17 only with an older pg_restore, never 17', async () => {
    const fifteen = await install(system, 15, 'pg_restore');
    await install(cache, 17, 'pg_restore');
    // A 15 archive into a 16 server: pg_restore 15 (17 would send SET transaction_timeout, unknown to 16).
    expect(await resolver.resolveForRestore(160014, 15)).toMatchObject({ major: 15, binary: fifteen, fallback: true });
    expect(await resolver.resolveForRestore(150000, 12)).toMatchObject({ major: 15, fallback: false });
    // A 17 archive (a 16 server dumped by pg_dump 17) into a 16 server: nothing installable reads and restores it.
    const error = await resolver.resolveForRestore(160014, 17).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgRestoreTooNewError);
    expect((error as Error).message).toBe(
      'This archive (written by pg_dump 17) is read only by pg_restore 17 or newer, which cannot restore into PostgreSQL 16 (it sets transaction_timeout, new in PostgreSQL 17): restore it into a PostgreSQL 17 or newer server',
    );
    // Only 17 installed, a 15 archive into 16: the client of 16 would do.
    await rm(join(system, '15'), { recursive: true });
    await expect(resolver.resolveForRestore(160014, 15)).rejects.toThrow(
      'No pg_restore for PostgreSQL 16 (pg_restore 17 sets transaction_timeout, which PostgreSQL 16 lacks): install postgresql-client-16',
    );
  });

  it('prefers the target major, then an older reader, then a newer one', async () => {
    await install(system, 13, 'pg_restore');
    await install(system, 15, 'pg_restore');
    await install(cache, 17, 'pg_restore');
    expect((await resolver.resolveForRestore(150000, 12)).major).toBe(15);
    expect((await resolver.resolveForRestore(140000, 12)).major).toBe(13);
    expect((await resolver.resolveForRestore(140000, 14)).major).toBe(15);
    expect((await resolver.resolveForRestore(170000, 17)).major).toBe(17);
    expect((await resolver.resolveForRestore(180000, 16)).major).toBe(17);
  });

  it('restores a 15 archive into 17 with the 17 pg_restore of the second folder', async () => {
    await install(system, 15, 'pg_restore');
    const seventeen = await install(cache, 17, 'pg_restore');
    expect(await resolver.resolveForRestore(170000, 15)).toMatchObject({
      major: 17,
      binary: seventeen,
      fallback: false,
    });
  });
});

describe('PgClientResolver on this machine', () => {
  // Debian bookworm's postgresql-client-15 is installed here (see ENVIRONMENT.md).
  it('resolves server 15 to the Debian pg_dump 15 with its version', async () => {
    const resolved = await new PgClientResolver().resolve('pg_dump', 150000);
    expect(resolved.major).toBe(15);
    expect(resolved.binary).toBe('/usr/lib/postgresql/15/bin/pg_dump');
    expect(resolved.version).toMatch(/^15\.\d+$/);
    expect(await readToolVersion(resolved.binary)).toBe(resolved.version);
  });
});
