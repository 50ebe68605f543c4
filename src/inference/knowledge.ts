/** The compiled KB with the indexes inference needs: by id, rules by cause, rules by fact. */
import type { CauseDef, CompiledKb, FactDef, FactValue, LeafCondition, RuleDef } from '../kb/types.js';
import { leaves } from './conditions.js';
import { OPERATORS } from './operators.js';

export interface Knowledge {
  kb: CompiledKb;
  facts: Map<string, FactDef>;
  causes: Map<string, CauseDef>;
  rules: Map<string, RuleDef>;
  supportsByCause: Map<string, RuleDef[]>;
  excludesByCause: Map<string, RuleDef[]>;
  rulesByFact: Map<string, RuleDef[]>;
  factsByRule: Map<string, string[]>;
  /**
   * Per fact, the numbers of the rules in rulesByFact (same order). A rule's number is its index in
   * kb.rules: per-rule tables of the strategy are arrays indexed by it rather than maps keyed by rule id,
   * as at tens of thousands of rules a lookup by id misses the CPU caches, and a walk step makes thousands.
   */
  ruleNumbersByFact: Map<string, number[]>;
  /** Per cause, the numbers of the rules in supportsByCause (same order). */
  supportNumbersByCause: Map<string, number[]>;
  /** Per cause, the numbers of the rules in excludesByCause (same order). */
  excludeNumbersByCause: Map<string, number[]>;
  /** factsByRule, by rule number. */
  factsByNumber: readonly (readonly string[])[];
  /** A fact's number: its index in kb.facts. */
  factNumbers: Map<string, number>;
  /** By rule number, the numbers of the rule's facts (factsByNumber's order, facts the KB declares only). */
  factNumbersByRule: readonly (readonly number[])[];
  /** Answers that stand for every way a fact can be answered, as far as any rule can tell them apart. */
  answerSpace: Map<string, FactValue[]>;
  /** Per fact, the answers that count as evidence for some cause (a supporting rule's condition they meet). */
  abnormal: Map<string, Set<FactValue>>;
  /** Per fact, the causes whose `presents_with` names it. */
  presentingByFact: Map<string, string[]>;
  /** A cause's number: its index in kb.causes. */
  causeNumbers: Map<string, number>;
  /** By rule number: its cause's number (-1 for a cause the KB does not declare), effect and strength. */
  causeNoByRule: Int32Array;
  excludesByNumber: Uint8Array;
  strengthByNumber: Float64Array;
  /** By rule number: 1 when no fact occurs twice in its condition (model counting by products alone). */
  disjointByNumber: Uint8Array;
  /**
   * Per fact, aligned with ruleNumbersByFact: the rule's one leaf on the fact when the fact occurs once in
   * it (else undefined). The rule then reads an answer to the fact only through whether that leaf holds.
   */
  onlyLeafByFact: Map<string, (LeafCondition | undefined)[]>;
  /**
   * Per fact, aligned with ruleNumbersByFact: each rule's cause number, and 1 where the rule supports its
   * cause (0 where it excludes it): what valuing a question reads for every rule on its fact, side by side.
   */
  causeNosByFact: Map<string, Int32Array>;
  supportsByFact: Map<string, Uint8Array>;
  /** The facts with an applies_when (asked only while it holds). */
  conditionalFacts: FactDef[];
}

