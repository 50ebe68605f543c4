/**
 * Scripts can trust the output: with --format json stdout is exactly one JSON document (warnings and
 * errors go to stderr), and NO_COLOR or a pipe means no escape codes anywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, type CliRun } from '../helpers.js';
import { PtyRun } from '../walk/pty.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EV = join(ROOT, 'test/fixtures/evidence');
const MINI = ['--no-shipped', '--rules', join(ROOT, 'test/fixtures/mini-kb')];
// eslint-disable-next-line no-control-regex
const ESC = /\u001b|\u009b/;

/** Exactly one JSON document: the whole stdout parses, and it is a single value followed by one newline. */
function oneJson(r: CliRun): unknown {
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimStart()[0]).toMatch(/[[{]/);
  expect(ESC.test(r.stdout)).toBe(false);
  return JSON.parse(r.stdout);
}

describe('--format json', () => {
  const unknownEv = join(dir, 'unknown.txt');
  writeFileSync(unknownEv, 'nothing to see here\n');
  const cases: [string, string[]][] = [
    ['diagnose with facts', ['diagnose', '--fact', 'product=netbackup', '--fact', 'connect_outcome=times_out', '--format', 'json']],
    ['diagnose with evidence and warnings', ['diagnose', '--evidence', join(EV, 'bpbrm.log'), '--evidence', join(EV, 'binary.bin'), '--evidence', unknownEv, '--format', 'json']],
    ['diagnose with nothing known', ['diagnose', '--format', 'json']],
    ['diagnose mini KB answers file', ['diagnose', ...MINI, '--answers', join(ROOT, 'test/fixtures/answers/mini-drop.yaml'), '--format', 'json']],
    ['evidence', ['evidence', '--format', 'json', join(EV, 'netstat-linux.txt'), join(EV, 'empty.txt'), join(EV, 'ddpconnchk.txt')]],
    ['list causes', ['list', 'causes', '--format', 'json']],
    ['list facts', ['list', 'facts', '--format', 'json']],
    ['list rules', ['list', 'rules', '--format', 'json']],
  ];
  it.each(cases)('%s: stdout is one JSON document', (_name, args) => {
    const r = cli(args);
    expect(r.status, r.stderr).toBe(0);
    oneJson(r);
  });

  it('on errors stdout stays empty and stderr is one line', () => {
    for (const args of [
      ['diagnose', '--fact', 'no_such_fact=1', '--format', 'json'],
      ['diagnose', '--answers', join(dir, 'missing.yaml'), '--format', 'json'],
      ['evidence', '--format', 'json', join(dir, 'missing.log')],
      ['diagnose', '--format', 'json', '--bogus-flag'],
    ]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('no escape codes for NO_COLOR and pipes', () => {
  const commands: string[][] = [
    ['--help'],
    ['diagnose', '--fact', 'product=netbackup', '--fact', 'connect_outcome=times_out'],
    ['diagnose', '--fact', 'product=netbackup', '--format', 'markdown'],
    ['diagnose', '--evidence', join(EV, 'bpbrm.log'), '--evidence', join(EV, 'binary.bin')],
    ['evidence', join(EV, 'cinder.log'), join(EV, 'unknown.txt')],
    ['list', 'causes'],
    ['show', 'connect_outcome'],
    ['validate', join(ROOT, 'test/fixtures/broken/warnings')],
    ['graph'],
    ['diagnose', '--fact', 'no_such_fact=1'],
    ['start'],
  ];
  it.each([
    ['NO_COLOR=1, piped', { NO_COLOR: '1' }],
    ['colour allowed but piped', { NO_COLOR: '', FORCE_COLOR: '1', TERM: 'xterm-256color' }],
  ])('%s', (_name, env) => {
    for (const args of commands) {
      const r = cli(args, { env });
      expect(ESC.test(r.stdout), `stdout of ${args.join(' ')}`).toBe(false);
      expect(ESC.test(r.stderr), `stderr of ${args.join(' ')}`).toBe(false);
    }
  });

  // In a real terminal: colour by default, none with NO_COLOR (the first case proves the check can see it).
  it.each([
    ['terminal without NO_COLOR has colour', '', true],
    ['terminal with NO_COLOR=1 has none', '1', false],
  ])('%s', async (_name, noColor, coloured) => {
    const run = new PtyRun(ROOT, ['diagnose', '--fact', 'product=netbackup', '--fact', 'connect_outcome=times_out'], { env: { NO_COLOR: noColor } });
    expect(await run.exited).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(/\u001b\[[0-9;]*m/.test(run.raw)).toBe(coloured);
  });
});

describe('pipes and help', () => {
  it('a reader that stops early (| head -1) ends the command quietly, exit 0, no stack', () => {
    // The reader takes 10 bytes and leaves, or reads nothing at all (`true`): an output that fits the pipe
    // buffer, as the graph's does, is only cut off by the second. The command's own exit status is PIPESTATUS[0].
    const env = { ...process.env, NO_COLOR: '1', BACKUP_TRIAGE_RULES: '', BACKUP_TRIAGE_CACHE: join(tmpdir(), 'backup-triage-test-cache') };
    for (const args of [['list', 'rules'], ['graph', '--format', 'mermaid']]) {
      for (const reader of ['head -c 10 >/dev/null', 'true']) {
        const r = spawnSync('bash', ['-c', `"${process.execPath}" "${join(ROOT, 'bin/backup-triage.js')}" ${args.join(' ')} | ${reader}; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', env });
        expect(r.stdout.trim(), `${args.join(' ')} | ${reader}`).toBe('0');
        expect(r.stderr, `${args.join(' ')} | ${reader}`).toBe('');
      }
    }
  });

  it('--help on any command prints its usage and exits 0 without running it', () => {
    for (const c of ['list', 'show', 'validate', 'test', 'new', 'docs', 'graph', 'diagnose', 'evidence', 'start']) {
      const r = cli([c, '--help']);
      expect(r.status, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`backup-triage (\\[start\\]|${c})`));
      expect(r.stderr, c).toBe('');
    }
  });
});
