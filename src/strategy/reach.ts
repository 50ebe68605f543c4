/**
 * What the walk can still reach. A fact answered "not sure" stays unknown for the rest of the walk, so a
 * rule whose condition cannot hold (or cannot fail) without it is settled as far as the walk is concerned:
 * no question can conclude it any more. The walk treats such a rule as out of play — its facts stop being
 * worth asking for its sake, and its cause cannot be reached through it — while diagnose, which reports
 * what is known, keeps it open.
 */
import type { Condition, FactValue, RuleDef } from '../kb/types.js';
import { isLeaf, type KnownFacts, type Truth } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';
import { OPERATORS } from '../inference/operators.js';
import type { RuleStatus } from '../inference/ranking.js';
import { knownValues, type FactState } from '../inference/facts.js';
import type { StrategyInput } from './next-question.js';

interface Reach {
  /** Some answers to the still-open facts make the condition true. */
  canHold: boolean;
  /** Some answers to the still-open facts make the condition false. */
  canFail: boolean;
}

/**
 * Whether `c` can still become true, and false, when every fact in `unsure` stays unknown and every other
 * unknown fact may take any value of its answer space. Facts shared between branches are treated as
 * independent, which can only say "reachable" too often, never too rarely.
 */
export function reach(c: Condition, known: KnownFacts, unsure: ReadonlySet<string>, domain: (fact: string) => readonly FactValue[]): Reach {
  if (isLeaf(c)) {
    if (unsure.has(c.fact)) return { canHold: false, canFail: false };
    const v = known.get(c.fact);
    const op = OPERATORS[c.op];
    if (v !== undefined) {
      const holds = op(v, c.value);
      return { canHold: holds, canFail: !holds };
    }
    let canHold = false;
    let canFail = false;
    for (const a of domain(c.fact)) {
      if (op(a, c.value)) canHold = true;
      else canFail = true;
      if (canHold && canFail) break;
    }
    return { canHold, canFail };
  }
  if ('not' in c) {
    const inner = reach(c.not, known, unsure, domain);
    return { canHold: inner.canFail, canFail: inner.canHold };
  }
  const kids = ('all' in c ? c.all : c.any).map((kid) => reach(kid, known, unsure, domain));
  return 'all' in c
    ? { canHold: kids.every((r) => r.canHold), canFail: kids.some((r) => r.canFail) }
    : { canHold: kids.some((r) => r.canHold), canFail: kids.every((r) => r.canFail) };
}

/**
 * The rule statuses as the walk sees them: an open rule that can no longer be concluded, because facts
 * it needs were answered "not sure", counts as not holding. Only rules on a "not sure" fact are looked at.
 * Returns `status` itself when nothing changes.
 */
export function reachableStatus(k: Knowledge, status: RuleStatus, known: KnownFacts, unsure: ReadonlySet<string>): RuleStatus {
  if (!unsure.size) return status;
  const domain = (f: string) => k.answerSpace.get(f) ?? [];
  let out: Map<string, Truth> | undefined;
  const seen = new Set<string>();
  for (const f of unsure) {
    for (const r of k.rulesByFact.get(f) ?? ([] as RuleDef[])) {
      if (seen.has(r.id) || status.get(r.id) !== undefined) continue;
      seen.add(r.id);
      if (reach(r.when, known, unsure, domain).canHold) continue;
      out ??= new Map(status);
      out.set(r.id, false);
    }
  }
  return out ?? status;
}

/** The question strategy's view of a session: known values, every answered fact, statuses as the walk sees them. */
export function strategyInput(k: Knowledge, state: FactState, status: RuleStatus): StrategyInput {
  const known = knownValues(state);
  const unsure = new Set<string>();
  for (const [f, r] of state) if (r.value === null) unsure.add(f);
  return { k, known, answered: new Set(state.keys()), status: reachableStatus(k, status, known, unsure) };
}
