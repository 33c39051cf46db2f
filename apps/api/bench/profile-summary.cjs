// Summarises .cpuprofile files (from `pnpm bench --cpu-prof=DIR`): the top functions and files by
// self time. Usage: node apps/api/bench/profile-summary.cjs DIR/<file>.cpuprofile [...] [--top=N]
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 15);
for (const file of args.filter((a) => !a.startsWith('--'))) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) / 1e6;
  const fns = new Map();
  const files = new Map();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url
      ? url.replace(/^.*node_modules\/\.pnpm\/([^/]+)\/node_modules\//, '$1:').replace(/^file:\/\//, '')
      : '';
    const fn = `${functionName || '(anonymous)'} ${where ? `${basename(where)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const pkg = where.includes(':') && !where.startsWith('node:') ? where.split(':')[0] : where || functionName;
    files.set(pkg, (files.get(pkg) ?? 0) + us);
  }
  const list = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `  ${((100 * us) / 1e6 / total).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(6)} s  ${k}`,
      )
      .join('\n');
  process.stdout.write(
    `${basename(file)}: ${total.toFixed(2)} s sampled\n by function:\n${list(fns)}\n by file/package:\n${list(files)}\n\n`,
  );
}
