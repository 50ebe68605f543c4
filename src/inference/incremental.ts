/**
 * Rule statuses kept up to date answer by answer: when the known facts change, only the rules that
 * mention a changed fact are re-evaluated (fact → rules index), so a walk step costs what the answer
 * touches, not the size of the rule base. Works in both directions (an answer added, or undone).
 * The three-valued evaluator is the same logic json-rules-engine runs for diagnose (see rule-engine.ts;
 * the two are checked against each other in the tests).
 */
import type { FactValue } from '../kb/types.js';
import { evaluateCondition, type Truth } from './conditions.js';
import { ruleNumberOf, type Knowledge } from './knowledge.js';
import type { RuleStatus } from './ranking.js';

/** Rule statuses readable by id and by rule number, and as (id, status) entries in rule order. */
export type NumberedStatus = Required<RuleStatus> & Iterable<[string, Truth]>;

/**
 * Statuses kept by rule number only (0 open, 1 holds, 2 does not hold): an update writes one byte per rule,
 * where a map by id cost a hash-table write per rule that missed the CPU caches at tens of thousands of
 * rules. Read by id through the rule-number index.
 */
class StatusTable implements NumberedStatus {
  private readonly codes: Int8Array;

  constructor(private readonly k: Knowledge) {
    this.codes = new Int8Array(k.kb.rules.length);
  }

  /** Set the status of rule number `no`. */
  put(no: number, t: Truth): void {
    this.codes[no] = t === undefined ? 0 : t ? 1 : 2;
  }

  byNumber(no: number): Truth {
    const c = this.codes[no];
    return c === 0 ? undefined : c === 1;
  }

  get(id: string): Truth {
    const no = ruleNumberOf(this.k, id);
    return no === undefined ? undefined : this.byNumber(no);
  }

  *[Symbol.iterator](): Iterator<[string, Truth]> {
    const rules = this.k.kb.rules;
    for (let no = 0; no < rules.length; no++) yield [rules[no].id, this.byNumber(no)];
  }
}

export class IncrementalStatus {
  private known = new Map<string, FactValue>();
  private readonly status: StatusTable;

  constructor(private readonly k: Knowledge) {
    this.status = new StatusTable(k);
  }

  /** Bring the statuses in line with `next` and return them (live: copy them to keep a snapshot). */
  update(next: ReadonlyMap<string, FactValue>): NumberedStatus {
    const changed: string[] = [];
    for (const [f, v] of next) if (this.known.get(f) !== v) changed.push(f);
    for (const f of this.known.keys()) if (!next.has(f)) changed.push(f);
    if (!changed.length) return this.status;
    this.known = new Map(next);
    const dirty = new Set<number>();
    for (const f of changed) for (const no of this.k.ruleNumbersByFact.get(f) ?? []) dirty.add(no);
    for (const no of dirty) this.status.put(no, evaluateCondition(this.k.kb.rules[no].when, this.known));
    return this.status;
  }
}

const shared = new WeakMap<Knowledge, IncrementalStatus>();

/** One incremental evaluator per knowledge base, reused across the steps of a walk. */
export function incrementalStatus(k: Knowledge, known: ReadonlyMap<string, FactValue>): NumberedStatus {
  let inc = shared.get(k);
  if (!inc) shared.set(k, (inc = new IncrementalStatus(k)));
  return inc.update(known);
}