export function indexKnowledge(kb: CompiledKb): Knowledge {
  const facts = new Map(kb.facts.map((f) => [f.id, f]));
  const causes = new Map(kb.causes.map((c) => [c.id, c]));
  const rules = new Map(kb.rules.map((r) => [r.id, r]));
  const supportsByCause = new Map<string, RuleDef[]>(kb.causes.map((c) => [c.id, []]));
  const excludesByCause = new Map<string, RuleDef[]>(kb.causes.map((c) => [c.id, []]));
  const rulesByFact = new Map<string, RuleDef[]>(kb.facts.map((f) => [f.id, []]));
  const ruleNumbersByFact = new Map<string, number[]>(kb.facts.map((f) => [f.id, []]));
  const supportNumbersByCause = new Map<string, number[]>(kb.causes.map((c) => [c.id, []]));
  const excludeNumbersByCause = new Map<string, number[]>(kb.causes.map((c) => [c.id, []]));
  const factsByRule = new Map<string, string[]>();
  const factsByNumber: string[][] = [];
  const factNumbers = new Map(kb.facts.map((f, i) => [f.id, i]));
  const factNumbersByRule: number[][] = [];
  const leavesByNumber: ReturnType<typeof leaves>[] = [];
  const disjointByNumber = new Uint8Array(kb.rules.length);
  const onlyLeafByFact = new Map<string, (LeafCondition | undefined)[]>(kb.facts.map((f) => [f.id, []]));
  kb.rules.forEach((r, i) => {
    if (r.effect === 'excludes') {
      excludesByCause.get(r.cause)?.push(r);
      excludeNumbersByCause.get(r.cause)?.push(i);
    } else {
      supportsByCause.get(r.cause)?.push(r);
      supportNumbersByCause.get(r.cause)?.push(i);
    }
    const ls = leaves(r.when);
    leavesByNumber.push(ls);
    const fs = [...new Set(ls.map((l) => l.leaf.fact))];
    disjointByNumber[i] = ls.length === fs.length ? 1 : 0;
    factsByRule.set(r.id, fs);
    factsByNumber.push(fs);
    const nos: number[] = [];
    for (const f of fs) {
      const no = factNumbers.get(f);
      if (no !== undefined) nos.push(no);
    }
    factNumbersByRule.push(nos);
    for (const f of fs) {
      rulesByFact.get(f)?.push(r);
      ruleNumbersByFact.get(f)?.push(i);
      const on = ls.filter((l) => l.leaf.fact === f);
      onlyLeafByFact.get(f)?.push(on.length === 1 ? on[0].leaf : undefined);
    }
  });
  const answerSpace = new Map<string, FactValue[]>();
  for (const f of kb.facts) answerSpace.set(f.id, answersFor(f, (ruleNumbersByFact.get(f.id) ?? []).map((no) => leavesByNumber[no])));
  const abnormal = new Map<string, Set<FactValue>>(kb.facts.map((f) => [f.id, new Set()]));
  for (let i = 0; i < kb.rules.length; i++) {
    if (kb.rules[i].effect !== 'supports') continue;
    for (const { leaf, positive } of leavesByNumber[i]) {
      for (const a of answerSpace.get(leaf.fact) ?? []) {
        if (OPERATORS[leaf.op](a, leaf.value) === positive) abnormal.get(leaf.fact)?.add(a);
      }
    }
  }
  const presentingByFact = new Map<string, string[]>();
  for (const c of kb.causes) {
    for (const f of Object.keys(c.presents_with ?? {})) {
      let list = presentingByFact.get(f);
      if (!list) presentingByFact.set(f, (list = []));
      list.push(c.id);
    }
  }
  const conditionalFacts = kb.facts.filter((f) => f.applies_when !== undefined);
  const causeNumbers = new Map(kb.causes.map((c, i) => [c.id, i]));
  const causeNoByRule = Int32Array.from(kb.rules, (r) => causeNumbers.get(r.cause) ?? -1);
  const excludesByNumber = Uint8Array.from(kb.rules, (r) => (r.effect === 'excludes' ? 1 : 0));
  const strengthByNumber = Float64Array.from(kb.rules, (r) => r.strength);
  const causeNosByFact = new Map<string, Int32Array>();
  const supportsByFact = new Map<string, Uint8Array>();
  for (const [f, numbers] of ruleNumbersByFact) {
    causeNosByFact.set(f, Int32Array.from(numbers, (no) => causeNoByRule[no]));
    supportsByFact.set(f, Uint8Array.from(numbers, (no) => 1 - excludesByNumber[no]));
  }
  return {
    kb,
    facts,
    causes,
    rules,
    supportsByCause,
    excludesByCause,
    rulesByFact,
    factsByRule,
    ruleNumbersByFact,
    supportNumbersByCause,
    excludeNumbersByCause,
    factsByNumber,
    factNumbers,
    factNumbersByRule,
    answerSpace,
    abnormal,
    presentingByFact,
    conditionalFacts,
    causeNumbers,
    causeNoByRule,
    excludesByNumber,
    strengthByNumber,
    disjointByNumber,
    onlyLeafByFact,
    causeNosByFact,
    supportsByFact,
  };
}

/** Where rule number `no` is in `numbers` (ascending, as ruleNumbersByFact keeps them), or -1. */
export function indexOfRule(numbers: readonly number[], no: number): number {
  let lo = 0;
  let hi = numbers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (numbers[mid] < no) lo = mid + 1;
    else if (numbers[mid] > no) hi = mid - 1;
    else return mid;
  }
  return -1;
}

const numbersById = new WeakMap<Knowledge, Map<string, number>>();

/**
 * A rule's number (its index in kb.rules) from its id, for callers that have only the id; the map is built
 * on first need, as the walk passes the numbers it holds and never needs it.
 */
export function ruleNumberOf(k: Knowledge, id: string): number | undefined {
  let byId = numbersById.get(k);
  if (!byId) numbersById.set(k, (byId = new Map(k.kb.rules.map((r, i) => [r.id, i]))));
  return byId.get(id);
}

/** Booleans and enums answer from their values; numbers from one representative per interval the rules draw (given the leaves of each rule on the fact). */
function answersFor(fact: FactDef, leavesOfRules: readonly ReturnType<typeof leaves>[]): FactValue[] {
  if (fact.type === 'boolean') return [true, false];
  if (fact.type === 'enum') return (fact.choices ?? []).map((c) => c.value);
  const cuts = new Set<number>();
  for (const ls of leavesOfRules) {
    for (const { leaf } of ls) {
      if (leaf.fact !== fact.id) continue;
      for (const v of Array.isArray(leaf.value) ? leaf.value : [leaf.value]) if (typeof v === 'number') cuts.add(v);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  if (!sorted.length) return [fact.min ?? 0];
  const reps: number[] = [];
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const below = fact.min !== undefined && fact.min < lo ? (fact.min + lo) / 2 : lo - Math.max(1, Math.abs(lo) / 2);
  const above = fact.max !== undefined && fact.max > hi ? (fact.max + hi) / 2 : hi + Math.max(1, Math.abs(hi) / 2);
  if (fact.min === undefined || fact.min < lo) reps.push(below);
  sorted.forEach((t, i) => {
    reps.push(t);
    if (i + 1 < sorted.length) reps.push((t + sorted[i + 1]) / 2);
  });
  if (fact.max === undefined || fact.max > hi) reps.push(above);
  return reps;
}
