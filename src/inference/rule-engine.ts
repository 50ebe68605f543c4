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

/**
 * A rule none of whose facts is known is open by definition, so only rules that mention a known fact go
 * through the engines. With few facts known (the usual case) a pair of small engines is built for those
 * rules; when most rules are touched the full, prebuilt pair is used.
 */
export class RuleEngine {
  private full?: [Engine, Engine];
  private readonly rulesByFact = new Map<string, RuleDef[]>();

  constructor(private readonly rules: readonly RuleDef[], factsOf: (r: RuleDef) => readonly string[]) {
    for (const r of rules) {
      for (const f of factsOf(r)) {
        const list = this.rulesByFact.get(f);
        if (list) list.push(r);
        else this.rulesByFact.set(f, [r]);
      }
    }
  }

  /** Status of every rule: true = concluded, false = ruled out, undefined = open. */
  async evaluate(known: ReadonlyMap<string, FactValue>): Promise<Map<string, Truth>> {
    const touched = new Set<RuleDef>();
    for (const f of known.keys()) for (const r of this.rulesByFact.get(f) ?? []) touched.add(r);
    let engines: [Engine, Engine];
    if (touched.size * 2 > this.rules.length) {
      engines = this.full ??= [makeEngine(this.rules, true), makeEngine(this.rules, false)];
    } else {
      const subset = [...touched];
      engines = [makeEngine(subset, true), makeEngine(subset, false)];
    }
    const status = new Map<string, Truth>();
    for (const r of this.rules) status.set(r.id, undefined);
    if (!touched.size) return status;
    const facts = Object.fromEntries(known);
    const [opt, pes] = await Promise.all([engines[0].run(facts), engines[1].run(facts)]);
    for (const r of opt.failureResults) status.set(String(r.name), false);
    for (const r of pes.results) status.set(String(r.name), true);
    return status;
  }
}
