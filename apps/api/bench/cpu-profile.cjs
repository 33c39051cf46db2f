// Preloaded into the API by the load bench (BENCH_CPU_PROF): `--cpu-prof` is refused in NODE_OPTIONS,
// and a profile of start-up would drown the requests. SIGUSR2 starts the V8 CPU profiler; the next
// SIGUSR2 stops it and writes <BENCH_CPU_PROF_DIR>/api-<pid>-<n>.cpuprofile (Chrome DevTools, speedscope).
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
const session = new Session();
session.connect();
let profiling = false;
let n = 0;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
    );
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) return process.stderr.write(`cpu profile: ${error.message}\n`);
    const file = join(dir, `api-${process.pid}-${++n}.cpuprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    process.stderr.write(`cpu profile written to ${file}\n`);
  });
});
