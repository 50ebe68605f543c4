#!/usr/bin/env node
// Entry point: runs the built CLI — the bundle (dist/bundle/, fastest start) or the plain tsc output.
// CommonJS (bin/package.json) on purpose: an ES module entry costs ~7 ms more before the first line runs
// (Node 20's ESM loader; 2-core reference machine, median of 31: node -e 0 77.4 ms, an ESM file importing
// these builtins 84.2 ms, the same as CommonJS 78.2 ms).
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const bundleDir = join(__dirname, '..', 'dist', 'bundle');
const bundle = join(bundleDir, 'main.cjs');
const plain = join(__dirname, '..', 'dist', 'cli', 'main.js');

// A reader that stops early (`backup-triage list causes | head -1`) closes the pipe: stop quietly, with the
// status so far, as command-line tools do, instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.exit(70);
  });
}

main();

async function main() {
  let cli;
  let chunks;
  if (existsSync(bundle)) {
    chunks = chunkLoader(bundleDir);
    cli = chunks.load('main.cjs');
  } else if (existsSync(plain)) {
    cli = await import(pathToFileURL(plain).href);
  } else {
    process.stderr.write('backup-triage: not built yet: run "npm run build" (or "npm install && npm start")\n');
    process.exit(2);
  }
  process.exitCode = await cli.run(process.argv.slice(2));
  // The build (scripts/bundle.mjs) runs commands with this set, to record the code cache after them.
  if (chunks && process.env.BACKUP_TRIAGE_WRITE_CODE_CACHE) chunks.writeCodeCache();
}

/**
 * The bundle is CommonJS chunks (scripts/bundle.mjs): main.cjs, which requires the chunks it needs as
 * "./NAME.cjs", at once or when a command or a later step needs them. Each chunk is loaded as Node's own
 * loader would, but through vm.Script, to use the V8 code cache the build recorded beside it (NAME.cjs.cache;
 * Node 20 has no compile cache of its own): what a command runs is then neither parsed nor compiled at start.
 * A missing or rejected cache (another Node version) only costs the compile.
 */
function chunkLoader(dir) {
  const nodeRequire = createRequire(join(dir, 'main.cjs'));
  const loaded = new Map();
  const chunkRequire = (id) => (id.startsWith('./') ? load(id.slice(2)) : nodeRequire(id));
  chunkRequire.resolve = nodeRequire.resolve;
  chunkRequire.cache = nodeRequire.cache;
  function load(name) {
    const known = loaded.get(name);
    if (known) return known.module.exports;
    const file = join(dir, name);
    const source = readFileSync(file, 'utf8');
    let cachedData;
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // no cache: compile as usual
    }
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
    const module = { exports: {} };
    // Registered before it runs, as Node does, so a require cycle between chunks gets the partial exports.
    loaded.set(name, { module, script, file });
    script.runInThisContext()(module.exports, chunkRequire, module, file, dir);
    return module.exports;
  }
  function writeCodeCache() {
    for (const { script, file } of loaded.values()) {
      const tmp = `${file}.cache.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, `${file}.cache`);
    }
  }
  return { load, writeCodeCache };
}
