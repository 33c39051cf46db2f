import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startS3, type RunningS3 } from './s3';

/**
 * s3rver (as startS3 sets it up: SigV4 checked, multipart uploads listable) in a Node process of
 * its own, so a benchmark can give the same server to both sides of a comparison and read its CPU
 * and memory from /proc/<pid>. Started as `node --require <register-ts> s3-process.ts '<json>'`;
 * it prints one JSON line (the RunningS3 fields, or {error}) once it listens, and stops on SIGTERM
 * or when its stdin closes (the parent died).
 */
export interface S3Process extends Omit<RunningS3, 'stop'> {
  process: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

const REGISTER_TS = resolve(__dirname, '../../../apps/api/scripts/register-ts.cjs');

export async function startS3Process(
  options: { port?: number; buckets?: string[]; registerTs?: string } = {},
): Promise<S3Process> {
  const registerTs = options.registerTs ?? REGISTER_TS;
  if (!existsSync(registerTs)) throw new Error(`${registerTs} is missing: s3-process.ts needs it to run as a process`);
  const child = spawn(
    process.execPath,
    [
      '--require',
      registerTs,
      join(__dirname, 's3-process.ts'),
      JSON.stringify({ port: options.port, buckets: options.buckets }),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`s3rver process exited with ${code}: ${stderr.trim()}`)));
  });
  const status = JSON.parse(line) as Omit<RunningS3, 'stop'> & { error?: string };
  if (status.error) throw new Error(`s3rver process failed to start: ${status.error}`);
  return {
    endpoint: status.endpoint,
    region: status.region,
    accessKeyId: status.accessKeyId,
    secretAccessKey: status.secretAccessKey,
    directory: status.directory,
    process: child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serve(config: { port?: number; buckets?: string[] }): Promise<void> {
  let s3: RunningS3;
  try {
    s3 = await startS3(config);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    process.exit(1);
  }
  const { stop, ...fields } = s3;
  process.stdout.write(`${JSON.stringify(fields)}\n`);
  const quit = () => void stop().finally(() => process.exit(0));
  process.once('SIGTERM', quit);
  process.once('SIGINT', quit);
  // The parent is gone (its end of our stdin closed): do not outlive it.
  process.stdin.once('end', quit).resume();
}

if (require.main === module) void serve(JSON.parse(process.argv[2] ?? '{}') as { port?: number; buckets?: string[] });
