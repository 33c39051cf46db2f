import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { libpqEnvironment, type PgConnection } from './pg-connection';

const STDERR_TAIL_BYTES = 4_000;
/** stdout block size for tools whose output we stream (pg_dump): see runPgTool's `largeWrites`. */
const STDOUT_BLOCK = '64K';

export interface RunPgToolOptions {
  /**
   * Have the tool write its stdout in 64 KiB blocks instead of libc's 4 KiB default for a pipe,
   * through coreutils' `stdbuf` when it is installed: 16 times fewer writes for the tool and
   * wake-ups and chunks for us, CPU that pg_dump otherwise waits for on a small machine.
   * The bytes are the same; without stdbuf the tool runs as is.
   */
  largeWrites?: boolean;
}

const found = new Map<string, string | null>();
/** An executable on PATH, or null (looked up once per name). */
function findOnPath(name: string): string | null {
  if (found.has(name)) return found.get(name)!;
  let path: string | null = null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      path = candidate;
      break;
    } catch {
      // not in this directory
    }
  }
  found.set(name, path);
  return path;
}

/** coreutils' stdbuf on PATH (every Debian has it), or null. */
const findStdbuf = () => findOnPath('stdbuf');

/**
 * The signal a tool gets when the thread that started it dies, through util-linux's `setpriv
 * --pdeathsig` (Linux's PR_SET_PDEATHSIG, kept across exec). SIGTERM rather than SIGKILL:
 * pg_dump and pg_restore catch it, cancel their running statement on the server (a CREATE INDEX
 * killed with its client would still run to its end and commit), stop their parallel workers
 * (forked children, which inherit no parent-death signal) and exit 1.
 */
export const PARENT_DEATH_SIGNAL = 'TERM';

/**
 * util-linux's setpriv, which makes every tool die with the process (more precisely: with the
 * thread) that started it, or null: then a tool would outlive a SIGKILLed API (docs/operations.md).
 */
export const findSetpriv = () => findOnPath('setpriv');

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
 * The one place that spawns pg_dump, pg_dumpall and pg_restore: no shell, a minimal environment (the API's
 * own secrets never reach the child), connection settings and password through libpq's
 * environment variables, never argv.
 */
export function runPgTool(
  binary: string,
  args: string[],
  conn?: PgConnection,
  options: RunPgToolOptions = {},
): PgToolRun {
  const tool = binary.split('/').pop() ?? binary;
  const stdbuf = options.largeWrites ? findStdbuf() : null;
  const setpriv = findSetpriv();
  // setpriv and stdbuf each exec the next program in the same process: the pid, signals and exit
  // status are the tool's. The parent-death signal is set before the tool runs and fires when
  // the thread calling spawn ends: the main thread lives as long as the API; a backup's worker
  // thread lives until the dump is over (dumpInWorker terminates it only after its outcome).
  let [command, argv] = stdbuf ? [stdbuf, [`--output=${STDOUT_BLOCK}`, binary, ...args]] : [binary, args];
  if (setpriv) [command, argv] = [setpriv, [`--pdeathsig=${PARENT_DEATH_SIGNAL}`, '--', command, ...argv]];
  const child = spawn(command, argv, {
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
