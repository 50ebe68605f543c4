#!/usr/bin/env node
// Entry point: runs the built CLI — the bundle (dist/bundle/main.cjs, fastest start) or the plain tsc output.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url));
const plain = new URL('../dist/cli/main.js', import.meta.url);
let cli;
if (existsSync(bundle)) {
  cli = loadBundle(bundle);
} else if (existsSync(fileURLToPath(plain))) {
  cli = await import(plain.href);
} else {
  process.stderr.write('backup-triage: not built yet: run "npm run build" (or "npm install && npm start")\n');
  process.exit(2);
}
process.exitCode = await cli.run(process.argv.slice(2));
cli.afterRun?.();

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
