import { spawn } from 'node:child_process';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { libpqEnvironment, type PgConnection } from './pg-connection';

const STDERR_TAIL_BYTES = 4_000;

/** A pg_dump or pg_restore run: its output stream (for pg_dump) and how it ended. */
export interface PgToolRun {
  /** stdout, ending only after the process exited 0; otherwise it errors with the stderr tail. */
  stdout: Readable;
  /** Resolves when the process exited 0; rejects with the stderr tail otherwise. */
  done: Promise<void>;
  /** Everything the tool said on stderr that is not an error: warnings to keep. */
  warnings(): string[];
  /** True once the process was stopped because its consumer went away (or kill() was called). */
  stoppedEarly(): boolean;
  kill(): void;
}

export class PgToolError extends Error {
  constructor(
    readonly tool: string,
    readonly stderrTail: string,
    exit: string,
  ) {
    super(`${tool} ${exit}${stderrTail ? `: ${stderrTail}` : ''}`);
    this.name = 'PgToolError';
  }
}

/**
 * The one place that spawns pg_dump and pg_restore: no shell, a minimal environment (the API's
 * own secrets never reach the child), connection settings and password through libpq's
 * environment variables, never argv.
 */
export function runPgTool(binary: string, args: string[], conn?: PgConnection): PgToolRun {
  const tool = binary.split('/').pop() ?? binary;
  const child = spawn(binary, args, {
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // English messages, so the error a user sees is searchable.
      LC_ALL: 'C.UTF-8',
      LC_MESSAGES: 'C',
      ...(conn ? libpqEnvironment(conn) : {}),
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-64_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  const done = exited.then(({ code, signal }) => {
    if (code === 0) return;
    const tail = stderr.trim().slice(-STDERR_TAIL_BYTES);
    throw new PgToolError(tool, tail, signal ? `was killed by ${signal}` : `exited with code ${code}`);
  });
  // Observed through stdout or by the caller; never an unhandled rejection.
  done.catch(() => undefined);

  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      callback(null, chunk);
    },
    // The archive is complete only if the process says so: a dump cut short must not upload.
    flush(callback: TransformCallback) {
      done.then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });
  child.stdout.on('error', (error) => checked.destroy(error));
  child.stdout.pipe(checked);
  let stoppedEarly = false;
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    stoppedEarly = true;
    child.kill('SIGTERM');
  };
  // Whoever reads the output stopped (e.g. the upload failed): the process stops too.
  checked.on('close', stop);

  return {
    stdout: checked,
    done,
    warnings: () =>
      stderr
        .split('\n')
        .filter((line) => /warning:/i.test(line))
        .map((line) => line.trim()),
    stoppedEarly: () => stoppedEarly,
    kill: stop,
  };
}
