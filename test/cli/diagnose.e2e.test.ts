import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const MINI = ['--no-shipped', '--rules', 'test/fixtures/mini-kb'];

describe('backup-triage diagnose (built CLI)', () => {
  it('prints exactly one JSON document with the documented contract', () => {
    const r = cli(['diagnose', ...MINI, '--answers', 'test/fixtures/answers/mini-drop.yaml', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('diagnosed');
    expect(out.diagnoses[0]).toMatchObject({ cause: 'silent-drop', title: 'Firewall drops SYNs silently', confidence: 0.9 });
    expect(Object.keys(out.diagnoses[0])).toEqual(
      expect.arrayContaining(['cause', 'title', 'confidence', 'because', 'remediation', 'verification']),
    );
    expect(out.facts.conn_outcome).toEqual({
      value: 'timeout',
      source: { origin: 'answers-file', file: 'test/fixtures/answers/mini-drop.yaml', line: 1 },
    });
    expect(Array.isArray(out.questions)).toBe(true);
  });

  it('--fact overrides and combines with an answers file; inconclusive still exits 0', () => {
    const r = cli(['diagnose', ...MINI, '--fact', 'conn_outcome=timeout', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('inconclusive');
    expect(out.questions[0]).toMatchObject({ fact: 'retry_gap_s', type: 'number', unit: 's' });
  });

  it('renders text and markdown', () => {
    const text = cli(['diagnose', ...MINI, '--fact', 'conn_outcome=timeout', '--fact', 'retry_gap_s=10']);
    expect(text.stdout).toMatch(/Root cause: Firewall drops SYNs silently/);
    expect(text.stdout).toMatch(/rule drop-timeout-gap/);
    expect(text.stdout).not.toMatch(/\u001b\[/);
    const md = cli(['diagnose', ...MINI, '--fact', 'conn_outcome=timeout', '--fact', 'retry_gap_s=10', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^# backup-triage report/);
    expect(md.stdout).toMatch(/## Diagnosis: Firewall drops SYNs silently/);
  });

  const bad: [string, string[], RegExp][] = [
    ['unknown fact in answers file', ['--answers', 'test/fixtures/answers/unknown-fact.yaml'], /unknown-fact\.yaml:2:1: unknown fact "no_such_fact"/],
    ['malformed YAML', ['--answers', 'test/fixtures/answers/malformed.yaml'], /malformed\.yaml:\d+:\d+: error: /],
    ['value outside the choices', ['--answers', 'test/fixtures/answers/bad-choice.yaml'], /bad-choice\.yaml:1:1: fact "conn_outcome" has no choice "sideways"/],
    ['binary file', ['--answers', 'test/fixtures/answers/binary.yaml'], /binary content/],
    ['missing file', ['--answers', 'nope.yaml'], /cannot read answers file nope\.yaml: ENOENT/],
    ['bad --fact', ['--fact', 'retry_gap_s=soon'], /--fact: fact "retry_gap_s" is a number in s; got "soon"/],
    ['unknown --fact id', ['--fact', 'conn=timeout'], /--fact: unknown fact "conn"/],
    ['bad --format', ['--format', 'xml'], /--format must be one of text, json, markdown/],
    ['unknown option', ['--bogus'], /diagnose: Unknown option '--bogus'/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name} with one line and exit 2`, () => {
      const r = cli(['diagnose', ...MINI, ...args]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('unknown commands are usage errors', () => {
    const r = cli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('list and show browse the knowledge', () => {
    const list = cli(['list', 'causes', ...MINI, '--format', 'json']);
    expect(JSON.parse(list.stdout).map((c: { id: string }) => c.id)).toContain('silent-drop');
    const show = cli(['show', 'drop-timeout-gap', ...MINI]);
    expect(show.stdout).toMatch(/conn_outcome is timeout/);
    expect(cli(['show', 'nothing-here', ...MINI]).status).toBe(2);
  });
});
