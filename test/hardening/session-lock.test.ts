/**
 * Two processes on one session file: FILE.lock (O_EXCL, holding the pid) is taken on load, save and
 * --fresh; a live holder is a one-line error naming its pid, a dead one's lock is taken over, and the lock
 * goes away when its process exits (normally or by SIGTERM).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadSession, lockPathOf, moveAside, saveSession, SessionLockedError, unlockSession } from '../../src/session/store.js';
import { newSession } from '../../src/session/state.js';
import { ROOT } from '../helpers.js';
import { PtyRun } from '../walk/pty.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const STORE = pathToFileURL(join(ROOT, 'dist/session/store.js')).href;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A child process that loads (and so locks) the session, says "locked", then idles until killed. */
async function holder(path: string): Promise<ChildProcess> {
  const code = `const m = await import(${JSON.stringify(STORE)}); m.loadSession(${JSON.stringify(path)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const c = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(c);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('locked')) resolve();
    });
    c.on('exit', (code) => reject(new Error(`holder exited ${code}: ${out}`)));
  });
  return c;
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.on('exit', () => resolve())));

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('session lock', () => {
  it('a live holder makes load, save and --fresh a one-line error naming its pid; SIGTERM releases the lock', async () => {
    const p = join(dir, 'live.json');
    saveSession(p, newSession());
    unlockSession(p);
    const c = await holder(p);
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(c.pid));
    for (const f of [() => loadSession(p), () => saveSession(p, newSession()), () => moveAside(p)]) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(SessionLockedError);
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).toBe(`session ${p} is in use by process ${c.pid}`);
    }
    expect(existsSync(p)).toBe(true); // --fresh did not move it aside
    c.kill('SIGTERM');
    await exited(c);
    expect(c.signalCode).toBe('SIGTERM'); // still dies of the signal
    expect(existsSync(lockPathOf(p))).toBe(false);
    expect(loadSession(p)?.version).toBe(1);
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(process.pid));
    unlockSession(p);
    expect(existsSync(lockPathOf(p))).toBe(false);
  });

  it('a lock left by a dead process (SIGKILL) is taken over', async () => {
    const p = join(dir, 'stale.json');
    const c = await holder(p);
    c.kill('SIGKILL');
    await exited(c);
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(c.pid));
    expect(loadSession(p)).toBeUndefined();
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(process.pid));
    unlockSession(p);
  });

  it('an empty or garbage lock file (crash between create and write) is taken over', () => {
    for (const junk of ['', 'not a pid', '-5']) {
      const p = join(dir, `junk-${junk.length}.json`);
      writeFileSync(lockPathOf(p), junk);
      // Old enough that its creator cannot still be writing it.
      const past = new Date(Date.now() - 10_000);
      utimesSync(lockPathOf(p), past, past);
      saveSession(p, newSession());
      expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(process.pid));
      unlockSession(p);
    }
  });

  it('a fresh empty lock (its creator still writing the pid) is not taken over at once', () => {
    const p = join(dir, 'fresh-empty.json');
    writeFileSync(lockPathOf(p), '');
    const t0 = Date.now();
    saveSession(p, newSession());
    // Taken over only once it is older than a creator could take to write its pid.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(process.pid));
    unlockSession(p);
  });

  it('processes racing to take over one stale lock: exactly one gets it', async () => {
    const p = join(dir, 'race.json');
    const dead = await holder(p);
    dead.kill('SIGKILL');
    await exited(dead);
    for (let round = 0; round < 3; round++) {
      writeFileSync(lockPathOf(p), `${dead.pid}\n`);
      const at = Date.now() + 1500;
      // Each racer spins until the same instant, tries once, reports, and stays alive holding what it got.
      const code = `const m = await import(${JSON.stringify(STORE)}); while (Date.now() < ${at}) {} try { m.lockSession(${JSON.stringify(p)}); console.log('got'); } catch (e) { console.log('refused ' + e.message); } setTimeout(() => {}, 2500);`;
      const racers = Array.from({ length: 6 }, () => spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] }));
      children.push(...racers);
      const outs = await Promise.all(racers.map((c) => new Promise<string>((resolve) => {
        let out = '';
        c.stdout!.on('data', (d) => {
          out += String(d);
          if (out.includes('\n')) resolve(out.trim());
        });
        c.on('exit', () => resolve(out.trim()));
      })));
      expect(outs.filter((o) => o === 'got'), outs.join(' | ')).toHaveLength(1);
      expect(outs.filter((o) => o.startsWith('refused')).every((o) => o.includes('in use by process'))).toBe(true);
      for (const c of racers) c.kill('SIGKILL');
      await Promise.all(racers.map(exited));
    }
  });

  it('the same process may load and save repeatedly; a normal exit removes the lock', () => {
    const p = join(dir, 'exit.json');
    const code = `const m = await import(${JSON.stringify(STORE)}); const p = ${JSON.stringify(p)}; m.loadSession(p); m.saveSession(p, { version: 1, createdAt: 'x', updatedAt: 'x', base: [], entries: [] }); m.loadSession(p); m.moveAside(p); console.log(require('node:fs').existsSync(p + '.lock'));`.replace("require('node:fs')", '(await import("node:fs"))');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
    expect(existsSync(lockPathOf(p))).toBe(false);
    expect(existsSync(`${p}.bak`)).toBe(true);
  });

  it('a session in a directory that does not exist is a one-line error', () => {
    const e = errorOf(() => loadSession(join(dir, 'no/such/dir/s.json')));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/directory does not exist/);
  });

  it('built CLI: start --session on a session another process holds exits 2 with one line', async () => {
    const p = join(dir, 'cli.json');
    const c = await holder(p);
    const run = new PtyRun(ROOT, ['start', '--session', p, '--no-shipped', '--rules', join(ROOT, 'test/fixtures/mini-kb')]);
    const text = await run.waitFor(`is in use by process ${c.pid}`);
    expect(text).toContain(`backup-triage: session ${p} is in use by process ${c.pid}`);
    expect(await run.exited).toBe(2);
    expect(readFileSync(lockPathOf(p), 'utf8').trim()).toBe(String(c.pid));
  });
});
