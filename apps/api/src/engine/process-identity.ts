import { readFileSync, readlinkSync } from 'node:fs';

/**
 * Who a process is, precisely enough that another process can later prove it dead: the kernel's
 * boot id, the pid namespace, the pid and the pid's start time (so a reused pid is told apart).
 * Written as `<boot id>:<pid namespace>:<pid>:<start time>`; null where /proc does not tell
 * (not Linux, /proc not mounted), and then nobody can prove this process dead by looking.
 */
export type ProcessIdentity = string;

const IDENTITY = /^([0-9a-f]{12}):(\d+):(\d+):(\d+)$/;

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replaceAll('-', '').slice(0, 12) || null;
  } catch {
    return null;
  }
}

function pidNamespace(): string | null {
  try {
    return /^pid:\[(\d+)\]$/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

let own: ProcessIdentity | null | undefined;

/** This process's identity (computed once). */
export function processIdentity(): ProcessIdentity | null {
  if (own !== undefined) return own;
  const boot = bootId();
  const namespace = pidNamespace();
  const started = startTime(process.pid);
  own = boot && namespace && started ? `${boot}:${namespace}:${process.pid}:${started}` : null;
  return own;
}

/**
 * True only when the process `identity` names is certainly gone: it ran on this boot of this
 * kernel, in our pid namespace, and its pid is free or now belongs to a process started at
 * another time. False whenever that cannot be proved (another machine or container sharing a
 * folder or the database, no /proc): the caller then falls back on a heartbeat.
 */
export function isProvablyGone(identity: string | null | undefined): boolean {
  const match = identity ? IDENTITY.exec(identity) : null;
  const mine = processIdentity();
  if (!match || !mine) return false;
  const [, boot, namespace, pidText, started] = match;
  const [myBoot, myNamespace] = mine.split(':');
  if (boot !== myBoot || namespace !== myNamespace) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return started !== mine.split(':')[3];
  try {
    process.kill(pid, 0);
  } catch (error) {
    // ESRCH: no such process. EPERM: it exists under another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const now = startTime(pid);
  // A zombie keeps its pid until reaped, but it runs nothing: count it as gone.
  if (now !== null && now === started) return processState(pid) === 'Z';
  // Unreadable (hidepid): alive as far as we can tell; another start time: the pid was reused.
  return now !== null;
}

function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}
