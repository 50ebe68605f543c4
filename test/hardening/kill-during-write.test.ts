/**
 * A process killed at a random moment while it saves a session in a loop leaves the old file or the new
 * one, never a broken one: every kill is followed by a load that must succeed with a consistent session.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSession, unlockSession } from '../../src/session/store.js';
import { ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAVER = join(dir, 'saver.mjs');
writeFileSync(
  SAVER,
  `import { saveSession, loadSession } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/session/store.js')).href)};
const path = process.argv[2];
const prev = loadSession(path);
let n = prev ? prev.entries.length : 0;
const pad = 'x'.repeat(Number(process.argv[3]));
function step() {
  n++;
  // Entry i carries its own index and the count, so a file is consistent only if it was written whole.
  const entries = Array.from({ length: n }, (_, i) => ({ kind: 'answer', label: i === n - 1 ? pad : String(i), at: String(n), facts: [{ fact: 'f' + i, value: i, source: { origin: 'answer' } }] }));
  saveSession(path, { version: 1, createdAt: 'c', updatedAt: String(n), base: [{ fact: 'count', value: n, source: { origin: 'flag' } }], entries });
  if (n === (prev ? prev.entries.length : 0) + 1) console.log('saving');
  setImmediate(step);
}
step();
`,
);

function runAndKill(path: string, padBytes: number, signal: NodeJS.Signals, afterMs: number): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [SAVER, path, String(padBytes)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d) => (err += String(d)));
    c.stdout!.once('data', () => setTimeout(() => c.kill(signal), afterMs));
    c.on('exit', (code, sig) => (sig || code === 0 ? resolve(sig ?? code) : reject(new Error(`saver failed (${code}): ${err}`))));
  });
}

describe('kill during write', () => {
  it('SIGKILL, SIGTERM and SIGINT at random points always leave a whole session file', async () => {
    const path = join(dir, 's.json');
    const signals: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGINT'];
    let last = 0;
    for (let round = 0; round < 12; round++) {
      const signal = signals[round % 3];
      const pad = [1_000, 200_000, 1_500_000][Math.floor(Math.random() * 3)];
      const how = await runAndKill(path, pad, signal, 5 + Math.floor(Math.random() * 120));
      expect(how).toBe(signal);
      const s = loadSession(path)!; // throws on a broken file
      unlockSession(path); // let the next saver in
      const count = s.base[0].value as number;
      expect(s.entries.length).toBe(count);
      expect(s.updatedAt).toBe(String(count));
      expect(s.entries.every((e, i) => e.at === String(count) && e.facts[0].value === i)).toBe(true);
      expect(count).toBeGreaterThanOrEqual(last); // never went back to an older file
      last = count;
    }
    // Only the session, its lock (left by SIGKILL/SIGINT, taken over next time) and temp files of killed writes.
    const other = readdirSync(dir).filter((f) => f !== 'saver.mjs' && f !== 's.json' && f !== 's.json.lock' && !/^\.s\.json\.\d+\.[a-z0-9]+\.tmp$/.test(f));
    expect(other).toEqual([]);
  });
});
