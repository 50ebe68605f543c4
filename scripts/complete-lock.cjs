#!/usr/bin/env node
// usage: node scripts/complete-lock.cjs package-lock.json   (run after any dependency change)
// Adds lock entries for Rollup's native packages of other platforms, which this registry does not serve,
// so that `npm ci` (which checks every optional dependency is in the lock) accepts the lockfile.
const fs = require('fs');
const path = process.argv[2];
const lock = JSON.parse(fs.readFileSync(path, 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
const osMap = { android: 'android', darwin: 'darwin', freebsd: 'freebsd', linux: 'linux', openbsd: 'openbsd', openharmony: 'openharmony', win32: 'win32' };
let added = 0;
for (const [name, version] of Object.entries(rollup.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const parts = name.replace('@rollup/rollup-', '').split('-');
  const os = osMap[parts[0]];
  let cpu = parts[1];
  if (cpu === 'arm' ) cpu = 'arm';
  const entry = { version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
  const abi = parts.slice(2).join('-');
  if (os === 'linux' && /musl/.test(abi)) entry.libc = ['musl'];
  if (os === 'linux' && /gnu/.test(abi)) entry.libc = ['glibc'];
  lock.packages[key] = entry;
  added++;
}
const sorted = {};
for (const k of Object.keys(lock.packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))) sorted[k] = lock.packages[k];
lock.packages = sorted;
fs.writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
