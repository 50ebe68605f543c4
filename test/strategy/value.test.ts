/**
 * The question value is computed in closed form (only the causes a fact touches are summed); these tests
 * recompute it by brute force over every cause, and check the model counting against enumeration.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSources, listYamlFiles, readKbFiles } from '../../src/kb/load.js';
import { compileKb } from '../../src/kb/compile.js';
// @ts-expect-error: a plain ESM script without types
import { generate } from '../../scripts/gen-synthetic-kb.mjs';
import { evaluateCondition, leaves, type KnownFacts } from '../../src/inference/conditions.js';
import { indexKnowledge, type Knowledge } from '../../src/inference/knowledge.js';
import { incrementalStatus } from '../../src/inference/incremental.js';
import { hypotheses, satisfyingCounts, statusIfAnswered, untestedLikelihood } from '../../src/strategy/model.js';
import { relevantFacts, stepContext, valueQuestion, type StrategyInput } from '../../src/strategy/next-question.js';
import { scoreAll } from '../../src/inference/ranking.js';
import type { FactValue } from '../../src/kb/types.js';

const k = indexKnowledge(compileSources().kb!);

function entropy(ws: number[]): number {
  const z = ws.reduce((a, b) => a + b, 0);
  return -ws.reduce((s, w) => (w > 0 ? s + (w / z) * Math.log2(w / z) : s), 0);
}

/** Per answer, each cause's belief after it (unnormalised), by brute force over every hypothesis. */
function bruteRows(kb: Knowledge, input: StrategyInput, fact: string): Map<string, number>[] {
  const { known, status } = input;
  const hyps = hypotheses(kb, known, status);
  const answers = kb.answerSpace.get(fact)!;
  return answers.map((a, ai) => {
    const w = new Map<string, number>();
    for (const h of hyps) {
      let like: number;
      if (h.rule && (kb.factsByRule.get(h.rule.id) ?? []).includes(fact)) {
        const c = satisfyingCounts(kb, h.rule, known, fact);
        const sum = c.reduce((x, y) => x + y, 0);
        like = sum ? c[ai] / sum : 1 / answers.length;
      } else like = untestedLikelihood(kb, h.cause, fact, a);
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
}

function bruteGain(kb: Knowledge, input: StrategyInput, fact: string): number {
  const rows = bruteRows(kb, input, fact);
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

  it("each answer's outcome lists the most likely causes after it, in order (against brute force)", () => {
    for (const facts of states) {
      const known = new Map(Object.entries(facts));
      const status = new Map(incrementalStatus(k, known));
      const input: StrategyInput = { k, known, answered: new Set(known.keys()), status };
      const ctx = stepContext(input);
      for (const f of relevantFacts(input, scoreAll(k, status))) {
        const q = valueQuestion(input, f, ctx, true);
        bruteRows(k, input, f).forEach((w, ai) => {
          const z = [...w.values()].reduce((a, b) => a + b, 0);
          const want = [...w].map(([cause, v]) => ({ cause, p: v / z })).sort((a, b) => b.p - a.p);
          const got = q.outcomes[ai].after;
          expect(got.length).toBe(Math.min(8, want.length));
          got.forEach((g, i) => {
            expect(g.probability, `${f}=${String(q.outcomes[ai].value)} #${i}`).toBeCloseTo(want[i].p, 9);
            if (i > 0) expect(g.probability).toBeLessThanOrEqual(got[i - 1].probability);
          });
        });
      }
    }
  });

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

  // The shipped rules use no `not`; the synthetic ones (the benchmark's generator) nest all/any/not.
  const synthetic = syntheticKb(300);

  it('the status of a rule under each answer to one of its facts equals evaluating it with that answer', () => {
    const k = synthetic;
    fc.assert(
      fc.property(fc.nat(k.kb.rules.length - 1), fc.array(fc.nat(8), { minLength: 6, maxLength: 6 }), fc.nat(5), (ri, picks, byAt) => {
        const r = k.kb.rules[ri];
        const facts = k.factsByRule.get(r.id)!;
        const by = facts[byAt % facts.length];
        const known = new Map<string, FactValue>();
        facts.forEach((f, i) => {
          const space = k.answerSpace.get(f)!;
          if (f !== by && picks[i] % 2 === 0) known.set(f, space[picks[i] % space.length]);
        });
        const got = statusIfAnswered(k, r, known, by);
        const want = k.answerSpace.get(by)!.map((a) => evaluateCondition(r.when, new Map(known).set(by, a)));
        expect(got, `${r.id} by ${by}`).toEqual(want);
      }),
      { numRuns: 600, seed: 3 },
    );
  });

  it('model counting of conditions that test a fact twice equals enumeration, with and without facts known', () => {
    const k = synthetic;
    const overlapping = k.kb.rules.filter((r) => leaves(r.when).length > k.factsByRule.get(r.id)!.length);
    expect(overlapping.length).toBeGreaterThanOrEqual(3);
    fc.assert(
      fc.property(fc.nat(overlapping.length - 1), fc.array(fc.nat(8), { minLength: 6, maxLength: 6 }), (ri, picks) => {
        const r = overlapping[ri];
        const facts = k.factsByRule.get(r.id)!;
        const known = new Map<string, FactValue>();
        facts.forEach((f, i) => {
          const space = k.answerSpace.get(f)!;
          if (picks[i] % 3 === 0) known.set(f, space[picks[i] % space.length]);
        });
        let combos: Map<string, FactValue>[] = [new Map(known)];
        for (const f of facts.filter((f) => !known.has(f))) combos = combos.flatMap((c) => k.answerSpace.get(f)!.map((v) => new Map(c).set(f, v)));
        if (combos.length > 4096) return;
        const want = combos.filter((c) => evaluateCondition(r.when, c) === true).length;
        expect(satisfyingCounts(k, r, known)[0], `${r.id} with ${JSON.stringify([...known])}`).toBe(want);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
  for (const [name, kb] of [['shipped', k], ['synthetic', synthetic]] as const) {
    it(`model counting split by one fact, with some facts known, equals enumeration (${name} rules)`, () => {
      const k = kb;
      const rules = k.kb.rules.filter((r) => k.factsByRule.get(r.id)!.length >= 2);
      fc.assert(
        fc.property(fc.nat(rules.length - 1), fc.array(fc.nat(5), { minLength: 6, maxLength: 6 }), fc.nat(5), (ri, picks, byAt) => {
          const r = rules[ri];
          const facts = k.factsByRule.get(r.id)!;
          const by = facts[byAt % facts.length];
          const known = new Map<string, FactValue>();
          // Every other fact but `by` known, from the picks; the rest left open.
          facts.forEach((f, i) => {
            if (f !== by && picks[i % picks.length] % 2 === 0) known.set(f, k.answerSpace.get(f)![picks[i % picks.length] % k.answerSpace.get(f)!.length]);
          });
          const open = facts.filter((f) => f !== by && !known.has(f));
          const counts = satisfyingCounts(k, r, known, by);
          k.answerSpace.get(by)!.forEach((a, ai) => {
            let combos: Map<string, FactValue>[] = [new Map(known).set(by, a)];
            for (const f of open) combos = combos.flatMap((c) => k.answerSpace.get(f)!.map((v) => new Map(c).set(f, v)));
            if (combos.length > 4096) return;
            expect(counts[ai], `${r.id} by ${by}=${String(a)}`).toBe(combos.filter((c) => evaluateCondition(r.when, c) === true).length);
          });
        }),
        { numRuns: 600, seed: 11 },
      );
    });
  }
});

/** A small KB from the benchmark's generator (nested all/any/not over 300 facts). */
function syntheticKb(rules: number): Knowledge {
  const dir = mkdtempSync(join(tmpdir(), 'bt-syn-test-'));
  try {
    generate(rules, dir);
    const r = compileKb(readKbFiles(listYamlFiles(dir), (p) => p));
    if (!r.kb) throw new Error(`synthetic KB did not compile: ${r.diagnostics[0]?.message}`);
    return indexKnowledge(r.kb);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
