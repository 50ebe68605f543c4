#!/usr/bin/env node
/**
 * Build step: bundle the compiled CLI (dist/cli/main.js) into CommonJS chunks in dist/bundle/ (entry
 * main.cjs), and record a V8 code cache for each (NAME.cjs.cache) that bin/backup-triage.js hands to
 * vm.Script. Node 20 has no module compile cache, and its ESM loader costs ~1 ms per module: measured on the
 * 2-core reference machine (median of 21, node -e 0 = 72 ms), diagnose --format json on seed 001 took 157 ms
 * with the code-split ESM bundle (24 chunks), 165 ms as one ESM file, and 120 ms as one CJS file with the
 * code cache. Chunks loaded by the bin itself cost far less than ES modules (~0.2 ms each), so the bundle is
 * split again: a command reads and deserialises only the code it runs, and the walk's first screen (the
 * prompt library, walk/prompts.js) is on screen before the walk, knowledge base and strategy chunks load.
 * One 810 KB file with a 576 KB cache → 39 chunks; first question in a pty 103.8 → 98.6 ms, diagnose
 * 119.7 → 118.8 ms (median of 21, same session, node -e 0 = 75.6 ms).
 * Minifying made no measurable difference, so the bundle stays readable.
 * The ajv standalone validators stay separate files (dist/validators/*.cjs), loaded on demand.
 */
import { build, transform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const out = (p) => new URL(`../dist/bundle/${p}`, import.meta.url).pathname;
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });
mkdirSync(out(''), { recursive: true });
// esbuild splits code only for ES modules: split as ESM (a chunk per dynamic import, shared code in shared
// chunks, so every module exists once), then turn each chunk into CommonJS, its imports into require()s of
// its sibling chunks ("./NAME.cjs") that bin/backup-triage.js resolves.
const split = await build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out(''),
  outExtension: { '.js': '.cjs' },
  chunkNames: '[name]-[hash]',
  write: false,
  // The sources are ESM and find their files from import.meta.url; in a chunk that is the chunk's URL
  // (every chunk is in dist/bundle/), so relative paths resolve as before.
  define: { 'import.meta.url': '__btImportMetaUrl' },
  logLevel: 'warning',
});
for (const file of split.outputFiles) {
  const cjs = await transform(file.text, {
    format: 'cjs',
    target: 'node20',
    // import('./chunk.cjs') → Promise.resolve().then(() => require('./chunk.cjs')): loaded by the bin, not Node's ESM loader.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  if (/\bimport\(/.test(cjs.code.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) process.stderr.write(`warning: ${basename(file.path)} still has an import() expression\n`);
  // Strict mode throughout, as in ESM. import.meta.url: a path of plain characters needs no escaping, and
  // 'file://' + path saves the first pathToFileURL call (~0.3 ms at start); any other path goes through it.
  const metaUrl = "var __btImportMetaUrl = /^\\/[\\w.\\/-]*$/.test(__filename) ? 'file://' + __filename : require('node:url').pathToFileURL(__filename).href;";
  const banner = `'use strict'; ${cjs.code.includes('__btImportMetaUrl') ? metaUrl : ''}\n`;
  writeFileSync(file.path, banner + cjs.code);
}

// The code cache: run a representative command (answers file → diagnosis, which also ranks questions) with
// the bundle, then save V8's compiled code of every chunk it loaded, lazily compiled functions included.
// Only an optimisation: when it is missing or V8 rejects it (another Node version), a chunk is compiled as usual.
const bin = new URL('../bin/backup-triage.js', import.meta.url).pathname;
const warm = spawnSync(process.execPath, [bin, 'diagnose', '--answers', new URL('../examples/seed-001-pbx-silently-dropped.yaml', import.meta.url).pathname, '--format', 'json'], {
  env: { ...process.env, BACKUP_TRIAGE_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
if (warm.status !== 0 || !existsSync(out('main.cjs.cache'))) process.stderr.write(`warning: no code cache for the bundle: ${warm.stderr}\n`);
else await warmWalk();

/**
 * Add the walk's code (prompt library included) to the caches: run `start` in a pseudo-terminal (util-linux
 * `script`), leave with Ctrl-C at the first question; the walk then exits 130 and writes the caches, which
 * now hold what both commands compiled. Skipped, with the diagnose-only cache kept, when `script` is not
 * there or anything goes wrong; bounded by a timeout so a build never hangs.
 */
async function warmWalk() {
  const { spawn } = await import('node:child_process');
  const before = statSync(out('main.cjs.cache')).mtimeMs;
  await new Promise((resolvePromise) => {
    let child;
    try {
      child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} start`, '/dev/null'], {
        env: { ...process.env, BACKUP_TRIAGE_WRITE_CODE_CACHE: '1', TERM: 'xterm', NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'ignore'],
      });
    } catch {
      resolvePromise();
      return;
    }
    let screen = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.stdout.on('data', (d) => {
      screen += d.toString();
      if (!sent && /\(1\)/.test(screen)) {
        sent = true;
        setTimeout(() => child.stdin.write('\u0003'), 300);
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
  if (!existsSync(out('main.cjs.cache')) || statSync(out('main.cjs.cache')).mtimeMs === before) {
    process.stderr.write('note: the walk was not added to the code cache (no pseudo-terminal here); start-up of the walk is a little slower\n');
  }
}

// The walk's first question for a plain `start` (no session, no given facts, no site rules), worked out with
// the same decision code the walk runs, so the walk can show it before loading and ranking anything
// (src/cli/walk/walk.ts, quickStart). Tied to this dist/kb.json by size and mtime; any other KB ignores it.
const artefact = new URL('../dist/kb.json', import.meta.url).pathname;
if (existsSync(artefact)) {
  const st = statSync(artefact);
  const { indexKnowledge } = await import('../dist/inference/knowledge.js');
  const { decide } = await import('../dist/session/walk-core.js');
  const k = indexKnowledge(JSON.parse(readFileSync(artefact, 'utf8')));
  const d = await decide(k, new Map());
  if (d.next && !d.leading) {
    const start = {
      artefact: { size: st.size, mtimeMs: st.mtimeMs },
      causes: k.kb.causes.length,
      rules: k.kb.rules.length,
      fact: k.facts.get(d.next.fact),
      opening: d.opening,
    };
    writeFileSync(out('walk-start.json'), JSON.stringify(start));
  }
}
