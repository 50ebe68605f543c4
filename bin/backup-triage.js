#!/usr/bin/env node
// Entry point: runs the built CLI — the bundle (dist/bundle/main.cjs, fastest start) or the plain tsc output.
// CommonJS (bin/package.json) on purpose: an ES module entry costs ~7 ms more before the first line runs
// (Node 20's ESM loader; 2-core reference machine, median of 31: node -e 0 77.4 ms, an ESM file importing
// these builtins 84.2 ms, the same as CommonJS 78.2 ms).
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const plain = join(__dirname, '..', 'dist', 'cli', 'main.js');

main();

async function main() {
  let cli;
  if (existsSync(bundle)) {
    cli = loadBundle(bundle);
  } else if (existsSync(plain)) {
    cli = await import(pathToFileURL(plain).href);
  } else {
    process.stderr.write('backup-triage: not built yet: run "npm run build" (or "npm install && npm start")\n');
    process.exit(2);
  }
  process.exitCode = await cli.run(process.argv.slice(2));
  cli.afterRun?.();
}

/**
 * Load the CommonJS bundle as Node's own loader would, but through vm.Script, to use the V8 code cache the
 * build recorded beside it (Node 20 has no compile cache of its own): most of the bundle is then neither
 * parsed nor compiled at start. A missing or rejected cache (another Node version) only costs the compile.
 */
function loadBundle(file) {
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const cli = module.exports;
  // The build (scripts/bundle.mjs) runs one command with this set, to record the cache after it.
  if (process.env.BACKUP_TRIAGE_WRITE_CODE_CACHE) {
    cli.afterRun = () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    };
  }
  return cli;
}
