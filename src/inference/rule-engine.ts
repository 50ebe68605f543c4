/**
 * Rule evaluation through json-rules-engine, three-valued.
 *
 * json-rules-engine is two-valued, and with `allowUndefinedFacts` an unknown fact silently makes `notEqual`
 * true. So every leaf is compiled to a polarity-tagged operator and the rules run on two engines: an
 * optimistic one where unknown leaves lean towards the rule firing, and a pessimistic one where they lean
 * against it. Fired pessimistically ⇒ concluded; not fired even optimistically ⇒ ruled out; else open.
 * This equals Kleene's three-valued logic, leaf occurrence by leaf occurrence.
 */
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { Condition, FactValue, RuleDef } from '../kb/types.js';
import type { Truth } from './conditions.js';
import { isLeaf } from './conditions.js';
import { OPERATOR_NAMES, OPERATORS } from './operators.js';

type EngineCondition = Record<string, unknown>;

function toEngineCondition(c: Condition, positive: boolean): EngineCondition {
  if (isLeaf(c)) return { fact: c.fact, operator: `${c.op}${positive ? '+' : '-'}`, value: c.value };
  if ('all' in c) return { all: c.all.map((s) => toEngineCondition(s, positive)) };
  if ('any' in c) return { any: c.any.map((s) => toEngineCondition(s, positive)) };
  return { not: toEngineCondition(c.not, !positive) };
}

function toTopLevel(c: Condition): TopLevelCondition {
  const converted = toEngineCondition(c, true);
  return (isLeaf(c) ? { all: [converted] } : converted) as unknown as TopLevelCondition;
}

function makeEngine(rules: readonly RuleDef[], optimistic: boolean): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false });
  for (const op of OPERATOR_NAMES) {
    const compare = OPERATORS[op];
    // Positive leaves: an unknown fact counts as "holds" when optimistic; negated leaves the other way.
    engine.addOperator(`${op}+`, (fact: FactValue | undefined, value: FactValue | FactValue[]) =>
      fact === undefined ? optimistic : compare(fact, value),
    );
    engine.addOperator(`${op}-`, (fact: FactValue | undefined, value: FactValue | FactValue[]) =>
      fact === undefined ? !optimistic : compare(fact, value),
    );
  }
  for (const r of rules) {
    const props: RuleProperties = { name: r.id, conditions: toTopLevel(r.when), event: { type: r.id } };
    engine.addRule(props);
  }
  return engine;
}

export class RuleEngine {
  private readonly optimistic: Engine;
  private readonly pessimistic: Engine;

  constructor(rules: readonly RuleDef[]) {
    this.optimistic = makeEngine(rules, true);
    this.pessimistic = makeEngine(rules, false);
  }

  /** Status of every rule: true = concluded, false = ruled out, undefined = open. */
  async evaluate(known: ReadonlyMap<string, FactValue>): Promise<Map<string, Truth>> {
    const facts = Object.fromEntries(known);
    const [opt, pes] = await Promise.all([this.optimistic.run(facts), this.pessimistic.run(facts)]);
    const status = new Map<string, Truth>();
    for (const r of opt.failureResults) status.set(String(r.name), false);
    for (const r of opt.results) status.set(String(r.name), undefined);
    for (const r of pes.results) status.set(String(r.name), true);
    return status;
  }
}
