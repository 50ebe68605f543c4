/**
 * A cause's presents_with: the answers it usually comes with, for facts its rules do not test (the symptom
 * family it shows as). A listed answer makes every pattern of the cause 1/ABNORMAL_ODDS times as likely
 * as an unlisted one; rules that test the fact themselves keep their own counting; the question value
 * follows the same likelihood (closed form against brute force).
 */
import { describe, expect, it } from 'vitest';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { incrementalStatus } from '../../src/inference/incremental.js';
import { ABNORMAL_ODDS, belief, untestedLikelihood } from '../../src/strategy/model.js';
import { stepContext, valueQuestion, type StrategyInput } from '../../src/strategy/next-question.js';
import { compileFiles } from '../helpers.js';

const fact = (id: string) => `  - id: ${id}\n    type: boolean\n    question: Is ${id} seen?\n    help: Look for ${id}.\n`;
const symptom = `  - id: symptom\n    type: enum\n    question: What is seen?\n    help: Pick one.\n    choices:\n      - { value: slow, label: Slow }\n      - { value: fails, label: Fails }\n      - { value: drops, label: Drops }\n`;
const cause = (id: string, presents = '') =>
  `  - id: ${id}\n    title: Cause ${id}\n    summary: ${id}.\n    explanation: ${id}.\n${presents}    remediation: [{ step: Fix ${id}. }]\n    verification: [{ step: Check ${id}. }]\n    sources: [{ title: test }]\n`;
const rule = (id: string, c: string, when: string) =>
  `  - id: ${id}\n    cause: ${c}\n    strength: 0.8\n    rationale: ${id}.\n    when: ${when}\n    examples:\n      concludes:\n        - facts: { x: true }\n`;

const kbText = `facts:\n${symptom}${fact('x')}${fact('y')}causes:\n${cause('shows-slow', '    presents_with: { symptom: [slow] }\n')}${cause('silent')}rules:\n${[
  rule('slow-by-x', 'shows-slow', '{ fact: x, is: true }'),
  rule('silent-by-x', 'silent', '{ fact: x, is: true }'),
  rule('silent-by-y', 'silent', '{ fact: y, is: true }'),
].join('')}`;

describe('presents_with', () => {
  const r = compileFiles({ 'kb.yaml': kbText });
  if (!r.kb) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  const k = indexKnowledge(r.kb);
  const massWith = (facts: Record<string, string | boolean>) => {
    const known = new Map(Object.entries(facts));
    return new Map(belief(k, known, new Map(incrementalStatus(k, known))).mass);
  };

  it('gives a listed answer 1/ABNORMAL_ODDS times the likelihood of an unlisted one, summing to one', () => {
    const answers = ['slow', 'fails', 'drops'];
    const ps = answers.map((a) => untestedLikelihood(k, 'shows-slow', 'symptom', a));
    expect(ps.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(ps[1] / ps[0]).toBeCloseTo(ABNORMAL_ODDS, 12);
    expect(ps[2]).toBeCloseTo(ps[1], 12);
    // A cause without presents_with follows the background (uniform here: no rule tests the symptom).
    expect(untestedLikelihood(k, 'silent', 'symptom', 'fails')).toBeCloseTo(1 / 3, 12);
  });

  it('moves the belief in the cause by that ratio, and leaves the other cause alone', () => {
    const none = massWith({});
    const slow = massWith({ symptom: 'slow' });
    const fails = massWith({ symptom: 'fails' });
    expect(slow.get('shows-slow')! / fails.get('shows-slow')!).toBeCloseTo(1 / ABNORMAL_ODDS, 9);
    expect(slow.get('silent')).toBeCloseTo(none.get('silent')!, 12);
    expect(fails.get('silent')).toBeCloseTo(none.get('silent')!, 12);
    // Relative to knowing nothing, a listed symptom raises the cause and an unlisted one lowers it.
    expect(slow.get('shows-slow')!).toBeGreaterThan(none.get('shows-slow')!);
    expect(fails.get('shows-slow')!).toBeLessThan(none.get('shows-slow')!);
  });

  it('values the symptom question by the same likelihood (each answer\'s outcome against brute force)', () => {
    const known = new Map<string, string | boolean>();
    const status = new Map(incrementalStatus(k, known));
    const input: StrategyInput = { k, known, answered: new Set(), status };
    const q = valueQuestion(input, 'symptom', stepContext(input), true);
    const m = massWith({});
    for (const o of q.outcomes) {
      const w = new Map([...m].map(([c, mass]) => [c, mass * untestedLikelihood(k, c, 'symptom', o.value)]));
      const z = [...w.values()].reduce((s, v) => s + v, 0);
      for (const { cause, probability } of o.after) expect(probability, `${String(o.value)} ${cause}`).toBeCloseTo(w.get(cause)! / z, 9);
    }
    expect(q.gain).toBeGreaterThan(0);
  });
});
