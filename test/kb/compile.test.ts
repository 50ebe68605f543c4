import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/kb/diagnostics.js';
import { compileFiles } from '../helpers.js';

const FACTS = `facts:
  - id: outcome
    type: enum
    question: What happens?
    help: Look.
    choices:
      - { value: refused, label: Refused }
      - { value: timeout, label: Times out }
  - id: gap_s
    type: number
    unit: s
    question: Gap?
    help: Look.
  - id: flag
    type: boolean
    question: Flag?
    help: Look.
`;

const CAUSES = `causes:
  - id: c1
    title: C1
    summary: S.
    explanation: E.
    remediation: [{ step: "Open {{port:p.one}}." }]
    verification: [{ step: V. }]
    sources: [{ title: T }]
products:
  - id: p
    name: Product
    ports:
      - { id: one, port: 1556, protocol: tcp, service: PBX }
`;

function rule(body: string) {
  return `rules:
  - id: r1
    cause: c1
    strength: 0.9
    rationale: R.
${body}`;
}

const OK_EXAMPLES = `    examples:
      concludes:
        - facts: { outcome: timeout }
`;

function messages(files: Record<string, string>) {
  return compileFiles(files).diagnostics.map(formatDiagnostic);
}

describe('knowledge compilation', () => {
  it('compiles a valid KB and expands catalogue references', () => {
    const r = compileFiles({ 'f.yaml': FACTS, 'c.yaml': CAUSES, 'r.yaml': rule(`    when: { fact: outcome, is: timeout }\n${OK_EXAMPLES}`) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.kb!.causes[0].remediation[0].step).toBe('Open 1556/tcp.');
    expect(r.kb!.rules[0].when).toMatchObject({ fact: 'outcome', op: 'eq', value: 'timeout' });
  });

  it('reports every schema error at once with file:line:col', () => {
    const bad = `rules:
  - id: Bad Id
    cause: c1
    strength: 2
    rationale: R.
    when: { fact: outcome, opp: eq, value: x }
    examples: { concludes: [] }
`;
    expect(messages({ 'f.yaml': FACTS, 'c.yaml': CAUSES, 'r.yaml': bad })).toEqual([
      'r.yaml:2:9: error: id "Bad Id" must match ^[a-z0-9][a-z0-9_.-]*$',
      'r.yaml:4:15: error: strength must be <= 1',
      'r.yaml:6:11: error: when is missing required property "op"',
      'r.yaml:6:28: error: unknown property "opp" in when',
      'r.yaml:7:28: error: concludes must have at least 1 item(s)',
    ]);
  });

  it('reports unknown facts, unknown causes, bad enum values and operator/type mismatches', () => {
    const body = `    when:
      all:
        - { fact: outcom, is: timeout }
        - { fact: outcome, is: slow }
        - { fact: gap_s, op: in, value: 3 }
        - { fact: flag, op: gt, value: 1 }
        - { fact: gap_s, is: "ten" }
${OK_EXAMPLES}`;
    const r = compileFiles({ 'f.yaml': FACTS, 'c.yaml': CAUSES, 'r.yaml': rule(body).replace('cause: c1', 'cause: c9') });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'r.yaml:2:5: error: rule "r1" names unknown cause "c9" (r1)',
      'r.yaml:8:11: error: condition names unknown fact "outcom" (r1)',
      'r.yaml:9:11: error: condition: fact "outcome" has no choice "slow" (choose one of: refused, timeout, unknown) (r1)',
      'r.yaml:10:11: error: operator "in" needs a list value (r1)',
      'r.yaml:11:11: error: operator "gt" does not apply to boolean fact "flag" (use eq, ne) (r1)',
      'r.yaml:12:11: error: condition: fact "gap_s" is a number in s; got "ten" (r1)',
    ]);
  });

  it('names both places for duplicate ids', () => {
    const twice = `${FACTS}  - id: flag\n    type: boolean\n    question: Again?\n`;
    expect(messages({ 'f.yaml': twice, 'c.yaml': CAUSES })).toContain(
      'f.yaml:18:5: error: duplicate fact id "flag" (first defined at f.yaml:14:5) (flag)',
    );
  });

  it('rejects unknown catalogue references and unknown example facts', () => {
    const causes = CAUSES.replace('{{port:p.one}}', '{{port:p.two}}');
    const body = `    when: { fact: outcome, is: timeout }
    examples:
      concludes:
        - facts: { nope: true }
`;
    const out = messages({ 'f.yaml': FACTS, 'c.yaml': causes, 'r.yaml': rule(body) });
    expect(out).toContain('c.yaml:2:5: error: unknown catalogue reference {{port:p.two}} in "c1" (c1)');
    expect(out).toContain('r.yaml:9:11: error: example names unknown fact "nope" (r1)');
  });

  it('checks presents_with against the facts it names, at the entry', () => {
    const withPresents = (lines: string) => CAUSES.replace('    sources: [{ title: T }]', `    presents_with:\n${lines}    sources: [{ title: T }]`);
    expect(compileFiles({ 'f.yaml': FACTS, 'c.yaml': withPresents('      outcome: [timeout]\n') }).diagnostics).toEqual([]);
    const bad = withPresents('      flag: [true, false]\n      gap_s: [10]\n      nope: [x]\n      outcome: [slow]\n');
    expect(messages({ 'f.yaml': FACTS, 'c.yaml': bad })).toEqual([
      'c.yaml:9:13: error: cause "c1": presents_with lists every answer of "flag", which says nothing; list only the usual ones or drop "flag" (c1)',
      'c.yaml:10:14: error: cause "c1": presents_with takes enum or boolean facts; "gap_s" is a number (write a rule for a threshold) (c1)',
      'c.yaml:11:13: error: cause "c1" presents_with names unknown fact "nope" (c1)',
      'c.yaml:12:16: error: cause "c1" presents_with: fact "outcome" has no choice "slow" (choose one of: refused, timeout, unknown) (c1)',
    ]);
  });

  it('refuses JSONPath-style `path` in conditions', () => {
    const body = `    when: { fact: outcome, path: "$.x", is: timeout }\n${OK_EXAMPLES}`;
    expect(messages({ 'f.yaml': FACTS, 'c.yaml': CAUSES, 'r.yaml': rule(body) })).toContain(
      'r.yaml:6:28: error: unknown property "path" in when',
    );
  });

  it('rejects catastrophically backtracking signature patterns', () => {
    const sig = `signatures:
  - id: bad
    pattern: '(a+)+b'
    sets: { flag: true }
  - id: backref
    pattern: '(a)\\1'
    sets: { flag: true }
`;
    const out = messages({ 'f.yaml': FACTS, 's.yaml': sig });
    expect(out[0]).toMatch(/^s\.yaml:2:5: error: signature "bad": nested quantifier/);
    expect(out[1]).toMatch(/^s\.yaml:5:5: error: signature "backref": backreferences are not allowed/);
  });
});
