import { describe, expect, it } from 'vitest';
import { evaluateCondition, factsOf } from '../../src/inference/conditions.js';
import { RuleEngine } from '../../src/inference/rule-engine.js';
import type { Condition, FactValue, RuleDef } from '../../src/kb/types.js';

const pos = { file: 'x', line: 1, col: 1 };
const rule = (id: string, when: Condition): RuleDef => ({
  id, cause: 'c', effect: 'supports', strength: 1, rationale: '', when, concludes: [], near_misses: [], pos,
});

describe('three-valued evaluation', () => {
  it('keeps an unknown fact unknown, even under "ne" (json-rules-engine would say true)', async () => {
    const r = rule('ne', { fact: 'a', op: 'ne', value: 'x' });
    const engine = new RuleEngine([r], (x) => factsOf(x.when));
    expect((await engine.evaluate(new Map())).get('ne')).toBeUndefined();
    expect(evaluateCondition(r.when, new Map())).toBeUndefined();
    expect((await engine.evaluate(new Map([['a', 'y']]))).get('ne')).toBe(true);
    expect((await engine.evaluate(new Map([['a', 'x']]))).get('ne')).toBe(false);
  });

  it('follows Kleene logic through all / any / not', async () => {
    const when: Condition = { all: [{ fact: 'a', op: 'eq', value: true }, { any: [{ fact: 'b', op: 'gt', value: 3 }, { not: { fact: 'c', op: 'eq', value: 'x' } }] }] };
    const engine = new RuleEngine([rule('r', when)], (x) => factsOf(x.when));
    const cases: [Record<string, FactValue>, boolean | undefined][] = [
      [{}, undefined],
      [{ a: false }, false],
      [{ a: true }, undefined],
      [{ a: true, b: 5 }, true],
      [{ a: true, b: 1 }, undefined],
      [{ a: true, b: 1, c: 'x' }, false],
      [{ a: true, c: 'y' }, true],
    ];
    for (const [facts, expected] of cases) {
      const known = new Map(Object.entries(facts));
      expect(evaluateCondition(when, known), JSON.stringify(facts)).toBe(expected);
      expect((await engine.evaluate(known)).get('r'), JSON.stringify(facts)).toBe(expected);
    }
  });

  it('json-rules-engine and the synchronous evaluator agree on random rules and partial facts', async () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const facts = ['f0', 'f1', 'f2', 'f3', 'f4'];
    const leaf = (): Condition => {
      const fact = pick(facts);
      const op = pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'nin'] as const);
      const value = op === 'in' || op === 'nin' ? [pick([1, 2, 3]), pick([1, 2, 3])] : pick([1, 2, 3]);
      return { fact, op, value };
    };
    const tree = (depth: number): Condition => {
      if (depth === 0 || rand() < 0.3) return leaf();
      const kind = pick(['all', 'any', 'not'] as const);
      if (kind === 'not') return { not: tree(depth - 1) };
      const kids = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => tree(depth - 1));
      return kind === 'all' ? { all: kids } : { any: kids };
    };
    const rules = Array.from({ length: 200 }, (_, i) => rule(`r${i}`, tree(4)));
    const engine = new RuleEngine(rules, (x) => factsOf(x.when));
    for (let trial = 0; trial < 40; trial++) {
      const known = new Map<string, FactValue>();
      for (const f of facts) if (rand() < 0.6) known.set(f, pick([1, 2, 3]));
      const status = await engine.evaluate(known);
      for (const r of rules) expect(status.get(r.id), `${r.id} ${JSON.stringify([...known])}`).toBe(evaluateCondition(r.when, known));
    }
  });
});
