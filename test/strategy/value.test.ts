/**
 * The question value is computed in closed form (only the causes a fact touches are summed); these tests
 * recompute it by brute force over every cause, and check the model counting against enumeration.
 */
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/kb/load.js';
import { evaluateCondition, type KnownFacts } from '../../src/inference/conditions.js';
import { indexKnowledge, type Knowledge } from '../../src/inference/knowledge.js';
import { incrementalStatus } from '../../src/inference/incremental.js';
import { background, hypotheses, satisfyingCounts } from '../../src/strategy/model.js';
import { relevantFacts, stepContext, valueQuestion, type StrategyInput } from '../../src/strategy/next-question.js';
import { scoreAll } from '../../src/inference/ranking.js';
import type { FactValue } from '../../src/kb/types.js';

const k = indexKnowledge(compileSources().kb!);

function entropy(ws: number[]): number {
  const z = ws.reduce((a, b) => a + b, 0);
  return -ws.reduce((s, w) => (w > 0 ? s + (w / z) * Math.log2(w / z) : s), 0);
}

function bruteGain(kb: Knowledge, input: StrategyInput, fact: string): number {
  const { known, status } = input;
  const hyps = hypotheses(kb, known, status);
  const answers = kb.answerSpace.get(fact)!;
  const rows = answers.map((a, ai) => {
    const w = new Map<string, number>();
    for (const h of hyps) {
      let like: number;
      if (h.rule && (kb.factsByRule.get(h.rule.id) ?? []).includes(fact)) {
        const c = satisfyingCounts(kb, h.rule, known, fact);
        const sum = c.reduce((x, y) => x + y, 0);
        like = sum ? c[ai] / sum : 1 / answers.length;
      } else like = background(kb, fact, a);
      w.set(h.cause, (w.get(h.cause) ?? 0) + h.weight * like);
    }
    const view = { get: (f: string) => (f === fact ? a : known.get(f)) } as KnownFacts;
    for (const r of kb.rulesByFact.get(fact) ?? []) {
      if (r.effect === 'excludes' && evaluateCondition(r.when, view) === true && status.get(r.id) !== true && w.has(r.cause)) {
        w.set(r.cause, w.get(r.cause)! * (1 - r.strength));
      }
    }
    return w;
  });
  const totals = rows.map((w) => [...w.values()].reduce((x, y) => x + y, 0));
  const z = totals.reduce((x, y) => x + y, 0);
  const mixture = new Map<string, number>();
  for (const w of rows) for (const [c, v] of w) mixture.set(c, (mixture.get(c) ?? 0) + v / z);
  const expected = rows.reduce((s, w, i) => s + (totals[i] / z) * entropy([...w.values()]), 0);
  return entropy([...mixture.values()]) - expected;
}

describe('question value', () => {
  const states: Record<string, FactValue>[] = [
    {},
    { product: 'netbackup', symptom: 'job_fails_status_or_timeout' },
    { product: 'avamar_datadomain', connect_outcome: 'times_out', sendq_stuck: true },
    { symptom: 'bind_or_socket_errors', time_wait_pct: 60 },
  ];
  for (const facts of states) {
    it(`closed form equals brute force with ${JSON.stringify(facts)}`, () => {
      const known = new Map(Object.entries(facts));
      const status = new Map(incrementalStatus(k, known));
      const input: StrategyInput = { k, known, answered: new Set(known.keys()), status };
      const ctx = stepContext(input);
      const candidates = relevantFacts(input, scoreAll(k, status));
      expect(candidates.length).toBeGreaterThan(0);
      for (const f of candidates) expect(valueQuestion(input, f, ctx).gain, f).toBeCloseTo(Math.max(0, bruteGain(k, input, f)), 9);
    });
  }

  it('model counting equals enumeration for every shipped rule', () => {
    for (const r of k.kb.rules) {
      const facts = k.factsByRule.get(r.id)!;
      let combos: Map<string, FactValue>[] = [new Map()];
      for (const f of facts) combos = combos.flatMap((c) => k.answerSpace.get(f)!.map((a) => new Map(c).set(f, a)));
      if (combos.length > 4096) continue;
      const enumerated = combos.filter((c) => evaluateCondition(r.when, c) === true).length;
      expect(satisfyingCounts(k, r, new Map())[0], r.id).toBe(enumerated);
    }
  });
});
