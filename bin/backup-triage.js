#!/usr/bin/env node
// Entry point: runs the built CLI — the bundle (dist/bundle, fastest start) or the plain tsc output.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const plain = new URL('../dist/cli/main.js', import.meta.url);
const main = existsSync(fileURLToPath(bundle)) ? bundle : plain;
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('backup-triage: not built yet: run "npm run build" (or "npm install && npm start")\n');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
