import { describe, expect, it } from 'vitest';
import { compileKb } from '../../src/kb/compile.js';
import { declaredObservations } from '../../src/evidence/catalog.js';
import { compileSources } from '../../src/kb/load.js';

const facts = `facts:
  - id: time_wait_pct
    type: number
    unit: "%"
    question: What share of all TCP connections is in TIME_WAIT?
  - id: sendq_stuck
    type: boolean
    question: Is the Send-Q stuck?
`;

describe('the evidence map is checked against what readers declare', () => {
  it('the shipped map has no error', () => {
    const r = compileSources({ observations: declaredObservations() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('a typo in an observation key is an error at file:line:col', () => {
    const map = `evidence_map:\n  - observation: sockets.share.TIME_WAIT\n    fact: time_wait_pct\n  - observation: sockets.shares.TIME_WAIT\n    fact: time_wait_pct\n`;
    const r = compileKb([{ file: 'f.yaml', text: facts }, { file: 'm.yaml', text: map }], { observations: declaredObservations() });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'm.yaml', line: 4, col: 5 });
    expect(errors[0].message).toContain('no reader declares this observation');
  });
  it('an unknown fact, a value the fact cannot take, a payload and a type mismatch are errors', () => {
    const map = [
      'evidence_map:',
      '  - observation: sockets.share.TIME_WAIT',
      '    fact: time_wait_percent',
      '  - observation: sockets.sendq_stuck.*',
      '    fact: sendq_stuck',
      '    ranges: [{ ge: 1, value: maybe }]',
      '  - observation: sockets.local_ports',
      '    fact: time_wait_pct',
      '  - observation: trace.reached',
      '    fact: time_wait_pct',
    ].join('\n');
    const r = compileKb([{ file: 'f.yaml', text: facts }, { file: 'm.yaml', text: map }], { observations: declaredObservations() });
    const msgs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);
    expect(msgs.some((m) => m.startsWith('2:') && m.includes('unknown fact "time_wait_percent"'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('4:') && m.includes('sendq_stuck'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('7:') && m.includes('structured payload'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('9:') && m.includes('cannot set number fact'))).toBe(true);
  });
});
