/**
 * A writer SIGKILLed between creating its temp file and renaming it leaves `.FILE.PID.STAMP.tmp` beside the
 * session. The next load or save removes such files when PID is not a running process, and leaves alone
 * everything else: temp files of live processes (including this one), other sessions' temp files, files
 * whose name only looks similar, and anything that is not a regular file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../src/session/state.js';
import { loadSession, removeStaleTempFiles, saveSession, unlockSession } from '../../src/session/store.js';
import { ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-stale-tmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited (and, with overwhelming likelihood, not been reused yet). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(r.stdout);
  expect(Number.isSafeInteger(pid) && pid > 0).toBe(true);
  expect(() => process.kill(pid, 0)).toThrow(); // really gone
  return pid;
}

/** The dead writers' temp files are gone from `sub`; everything else is still there. */
function expectOnlyStaleGone(sub: string, stale: readonly string[], keep: readonly string[]): void {
  const left = readdirSync(sub);
  for (const f of stale) expect(left).not.toContain(f);
  for (const f of keep) expect(left).toContain(f);
}

function scene(name: string) {
  const sub = join(dir, name);
  mkdirSync(sub);
  const path = join(sub, 's.json');
  const dead = deadPid();
  const stale = [`.s.json.${dead}.m1abcd.tmp`, `.s.json.${dead}.zz.tmp`];
  const keep = [
    `.s.json.${process.pid}.k1.tmp`, // this (live) process
    `.s.json.${process.ppid}.k2.tmp`, // a live parent
    `.other.json.${dead}.k3.tmp`, // another session's temp file
    `.s.json.x.${dead}.k4.tmp`, // a different session ("s.json.x")
    `.s.json.${dead}.k5.tmp.bak`, // not a temp-file name
    `s.json.${dead}.k6.tmp`, // no leading dot
    `.s.json.${dead}.K7.tmp`, // stamp is not base36 lower case
    `.s.json.abc.k8.tmp`, // no pid
    `.s.json.${dead}..tmp`, // empty stamp
    'notes.txt',
  ];
  for (const f of [...stale, ...keep]) writeFileSync(join(sub, f), 'partial {');
  const dirLike = `.s.json.${dead}.d1.tmp`; // a directory with a stale-looking name is never removed
  mkdirSync(join(sub, dirLike));
  return { sub, path, stale, keep: [...keep, dirLike] };
}

describe('stale session temp files', () => {
  it('load removes temp files of dead writers only', () => {
    const { sub, path, stale, keep } = scene('load');
    saveSessionRaw(path);
    expect(loadSession(path)).toBeDefined();
    unlockSession(path);
    expectOnlyStaleGone(sub, stale, keep);
  });

  it('load of a missing session also cleans up (the writer died before the first rename)', () => {
    const { sub, path, stale, keep } = scene('missing');
    expect(loadSession(path)).toBeUndefined();
    unlockSession(path);
    expectOnlyStaleGone(sub, stale, keep);
  });

  it('save removes temp files of dead writers only, and leaves no temp file of its own', () => {
    const { sub, path, stale, keep } = scene('save');
    saveSession(path, newSession());
    unlockSession(path);
    const left = readdirSync(sub).sort();
    expect(left).toEqual([...keep, 's.json'].sort()); // the lock went with unlockSession
    for (const f of stale) expect(left).not.toContain(f);
  });

  it('a session name with regex metacharacters matches only itself', () => {
    const sub = join(dir, 'meta');
    mkdirSync(sub);
    const path = join(sub, 'a+b(1).json');
    const dead = deadPid();
    writeFileSync(join(sub, `.a+b(1).json.${dead}.s1.tmp`), 'x');
    writeFileSync(join(sub, `.aab(1).json.${dead}.s2.tmp`), 'x'); // would match an unescaped "a+b"
    writeFileSync(join(sub, `.a+b(1)xjson.${dead}.s3.tmp`), 'x'); // would match an unescaped "."
    expect(removeStaleTempFiles(path)).toEqual([`.a+b(1).json.${dead}.s1.tmp`]);
    expect(readdirSync(sub).sort()).toEqual([`.a+b(1)xjson.${dead}.s3.tmp`, `.aab(1).json.${dead}.s2.tmp`].sort());
  });

  it('a missing directory is not an error for the cleanup', () => {
    expect(removeStaleTempFiles(join(dir, 'nope', 's.json'))).toEqual([]);
  });

  it('real SIGKILL mid-write: the temp file it leaves is gone after the next load, the session is whole', async () => {
    const sub = join(dir, 'kill');
    mkdirSync(sub);
    const path = join(sub, 's.json');
    const store = pathToFileURL(join(ROOT, 'dist/session/store.js')).href;
    // Large entries make each write long, so a kill lands inside one (between open and rename) most times.
    const code = `const m = await import(${JSON.stringify(store)});
const pad = 'x'.repeat(3_000_000); let n = 0;
const step = () => { n++; m.saveSession(process.argv[1], { version: 1, createdAt: 'c', updatedAt: String(n), base: [], entries: [{ kind: 'answer', label: pad, facts: [] }] }); if (n === 1) console.log('saving'); setImmediate(step); };
step();`;
    let sawTemp = 0;
    for (let round = 0; round < 15 && sawTemp < 3; round++) {
      const c = spawn(process.execPath, ['--input-type=module', '-e', code, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => {
        c.stdout!.once('data', () => setTimeout(() => c.kill('SIGKILL'), 5 + Math.floor(Math.random() * 60)));
        c.on('exit', () => resolve());
      });
      const temps = () => readdirSync(sub).filter((f) => f.endsWith('.tmp'));
      if (temps().length) sawTemp++;
      const s = loadSession(path)!;
      unlockSession(path);
      expect(s.entries[0].label.length).toBe(3_000_000);
      expect(temps()).toEqual([]);
    }
    expect(sawTemp).toBeGreaterThan(0); // the scenario really happened at least once
  }, 60_000);
});

function saveSessionRaw(path: string): void {
  writeFileSync(path, `${JSON.stringify(newSession())}\n`);
}
