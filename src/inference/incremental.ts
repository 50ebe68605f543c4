/**
 * Rule statuses kept up to date answer by answer: when the known facts change, only the rules that
 * mention a changed fact are re-evaluated (fact → rules index), so a walk step costs what the answer
 * touches, not the size of the rule base. Works in both directions (an answer added, or undone).
 * The three-valued evaluator is the same logic json-rules-engine runs for diagnose (see rule-engine.ts;
 * the two are checked against each other in the tests).
 */
import type { FactValue } from '../kb/types.js';
import { evaluateCondition, type Truth } from './conditions.js';
import type { Knowledge } from './knowledge.js';

export class IncrementalStatus {
  private known = new Map<string, FactValue>();
  private readonly status = new Map<string, Truth>();

  constructor(private readonly k: Knowledge) {
    for (const r of k.kb.rules) this.status.set(r.id, undefined);
  }

  /** Bring the statuses in line with `next` and return them (a live map: copy it to keep a snapshot). */
  update(next: ReadonlyMap<string, FactValue>): ReadonlyMap<string, Truth> {
    const changed: string[] = [];
    for (const [f, v] of next) if (this.known.get(f) !== v) changed.push(f);
    for (const f of this.known.keys()) if (!next.has(f)) changed.push(f);
    if (!changed.length) return this.status;
    this.known = new Map(next);
    const dirty = new Set<string>();
    for (const f of changed) for (const r of this.k.rulesByFact.get(f) ?? []) dirty.add(r.id);
    for (const id of dirty) this.status.set(id, evaluateCondition(this.k.rules.get(id)!.when, this.known));
    return this.status;
  }
}

const shared = new WeakMap<Knowledge, IncrementalStatus>();

/** One incremental evaluator per knowledge base, reused across the steps of a walk. */
export function incrementalStatus(k: Knowledge, known: ReadonlyMap<string, FactValue>): ReadonlyMap<string, Truth> {
  let inc = shared.get(k);
  if (!inc) shared.set(k, (inc = new IncrementalStatus(k)));
  return inc.update(known);
}
