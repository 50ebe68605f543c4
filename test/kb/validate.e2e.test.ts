import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.js';

describe('backup-triage validate: every error and warning kind at its place', () => {
  it('reports warnings and failing examples with file:line:col', () => {
    const r = cli(['validate', '--no-shipped', 'test/fixtures/broken/warnings']);
    expect(r.status).toBe(2);
    const f = 'test/fixtures/broken/warnings/kb.yaml';
    expect(r.stderr.trim().split('\n')).toEqual([
      `${f}:13:5: warning: fact "unused_fact" is used by no rule (unused_fact)`,
      `${f}:17:5: warning: fact "no_help" has no help text on how to check it (no_help)`,
      `${f}:35:5: warning: cause "unreachable" is reached by no rule (unreachable)`,
      `${f}:43:5: warning: rule "never-fires" can never fire: no combination of answers satisfies it (never-fires)`,
      `${f}:53:11: error: example fails: example does not conclude rule never-fires (it stays ruled out) (never-fires)`,
      `${f}:63:11: error: example fails: expected c1 to be diagnosed; result is inconclusive (broad)`,
      `${f}:66:5: warning: rule "narrow" has no near-miss example (narrow)`,
      `${f}:66:5: warning: rule "narrow" is subsumed by "broad" (same cause, fires whenever it fires) (narrow)`,
      `${f}:77:5: warning: rule "twin" has the same conditions as "broad" but concludes a different cause (twin)`,
      `${f}:84:11: error: example fails: expected c2 to be diagnosed; result is inconclusive (twin)`,
      'invalid: 3 causes, 4 facts, 4 rules; 3 error(s), 7 warning(s)',
    ]);
  });

  it('warnings alone exit 0, or 1 with --strict', () => {
    const dir = 'test/fixtures/broken/warnings-only';
    const plain = cli(['validate', '--no-shipped', dir]);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toMatch(/kb\.yaml:6:5: warning: fact "unseen" is used by no rule/);
    expect(cli(['validate', '--no-shipped', '--strict', dir]).status).toBe(1);
  });

  it('the shipped KB validates with no errors', () => {
    const r = cli(['validate']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/valid: \d+ causes, \d+ facts, \d+ rules; 0 error\(s\)/);
  });

  it('scaffolds from "new" validate once the placeholders are filled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-scaffold-'));
    const fill = (text: string) =>
      text
        .replace('<cause-id>', 'scaffolded-cause')
        .replace(/<fact_id>/g, 'scaffolded_fact')
        .replace(/, <number_fact>: 10/g, '')
        .replace(/ *- \{ fact: <number_fact>.*\n/, '')
        .replace(/<[^>\n]+>/g, 'filled');
    for (const [kind, id] of [['fact', 'scaffolded_fact'], ['cause', 'scaffolded-cause'], ['rule', 'scaffolded-rule']]) {
      const r = cli(['new', kind, '--id', id, '--out', join(dir, `${kind}.yaml`)]);
      expect(r.status, r.stderr).toBe(0);
      const text = fill(readFileSync(join(dir, `${kind}.yaml`), 'utf8'));
      expect(text).not.toMatch(/<[a-z_-]+>/);
      writeFileSync(join(dir, `${kind}.yaml`), text);
    }
    const again = cli(['new', 'rule', '--out', join(dir, 'rule.yaml')]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const v = cli(['validate', '--no-shipped', 'test/fixtures/broken/warnings-only', dir]);
    expect(v.stderr).toMatch(/; 0 error\(s\)/);
    expect(v.status).toBe(0);
  });
});
