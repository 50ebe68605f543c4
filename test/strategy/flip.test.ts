/**
 * Once a cause is diagnosed, a question is worth asking only for its chance of overturning the diagnosis.
 * An overturn by a cause that shares evidence with the diagnosis (a more specific explanation of the same
 * observations) counts in full; one by an unrelated cause counts ABNORMAL_ODDS as much (single fault).
 */
import { describe, expect, it } from 'vitest';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { decide } from '../../src/session/walk-core.js';
import { ABNORMAL_ODDS } from '../../src/strategy/model.js';
import { FLIP_MIN, stepContext, valueQuestion } from '../../src/strategy/next-question.js';
import { walkView } from '../../src/strategy/reach.js';
import { compileFiles, state } from '../helpers.js';

const fact = (id: string) => `  - id: ${id}\n    type: boolean\n    question: Is ${id} seen?\n    help: Look for ${id}.\n`;
const cause = (id: string) =>
  `  - id: ${id}\n    title: Cause ${id}\n    summary: ${id}.\n    explanation: ${id}.\n    remediation: [{ step: Fix ${id}. }]\n    verification: [{ step: Check ${id}. }]\n    sources: [{ title: test }]\n`;
const rule = (id: string, c: string, strength: number, facts: string[]) =>
  `  - id: ${id}\n    cause: ${c}\n    strength: ${strength}\n    rationale: ${id}.\n    when:\n      all:\n${facts.map((f) => `        - { fact: ${f}, is: true }`).join('\n')}\n    examples:\n      concludes:\n        - facts: { ${facts.map((f) => `${f}: true`).join(', ')} }\n`;

const kbText = `facts:\n${['shared', 'sym', 'refines', 'elsewhere'].map(fact).join('')}causes:\n${['diagnosed', 'related', 'unrelated'].map(cause).join('')}rules:\n${[
  rule('diagnosed-by-sym', 'diagnosed', 0.8, ['sym', 'shared']),
  // Shares `shared` with the diagnosis: a more specific reading of the same observation.
  rule('related-refinement', 'related', 0.95, ['shared', 'refines']),
  // Nothing in common with the diagnosis.
  rule('unrelated-alone', 'unrelated', 0.95, ['elsewhere']),
].join('')}`;

describe('chance of overturning a diagnosis', () => {
  const r = compileFiles({ 'kb.yaml': kbText });
  if (!r.kb) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  const k = indexKnowledge(r.kb);

  it('weighs an overturn by an unrelated cause ABNORMAL_ODDS as much as one by a related cause', async () => {
    const d = await decide(k, state({ sym: true, shared: true }));
    expect(d.leading?.cause).toBe('diagnosed');
    // Valued directly. Each question overturns the diagnosis only with the answer "true" (its rule then
    // concludes at 0.95 > 0.8); the chance counts in full for the related cause, ABNORMAL_ODDS as much for the other.
    const { input, scores } = walkView(k, state({ sym: true, shared: true }));
    const lead = scores.find((s) => s.cause === 'diagnosed')!;
    const ctx = stepContext(input, lead, lead.confidence);
    const pTrue = (f: string) => valueQuestion(input, f, ctx, true).outcomes.find((o) => o.value === true)!.probability;
    const related = valueQuestion(input, 'refines', ctx).flip!;
    const unrelated = valueQuestion(input, 'elsewhere', ctx).flip!;
    expect(related).toBeCloseTo(pTrue('refines'), 9);
    expect(unrelated).toBeCloseTo(pTrue('elsewhere') * ABNORMAL_ODDS, 9);
    expect(related).toBeGreaterThan(FLIP_MIN);
    // So the walk checks the related cause and, the unrelated one being below FLIP_MIN here, only that.
    expect(d.next?.fact).toBe('refines');
    expect(d.ranked.map((q) => q.fact)).not.toContain('elsewhere');
  });
});
