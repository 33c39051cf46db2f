import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { findSetpriv, PgToolError, runPgTool } from './pg-tool-process';

async function outputOf(run: ReturnType<typeof runPgTool>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of run.stdout) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// A stand-in for pg_dump: any program shows how runPgTool starts it.
const SH = '/bin/sh';

describe('runPgTool', () => {
  it('with largeWrites, runs the tool under stdbuf with 64 KiB (65536-byte) stdout blocks, stderr left alone', async () => {
    const run = runPgTool(SH, ['-c', 'printf "%s|%s" "$_STDBUF_O" "$_STDBUF_E"'], undefined, { largeWrites: true });

    expect(await outputOf(run)).toBe('65536|');
    await expect(run.done).resolves.toBeUndefined();
  });

  it('without it, runs the tool as is', async () => {
    const run = runPgTool(SH, ['-c', 'printf "%s" "${_STDBUF_O-unset}"']);

    expect(await outputOf(run)).toBe('unset');
  });

  it("under stdbuf, the tool's own exit status and stderr still decide the outcome", async () => {
    const run = runPgTool(SH, ['-c', 'printf partial; echo "pg_dump: error: connection lost" >&2; exit 3'], undefined, {
      largeWrites: true,
    });

    await expect(outputOf(run)).rejects.toThrow('connection lost');
    const error = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgToolError);
    expect((error as PgToolError).message).toBe('sh exited with code 3: pg_dump: error: connection lost');
  });

  it('passes bytes through unchanged under stdbuf', async () => {
    // 200,000 lines through libc's stdio, as pg_dump writes its archive.
    const run = runPgTool('/usr/bin/seq', ['1', '200000'], undefined, { largeWrites: true });
    const lines = (await outputOf(run)).split('\n');

    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toBe('1');
    expect(lines[199_999]).toBe('200000');
    expect(lines.every((line, i) => i === 200_000 || line === String(i + 1))).toBe(true);
  });
});

/** Running, or gone (no such pid, or a zombie nobody reaped yet: it runs nothing). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/**
 * A worker thread (as the backup pipeline's) that starts `sh -c script` through runPgTool and
 * posts the shell's pid (it execs nothing, so `$$` is the process runPgTool started), then its
 * output once it ended.
 */
function toolInWorker(script: string): { worker: Worker; pid: Promise<number>; result: Promise<string> } {
  const register = resolve(__dirname, '../../scripts/register-ts.cjs');
  const source = `
    require(${JSON.stringify(register)});
    const { parentPort } = require('node:worker_threads');
    const { runPgTool } = require(${JSON.stringify(resolve(__dirname, 'pg-tool-process.ts'))});
    const run = runPgTool('/bin/sh', ['-c', ${JSON.stringify(`echo $$; ${script}`)}]);
    let out = '';
    run.stdout.on('data', (chunk) => {
      out += chunk;
      const first = out.split('\\n')[0];
      if (out.includes('\\n') && !parentPort.sentPid) { parentPort.sentPid = true; parentPort.postMessage({ pid: Number(first) }); }
    });
    run.done.then(() => parentPort.postMessage({ out }), (e) => parentPort.postMessage({ out: 'failed: ' + e.message }));
  `;
  const worker = new Worker(source, { eval: true });
  let gotPid: (pid: number) => void;
  let gotResult: (out: string) => void;
  const pid = new Promise<number>((r) => (gotPid = r));
  const result = new Promise<string>((r) => (gotResult = r));
  worker.on('message', (message: { pid?: number; out?: string }) => {
    if (message.pid !== undefined) gotPid(message.pid);
    if (message.out !== undefined) gotResult(message.out);
  });
  return { worker, pid, result };
}

// pg_dump runs on the backup's worker thread; Linux sends the parent-death signal when the
// *thread* that started a child ends. So: alive while that thread lives, gone when it ends.
describe('runPgTool: a tool dies with the thread that started it', () => {
  it('is started under setpriv (util-linux) here, so these tests mean something', () => {
    expect(findSetpriv()).toMatch(/\/setpriv$/);
  });

  it('runs to its end while its worker thread lives', async () => {
    const { worker, pid, result } = toolInWorker('sleep 1; echo finished');
    try {
      expect(alive(await pid)).toBe(true);
      expect(await result).toMatch(/finished\n$/);
    } finally {
      await worker.terminate();
    }
  });

  it('is stopped (SIGTERM) when its worker thread ends before it', async () => {
    const { worker, pid } = toolInWorker('sleep 30');
    const child = await pid;
    expect(alive(child)).toBe(true);
    await worker.terminate();
    expect(await until(() => !alive(child), 5_000)).toBe(true);
  });
});
