import { PgToolError, runPgTool } from './pg-tool-process';

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
