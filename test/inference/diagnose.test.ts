import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/inference/diagnose.js';
import { miniKb, state } from '../helpers.js';

describe('diagnose on a small KB', () => {
  const k = miniKb();

  it('concludes a cause with its explanation and the source of each fact', async () => {
    const d = await diagnose(k, state({ conn_outcome: 'timeout', retry_gap_s: 10 }));
    expect(d.status).toBe('diagnosed');
    expect(d.diagnoses[0]).toMatchObject({ cause: 'silent-drop', confidence: 0.9 });
    expect(d.diagnoses[0].because[0].rule).toBe('drop-timeout-gap');
    expect(d.diagnoses[0].because[0].facts.map((f) => f.fact)).toEqual(['conn_outcome', 'retry_gap_s']);
    expect(d.diagnoses[0].because[0].facts[0].source.origin).toBe('answer');
  });

  it('never presents a guess: partial evidence is inconclusive and lists the question that settles it', async () => {
    const d = await diagnose(k, state({ conn_outcome: 'timeout' }));
    expect(d.status).toBe('inconclusive');
    expect(d.diagnoses).toEqual([]);
    expect(d.candidates[0].cause).toBe('silent-drop');
    expect(d.questions.map((q) => q.fact)).toEqual(['retry_gap_s']);
  });

  it('"not sure" stays unknown and is not asked again', async () => {
    const d = await diagnose(k, state({ conn_outcome: 'timeout', retry_gap_s: null }));
    expect(d.status).toBe('inconclusive');
    expect(d.questions).toEqual([]);
  });

  it('an excluding rule rules a cause out', async () => {
    const d = await diagnose(k, state({ conn_outcome: 'refused' }));
    expect(d.ruledOut.map((r) => r.cause)).toContain('silent-drop');
    expect(d.candidates.map((c) => c.cause)).not.toContain('silent-drop');
  });

  it('with nothing known, asks first the question that separates most', async () => {
    const d = await diagnose(k, state({}));
    expect(d.status).toBe('inconclusive');
    expect(d.questions[0].fact).toBe('conn_outcome');
    expect(d.questions.map((q) => q.fact)).not.toContain('irrelevant_colour');
  });

  it('a below-threshold rule is not a diagnosis', async () => {
    const weak = miniKb();
    weak.rules.get('other-connects')!.strength = 0.5;
    const d = await diagnose(weak, state({ conn_outcome: 'connects' }));
    expect(d.status).toBe('inconclusive');
    expect(d.diagnoses[0]).toMatchObject({ cause: 'other-cause', confidence: 0.5 });
  });
});
