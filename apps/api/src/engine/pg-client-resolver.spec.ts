import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgClientMissingError, PgClientResolver, readToolVersion, serverMajor } from './pg-client-resolver';

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
