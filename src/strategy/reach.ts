/**
 * What the walk can still reach. A fact answered "not sure" stays unknown for the rest of the walk, so a
 * rule whose condition cannot hold (or cannot fail) without it is settled as far as the walk is concerned:
 * no question can conclude it any more. The walk treats such a rule as out of play — its facts stop being
 * worth asking for its sake, and its cause cannot be reached through it — while diagnose, which reports
 * what is known, keeps it open.
 */
import type { Condition, FactValue, RuleDef } from '../kb/types.js';
import { applies } from '../inference/applies.js';
import { isLeaf, type KnownFacts, type Truth } from '../inference/conditions.js';
import { ruleNumberOf, type Knowledge } from '../inference/knowledge.js';
import { OPERATORS } from '../inference/operators.js';
import { scoreCause, statusOf, type CauseScore, type RuleStatus } from '../inference/ranking.js';
import { knownValues, type FactState } from '../inference/facts.js';
import { incrementalStatus } from '../inference/incremental.js';
import type { StrategyInput } from './next-question.js';
import { codeOf } from './if-answered.js';

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
 * Statuses read through to `base`, with the rules flagged in `settledNumbers` (by rule number) counted as
 * not holding (no copy of the map).
 */
class SettledStatus implements RuleStatus {
  constructor(
    private readonly k: Knowledge,
    private readonly base: RuleStatus,
    private readonly settledNumbers: Uint8Array,
  ) {}
  get(id: string): Truth {
    const no = ruleNumberOf(this.k, id);
    return no !== undefined && this.settledNumbers[no] ? false : this.base.get(id);
  }
  byNumber(no: number): Truth {
    return this.settledNumbers[no] ? false : statusOf(this.base, this.k.kb.rules[no], no);
  }
}

/** Is `rule` (number `no`) open in `status` but out of reach, some fact it needs being "not sure"? */
function outOfReach(k: Knowledge, rule: RuleDef, no: number, status: RuleStatus, known: KnownFacts, unsure: ReadonlySet<string>): boolean {
  if (statusOf(status, rule, no) !== undefined) return false;
  if (!k.factsByNumber[no].some((f) => unsure.has(f))) return false;
  return !reach(rule.when, known, unsure, (f) => k.answerSpace.get(f) ?? []).canHold;
}

/**
 * The rule statuses as the walk sees them: an open rule that can no longer be concluded, because facts
 * it needs were answered "not sure", counts as not holding. Only rules on a "not sure" fact are looked at.
 * Returns `status` itself when nothing changes.
 */
export function reachableStatus(k: Knowledge, status: RuleStatus, known: KnownFacts, unsure: ReadonlySet<string>): RuleStatus {
  if (!unsure.size) return status;
  const settledNumbers = new Uint8Array(k.kb.rules.length);
  let settled = 0;
  for (const f of unsure) {
    for (const no of k.ruleNumbersByFact.get(f) ?? []) {
      if (!settledNumbers[no] && outOfReach(k, k.kb.rules[no], no, status, known, unsure)) {
        settledNumbers[no] = 1;
        settled++;
      }
    }
  }
  return settled ? new SettledStatus(k, status, settledNumbers) : status;
}

/** The question strategy's view of a session: known values, every answered fact, statuses as the walk sees them. */
export function strategyInput(k: Knowledge, state: FactState, status: RuleStatus): StrategyInput {
  const { known, unsure, answered } = split(k, state);
  return { k, known, answered, status: reachableStatus(k, status, known, unsure) };
}

/**
 * Known values; facts that stay unknown for the walk ("not sure", and facts that do not apply); and
 * every fact the walk must not ask (answered in any way, or not applying).
 */
function split(k: Knowledge, state: FactState): { known: Map<string, FactValue>; unsure: Set<string>; answered: Set<string> } {
  const unsure = new Set<string>();
  for (const [f, r] of state) if (r.value === null) unsure.add(f);
  const known = knownValues(state);
  const answered = new Set(state.keys());
  for (const f of k.conditionalFacts) {
    if (!state.has(f.id) && !applies(f, known)) {
      unsure.add(f.id);
      answered.add(f.id);
    }
  }
  return { known, unsure, answered };
}

interface WalkViewCache {
  known: Map<string, FactValue>;
  unsure: Set<string>;
  /** The rules out of reach, flagged by rule number, and how many there are. */
  settledNumbers: Uint8Array;
  settled: number;
  /** By rule number, the status code (strategy/if-answered.ts) each rule had when its cause was last scored. */
  scoredCodes: Int8Array;
  scores: CauseScore[];
}

const viewCache = new WeakMap<Knowledge, WalkViewCache>();

/**
 * The strategy input and cause scores for one walk step, kept up to date step by step, over the live
 * incremental rule statuses (inference/incremental.ts); only the rules on facts whose answer changed
 * since the last call are looked at again, and only their causes rescored, so a step does not cost a
 * pass over the whole rule base. Works for any sequence of states (answers added, undone, replaced).
 * The scores array is reused from step to step: read it before the next call.
 */
export function walkView(k: Knowledge, state: FactState): { input: StrategyInput; scores: readonly CauseScore[] } {
  const { known, unsure, answered } = split(k, state);
  const status = incrementalStatus(k, known);
  let cache = viewCache.get(k);
  const changed = new Set<string>();
  if (!cache) {
    const scoredCodes = new Int8Array(k.kb.rules.length);
    k.kb.rules.forEach((r, no) => (scoredCodes[no] = codeOf(statusOf(status, r, no))));
    cache = { known: new Map(), unsure: new Set(), settledNumbers: new Uint8Array(k.kb.rules.length), settled: 0, scoredCodes, scores: k.kb.causes.map((c) => scoreCause(k, c.id, status)) };
    viewCache.set(k, cache);
  }
  for (const [f, v] of known) if (cache.known.get(f) !== v) changed.add(f);
  for (const f of cache.known.keys()) if (!known.has(f)) changed.add(f);
  for (const f of unsure) if (!cache.unsure.has(f)) changed.add(f);
  for (const f of cache.unsure) if (!unsure.has(f)) changed.add(f);
  const view = new SettledStatus(k, status, cache.settledNumbers);
  const touched: number[] = [];
  for (const f of changed) {
    for (const no of k.ruleNumbersByFact.get(f) ?? []) {
      const out = outOfReach(k, k.kb.rules[no], no, status, known, unsure) ? 1 : 0;
      cache.settled += out - cache.settledNumbers[no];
      cache.settledNumbers[no] = out;
      touched.push(no);
    }
  }
  // Rescore only the causes one of whose rules now reads differently (a score depends on nothing else).
  const dirty = new Set<number>();
  for (const no of touched) {
    const code = codeOf(view.byNumber(no));
    if (code === cache.scoredCodes[no]) continue;
    cache.scoredCodes[no] = code;
    dirty.add(k.causeNoByRule[no]);
  }
  for (const cno of dirty) if (cno >= 0) cache.scores[cno] = scoreCause(k, k.kb.causes[cno].id, view);
  cache.known = known;
  cache.unsure = unsure;
  return { input: { k, known, answered, status: cache.settled ? view : status }, scores: cache.scores };
}
