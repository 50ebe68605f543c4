/**
 * Per rule, what each answer to each of its facts would make of it: its status, and its number of
 * satisfying combinations (model.ts). These are what valuing a question reads for every rule the question's
 * fact touches, thousands of times a step at tens of thousands of rules, so they live in flat typed
 * arrays laid out rule by rule (one contiguous range per rule, one run of entries per fact of the rule,
 * one entry per answer), not in an object per rule: a step then reads a few contiguous bytes per rule
 * instead of following pointers through the heap, which missed the CPU caches.
 *
 * Entries are filled on first use and stay valid while the known values of the rule's own facts stay the
 * same. When the known facts change, the ranges of the rules on a changed fact are emptied; that check
 * runs once per known-facts object (callers build a fresh one per step and must not change it after
 * passing it in).
 */
import type { FactValue } from '../kb/types.js';
import type { KnownFacts, Truth } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';

/** Status codes in `codes`: 0 is "not worked out yet". */
export const OPEN = 1;
export const HOLDS = 2;
export const FAILS = 3;
/** Truth of a status code (index 0 is never read). */
export const TRUTH_OF: readonly Truth[] = [undefined, undefined, true, false];

export const codeOf = (t: Truth): number => (t === undefined ? OPEN : t ? HOLDS : FAILS);

export interface IfAnswered {
  /** Start of each rule's range, by rule number; ruleStart[R] is the total length. */
  ruleStart: Int32Array;
  /** Per fact id, aligned with k.ruleNumbersByFact: where the fact's run of entries starts in each rule's range. */
  offsetsByFact: Map<string, Int32Array>;
  /** Status code of the rule if the fact were given each answer (aligned with k.answerSpace). */
  codes: Int8Array;
  /** Satisfying combinations of the rule's condition if the fact were given each answer; NaN until counted. */
  counts: Float64Array;
  /** Satisfying combinations with nothing more assumed, by rule number; NaN until counted. */
  unsplit: Float64Array;
  /** Known values the entries are valid for, and the object they were last checked against. */
  known: Map<string, FactValue>;
  checkedFor?: KnownFacts;
}

const tables = new WeakMap<Knowledge, IfAnswered>();

function layout(k: Knowledge): IfAnswered {
  const R = k.kb.rules.length;
  const ruleStart = new Int32Array(R + 1);
  const runs = new Map<string, number[]>();
  for (const f of k.kb.facts) runs.set(f.id, []);
  let at = 0;
  for (let no = 0; no < R; no++) {
    ruleStart[no] = at;
    for (const f of k.factsByNumber[no]) {
      const run = runs.get(f);
      // Facts the KB does not declare have no answer space and no run.
      if (!run) continue;
      run.push(at);
      at += (k.answerSpace.get(f) ?? []).length;
    }
  }
  ruleStart[R] = at;
  const offsetsByFact = new Map<string, Int32Array>();
  for (const [f, run] of runs) offsetsByFact.set(f, Int32Array.from(run));
  return {
    ruleStart,
    offsetsByFact,
    codes: new Int8Array(at),
    counts: new Float64Array(at).fill(NaN),
    unsplit: new Float64Array(R).fill(NaN),
    known: new Map(),
  };
}

/** The table for `k`, with the entries of rules whose facts' known values changed emptied. */
export function ifAnsweredTable(k: Knowledge, known: KnownFacts): IfAnswered {
  let t = tables.get(k);
  if (!t) tables.set(k, (t = layout(k)));
  if (t.checkedFor === known) return t;
  t.checkedFor = known;
  const changed: string[] = [];
  for (const [f, v] of t.known) if (known.get(f) !== v) changed.push(f);
  for (const [f, v] of known) if (v !== undefined && !t.known.has(f)) changed.push(f);
  if (!changed.length) return t;
  const { codes, counts, ruleStart, unsplit } = t;
  for (const f of changed) {
    for (const no of k.ruleNumbersByFact.get(f) ?? []) {
      // A rule's range is a dozen entries: a loop, not a fill() call per array.
      for (let at = ruleStart[no]; at < ruleStart[no + 1]; at++) {
        codes[at] = 0;
        counts[at] = NaN;
      }
      unsplit[no] = NaN;
    }
  }
  t.known = new Map();
  for (const [f, v] of known) if (v !== undefined) t.known.set(f, v);
  return t;
}
