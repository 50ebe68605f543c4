/**
 * A small probabilistic reading of the rule base, used to weigh causes that are not yet concluded and to
 * value questions. Each supporting rule is a hypothesis ("this pattern is what is happening"), plus one
 * hypothesis for "none of the known causes". A hypothesis predicts the answers its rule allows, evenly; a
 * fact its rule does not mention is predicted evenly over all answers. So a rule whose conditions keep
 * matching what the user reports gains weight over rules that say nothing about it.
 */
import type { FactValue, RuleDef } from '../kb/types.js';
import { evaluateCondition, type KnownFacts } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';
import type { RuleStatus } from '../inference/ranking.js';

export const NONE = '(none)';
/** Prior weight of "no known cause", relative to a cause of prior 1. */
export const NONE_PRIOR = 0.5;

export interface Hypothesis {
  rule?: RuleDef;
  cause: string;
  weight: number;
}

const consistentCache = new WeakMap<Knowledge, Map<string, number>>();

/** How many of a fact's answers leave the rule possible, with nothing else known. */
function consistentCount(k: Knowledge, rule: RuleDef, fact: string): number {
  let cache = consistentCache.get(k);
  if (!cache) consistentCache.set(k, (cache = new Map()));
  const key = `${rule.id}\u0000${fact}`;
  let n = cache.get(key);
  if (n === undefined) {
    const answers = k.answerSpace.get(fact) ?? [];
    n = answers.filter((a) => evaluateCondition(rule.when, new Map([[fact, a]])) !== false).length || answers.length;
    cache.set(key, n);
  }
  return n;
}

function exclusionDamp(k: Knowledge, cause: string, status: RuleStatus): number {
  return (k.excludesByCause.get(cause) ?? []).reduce((p, r) => (status.get(r.id) === true ? p * (1 - r.strength) : p), 1);
}

/** Weighted hypotheses given what is known (weights not normalised). */
export function hypotheses(k: Knowledge, known: KnownFacts, status: RuleStatus): Hypothesis[] {
  const out: Hypothesis[] = [];
  for (const cause of k.kb.causes) {
    const supports = k.supportsByCause.get(cause.id) ?? [];
    const total = supports.reduce((s, r) => s + r.strength, 0);
    const damp = exclusionDamp(k, cause.id, status);
    if (!total || !damp) continue;
    for (const rule of supports) {
      if (status.get(rule.id) === false) continue;
      let weight = (cause.prior * rule.strength * damp) / total;
      for (const f of k.factsByRule.get(rule.id) ?? []) {
        if (!known.has(f)) continue;
        const all = k.answerSpace.get(f)?.length ?? 1;
        weight *= all / consistentCount(k, rule, f);
      }
      out.push({ rule, cause: cause.id, weight });
    }
  }
  out.push({ cause: NONE, weight: NONE_PRIOR });
  return out;
}

/** Probability of each cause (and of NONE), normalised. */
export function posterior(hyps: readonly Hypothesis[]): Map<string, number> {
  const byCause = new Map<string, number>();
  let z = 0;
  for (const h of hyps) {
    byCause.set(h.cause, (byCause.get(h.cause) ?? 0) + h.weight);
    z += h.weight;
  }
  for (const [c, w] of byCause) byCause.set(c, z ? w / z : 0);
  return byCause;
}

export function entropy(dist: Iterable<number>): number {
  let h = 0;
  for (const p of dist) if (p > 0) h -= p * Math.log2(p);
  return h;
}

/** A copy of `known` with one more fact set. */
export function withFact(known: KnownFacts, fact: string, value: FactValue): Map<string, FactValue> {
  const next = new Map(known);
  next.set(fact, value);
  return next;
}
