/**
 * End-to-end: the built CLI in a real pseudo-terminal, answered with keystrokes. Requires `npm run build`
 * (npm test builds first) and util-linux `script`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CTRL_C, haveScript, isolatedPackage, PtyRun } from './pty.js';
import { ROOT } from '../helpers.js';

const MINI = join(ROOT, 'test/fixtures/mini-kb');

describe.skipIf(!haveScript)('guided walk in a terminal', () => {
  let pkg: string;
  let work: string;
  const runs: PtyRun[] = [];
  const start = (args: string[]) => {
    const r = new PtyRun(pkg, ['start', '--rules', MINI, '--platform', 'linux', ...args], { cwd: work });
    runs.push(r);
    return r;
  };

  beforeAll(() => {
    pkg = isolatedPackage();
    work = mkdtempSync(join(tmpdir(), 'bt-walk-'));
  });
  afterAll(() => {
    for (const r of runs) r.kill();
    rmSync(pkg, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('walks to the root cause with keystrokes: help, garbage number, back, report', async () => {
    const report = join(work, 'report.md');
    const t = start(['--report', report]);
    await t.waitFor('? (1) What happens when you connect to the port?');
    await t.choose('Help');
    await t.waitFor('Try telnet host port.');
    await t.waitFor('? (1) What happens when you connect');
    await t.choose('Times out');
    await t.waitFor('? (2) Gap between attempts?');
    t.type('abc');
    await t.waitFor('"abc" is not a number');
    t.type('');
    await t.waitFor('Type a number in s, or "not sure" if you do not know');
    t.type('why');
    await t.waitFor('Why this question');
    await t.waitFor('silent-drop');
    await t.waitFor('? (2) Gap between attempts?');
    t.type('back');
    await t.waitFor('Undone: conn_outcome = Times out');
    await t.waitFor('? (1) What happens when you connect');
    await t.choose('Refused at once');
    await t.waitFor('? (2) Is the daemon running on the target?');
    await t.choose('No');
    const screen = await t.waitFor(/Report written to .*report\.md/);
    expect(screen).toContain('Root cause: Nothing listens');
    expect(screen).toContain('refused-daemon-down');
    expect(screen).toContain('Start the daemon.');
    expect(screen).not.toContain('What colour is the server?');
    expect(await t.exited).toBe(0);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Diagnosis: Nothing listens');
    expect(md).toContain('**Is the daemon running on the target?** — no');
    expect(md).not.toContain('Times out'); // undone answers leave no trace
  });

  it('Ctrl-C mid-walk saves the session, exits 130 without a stack, and resumes where it stopped', async () => {
    const session = join(work, 'walk.json');
    const t = start(['--session', session]);
    await t.waitFor('? (1) What happens when you connect');
    await t.choose('Times out');
    await t.waitFor('? (2) Gap between attempts?');
    t.write(CTRL_C);
    const out = await t.waitFor(/Resume with: backup-triage start --session \S+/);
    expect(out).toContain(`1 answer saved in ${session}`);
    expect(await t.exited).toBe(130);
    expect(t.text()).not.toMatch(/\n\s+at .*\.js:\d+/);
    const saved = JSON.parse(readFileSync(session, 'utf8'));
    expect(saved.version).toBe(1);
    expect(saved.entries.map((e: { facts: { fact: string; value: unknown }[] }) => e.facts[0])).toMatchObject([
      { fact: 'conn_outcome', value: 'timeout' },
    ]);

    const report = join(work, 'resumed.md');
    const r = start(['--session', session, '--report', report]);
    await r.waitFor('1 answer so far');
    await r.waitFor('? (2) Gap between attempts?');
    r.type('12 s');
    const screen = await r.waitFor('Report written to');
    expect(screen).toContain('Root cause: Firewall drops SYNs silently');
    expect(screen).not.toContain('? (1) What happens');
    expect(await r.exited).toBe(0);
    expect(readFileSync(report, 'utf8')).toMatch(/Times out[\s\S]*12 s/);
  });

  it('"not sure" to everything still ends, inconclusive, with what to collect', async () => {
    const t = start(['--report', join(work, 'unsure.md')]);
    const asked: string[] = [];
    for (;;) {
      const seen = await t.waitFor(/\? \(\d+\) [^\n]*(\n|quit\])|Report written to/);
      if (seen.endsWith('Report written to')) break;
      const line = seen.slice(seen.lastIndexOf('? ('));
      const n = line.slice(0, line.indexOf(')') + 1);
      // Prompts re-render as keys arrive: act once per question number.
      if (asked.some((a) => a.startsWith(n))) continue;
      asked.push(line.trim());
      if (line.includes('[number')) t.type('not sure');
      else await t.choose('Not sure');
      expect(asked.length).toBeLessThan(4);
    }
    const screen = t.text();
    expect(screen).toContain('Inconclusive');
    expect(screen).toContain('Leading candidates');
    expect(asked.some((q) => q.includes('colour'))).toBe(false);
    expect(await t.exited).toBe(0);
  });

  it('facts given with --fact are never asked', async () => {
    const t = start(['--fact', 'conn_outcome=timeout', '--report', join(work, 'given.md')]);
    await t.waitFor('1 fact already given');
    await t.waitFor('? (1) Gap between attempts?');
    t.type('10');
    const screen = await t.waitFor('Report written to');
    expect(screen).toContain('Root cause: Firewall drops SYNs silently');
    expect(screen).not.toContain('What happens when you connect');
    expect(await t.exited).toBe(0);
  });

  it('a corrupt session file is reported in one line, offering --fresh, and left untouched', async () => {
    const session = join(work, 'broken.json');
    const text = '{"version": 1, "base": [], "entries": [{"kind": "answ';
    writeFileSync(session, text);
    const t = start(['--session', session]);
    const out = await t.waitFor(/--fresh[^\n]*\n/);
    expect(out).toContain('corrupt or truncated');
    expect(await t.exited).toBe(2);
    expect(t.text().trim().split('\n')).toHaveLength(1);
    expect(readFileSync(session, 'utf8')).toBe(text);

    const f = start(['--session', session, '--fresh']);
    await f.waitFor('kept as');
    await f.waitFor('? (1) What happens when you connect');
    f.write(CTRL_C);
    expect(await f.exited).toBe(130);
    expect(existsSync(`${session}.bak`)).toBe(true);
    expect(readFileSync(`${session}.bak`, 'utf8')).toBe(text);
  });
});

describe('without a terminal', () => {
  it('says to use diagnose in one line and exits 2 at once', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/backup-triage.js'), 'start', '--rules', MINI], {
      input: '',
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, BACKUP_TRIAGE_RULES: '' },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('backup-triage diagnose');
    const bare = spawnSync(process.execPath, [join(ROOT, 'bin/backup-triage.js')], { input: '', encoding: 'utf8', timeout: 30_000 });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('backup-triage diagnose');
  });
});
