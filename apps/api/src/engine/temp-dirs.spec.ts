import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { processIdentity } from './process-identity';
import { createOwnedTempDir, sweepAbandonedTempDirs, TEMP_DIR_PREFIX } from './temp-dirs';

/** Another process that makes an owned folder under `root`, prints its path and stays alive. */
async function folderOfAnotherProcess(root: string) {
  const register = resolve(__dirname, '../../scripts/register-ts.cjs');
  const child = spawn(
    process.execPath,
    [
      '-r',
      register,
      '-e',
      `require(${JSON.stringify(resolve(__dirname, 'temp-dirs.ts'))}).createOwnedTempDir(${JSON.stringify(root)})
        .then((dir) => { console.log(dir.path); setInterval(() => {}, 1000); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const path = await new Promise<string>((done) =>
    child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim())),
  );
  const exited = new Promise((done) => child.once('exit', done));
  return { path, kill: async () => (child.kill('SIGKILL'), await exited) };
}

describe('owned temporary folders (RESTORE_TEMP_DIR)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'temp-dirs-spec-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("keeps a live process's folder and removes it once that process was killed", async () => {
    const other = await folderOfAnotherProcess(root);
    expect(other.path).toMatch(new RegExp(`/${TEMP_DIR_PREFIX}\\d+-\\w+$`));
    expect(await sweepAbandonedTempDirs(root)).toEqual([]);
    await other.kill();
    expect(await sweepAbandonedTempDirs(root)).toEqual([other.path]);
    expect(await readdir(root)).toEqual([]);
  });

  it("never removes this process's own folders, nor anything without the prefix", async () => {
    const own = await createOwnedTempDir(root);
    await mkdir(join(root, 'dumpstation-pg15-abc123'));
    await writeFile(join(root, 'archive.dump'), 'x');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(own.path, old, old);
    await utimes(join(root, 'dumpstation-pg15-abc123'), old, old);
    expect(await sweepAbandonedTempDirs(root)).toEqual([]);
    await own.dispose();
    expect((await readdir(root)).sort()).toEqual(['archive.dump', 'dumpstation-pg15-abc123']);
  });

  it('an owner it cannot check (another machine or container): removed only after 90 s without a heartbeat', async () => {
    const foreign = join(root, `${TEMP_DIR_PREFIX}1-foreign`);
    await mkdir(foreign);
    // Another kernel boot: this process cannot tell whether that one still runs.
    const identity = processIdentity()!.replace(/^[0-9a-f]{12}/, 'ffffffffffff');
    await writeFile(join(foreign, 'owner'), JSON.stringify({ identity }));
    expect(await sweepAbandonedTempDirs(root)).toEqual([]);
    const stale = new Date(Date.now() - 91_000);
    await utimes(foreign, stale, stale);
    expect(await sweepAbandonedTempDirs(root)).toEqual([foreign]);
  });
});
