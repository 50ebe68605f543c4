/**
 * Per rule, what each answer to each of its facts would make of it: its status, and its number of
 * satisfying combinations (model.ts). These are what valuing a question reads for every rule the question's
 * fact touches, thousands of times a step at tens of thousands of rules, so they live in flat typed
 * arrays laid out fact by fact: one block per fact, in it one run per rule on the fact, one entry per
 * answer. Valuing a question then reads one contiguous block, instead of an object per rule reached
 * through the heap (or runs scattered rule by rule over the whole table), which missed the CPU caches.
 *
 * Entries are filled on first use and stay valid while the known values of the rule's own facts stay the
 * same. When the known facts change, the runs of the rules on a changed fact are emptied; that check
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
  /**
   * Per fact id, aligned with k.ruleNumbersByFact: where each rule's run of entries (one per answer, in
   * k.answerSpace order) starts. A fact's runs are side by side, so valuing its question reads one block.
   */
  offsetsByFact: Map<string, Int32Array>;
  /** By rule number, its runs (one per fact it tests): runOffset/runLength[runStart[no] .. runStart[no + 1]). */
  runStart: Int32Array;
  runOffset: Int32Array;
  runLength: Int32Array;
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
  const offsetsByFact = new Map<string, Int32Array>();
  // Each rule's runs, gathered fact by fact, then put in rule order.
  const runsOfRule: number[][] = Array.from({ length: R }, () => []);
  let at = 0;
  for (const f of k.kb.facts) {
    const numbers = k.ruleNumbersByFact.get(f.id) ?? [];
    const A = (k.answerSpace.get(f.id) ?? []).length;
    const offsets = new Int32Array(numbers.length);
    numbers.forEach((no, i) => {
      offsets[i] = at;
      runsOfRule[no].push(at, A);
      at += A;
    });
    offsetsByFact.set(f.id, offsets);
  }
  const runStart = new Int32Array(R + 1);
  let runs = 0;
  for (let no = 0; no < R; no++) {
    runStart[no] = runs;
    runs += runsOfRule[no].length / 2;
  }
  runStart[R] = runs;
  const runOffset = new Int32Array(runs);
  const runLength = new Int32Array(runs);
  for (let no = 0; no < R; no++) {
    const list = runsOfRule[no];
    for (let j = 0; j < list.length; j += 2) {
      runOffset[runStart[no] + j / 2] = list[j];
      runLength[runStart[no] + j / 2] = list[j + 1];
    }
  }
  return {
    offsetsByFact,
    runStart,
    runOffset,
    runLength,
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
  const { codes, counts, runStart, runOffset, runLength, unsplit } = t;
  for (const f of changed) {
    for (const no of k.ruleNumbersByFact.get(f) ?? []) {
      // A rule's runs are a few entries each: loops, not fill() calls.
      for (let r = runStart[no]; r < runStart[no + 1]; r++) {
        for (let at = runOffset[r], end = at + runLength[r]; at < end; at++) {
          codes[at] = 0;
          counts[at] = NaN;
        }
      }
      unsplit[no] = NaN;
    }
  }
  t.known = new Map();
  for (const [f, v] of known) if (v !== undefined) t.known.set(f, v);
  return t;
}
