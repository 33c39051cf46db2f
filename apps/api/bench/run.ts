// `pnpm bench`: the backup bench, then the load bench, each in its own process (each starts and
// stops its own servers), with the same arguments (each reads only its own options).
// BENCH_ONLY=backup or BENCH_ONLY=load runs one of them. Exits non-zero when either did.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = { backup: 'backup-bench.ts', load: 'load-bench.ts' } as const;
type Bench = keyof typeof BENCHES;

const only = process.env.BENCH_ONLY?.trim();
if (only && !(only in BENCHES)) {
  process.stderr.write(`BENCH_ONLY must be ${Object.keys(BENCHES).join(' or ')} (got "${only}")\n`);
  process.exit(2);
}
const chosen = only ? [only as Bench] : (Object.keys(BENCHES) as Bench[]);
let exitCode = 0;
for (const bench of chosen) {
  const { status, signal } = spawnSync(
    process.execPath,
    [
      '--require',
      join(__dirname, '..', 'scripts', 'register-ts.cjs'),
      join(__dirname, BENCHES[bench]),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  if (signal) process.exit(130);
  if (status !== 0) {
    process.stderr.write(`the ${bench} bench exited with ${status}\n`);
    exitCode ||= status ?? 1;
  }
}
process.exit(exitCode);
