// `pnpm bench --cpu-prof=DIR` (backup-bench.ts) preloads this (NODE_OPTIONS=--require) into the API
// and worker processes: every isolate (main thread and each backup worker_thread) records a V8 CPU
// profile from its start and writes DIR/<pid>-<main|threadN>-0.cpuprofile (Chrome DevTools format).
// Node refuses --cpu-prof in NODE_OPTIONS, and a backup thread ends by worker.terminate(), which runs
// no exit handler: so a thread's profile is written when it posts its final message (done/failed),
// the main thread's at exit. inspector.Session.post is synchronous on its own thread, so both work
// in a last handler. (cpu-profile.cjs is the load bench's: SIGUSR2-driven, main thread only.)
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { isMainThread, threadId, parentPort } = require('node:worker_threads');

const dir = process.env.BENCH_BACKUP_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = 0;
  const write = () => {
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      const name = `${process.pid}-${isMainThread ? 'main' : `thread${threadId}`}-${written++}.cpuprofile`;
      writeFileSync(join(dir, name), JSON.stringify(result.profile));
    });
  };
  if (isMainThread) {
    process.once('exit', write);
  } else if (parentPort) {
    const post = parentPort.postMessage.bind(parentPort);
    parentPort.postMessage = (message, ...rest) => {
      if (message && (message.type === 'done' || message.type === 'failed')) write();
      return post(message, ...rest);
    };
  }
}
