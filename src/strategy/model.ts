/**
 * A small probabilistic reading of the rule base, used to weigh causes that are not yet concluded and to
 * value questions. Each supporting rule is a hypothesis ("this pattern is what is happening"), plus one
 * hypothesis for "none of the known causes".
 *
 * Under a rule's hypothesis, the facts the rule mentions take, with equal probability, any combination of
 * answers that makes the rule hold (counted over the facts' answer spaces). Facts it does not mention,
 * and every fact under "none", follow the background: one fault at a time, so an answer that is evidence
 * for some cause (an "abnormal" answer: it meets a supporting rule's condition) is ABNORMAL_ODDS times
 * less likely than a normal one. So
 *   P(answers | rule) = #satisfying combinations consistent with them / #satisfying combinations
 *                       × Π background(answer) over the facts the rule does not mention,
 * and a rule whose conditions keep matching what the user reports gains weight, while abnormal answers it
 * does not explain count against it. Counting (rather than "allowed or not") also values a fact inside an
 * `any`: under any(tunnel, icmp_filtered), "tunnel = yes" is twice as likely as "no".
 */
import type { CauseDef, Condition, FactValue, RuleDef } from '../kb/types.js';
import { evaluateCondition, isLeaf, leaves, type KnownFacts, type Truth } from '../inference/conditions.js';
import { OPERATORS } from '../inference/operators.js';
import { ruleNumberOf, type Knowledge } from '../inference/knowledge.js';
import { statusOf, type RuleStatus } from '../inference/ranking.js';

export const NONE = '(none)';
/** Prior weight of "no known cause", relative to a cause of prior 1. */
export const NONE_PRIOR = 0.5;

export interface Hypothesis {
  rule?: RuleDef;
  /** The rule's number: its index in kb.rules. */
  ruleNo?: number;
  cause: string;
  weight: number;
}

/** Overlapping sub-conditions are counted by enumeration up to this many combinations; beyond, evenly. */
const MAX_ENUMERATION = 4096;

type Domain = (fact: string) => readonly FactValue[];

interface Count {
  /** Combinations of answers to the condition's facts that make it hold. */
  count: number;
  /** All combinations of answers to its facts. */
  total: number;
  facts: Set<string>;
}

/**
 * Model counting for a condition tree over finite answer domains. Sub-conditions over disjoint facts
 * combine by product (all), complement of products (any) and complement (not), so typical rules count
 * in time linear in their size; overlapping ones are enumerated (bounded).
 */
function countSat(c: Condition, domain: Domain): Count {
  if (isLeaf(c)) {
    const dom = domain(c.fact);
    return { count: dom.filter((a) => OPERATORS[c.op](a, c.value)).length, total: dom.length, facts: new Set([c.fact]) };
  }
  if ('not' in c) {
    const inner = countSat(c.not, domain);
    return { count: inner.total - inner.count, total: inner.total, facts: inner.facts };
  }
  const kids = ('all' in c ? c.all : c.any).map((k) => countSat(k, domain));
  const facts = new Set<string>();
  let disjoint = true;
  for (const kid of kids) for (const f of kid.facts) (facts.has(f) ? (disjoint = false) : facts.add(f));
  if (disjoint) {
    const total = kids.reduce((p, kid) => p * kid.total, 1);
    const count = 'all' in c ? kids.reduce((p, kid) => p * kid.count, 1) : total - kids.reduce((p, kid) => p * (kid.total - kid.count), 1);
    return { count, total, facts };
  }
  return enumerate(c, [...facts], domain);
}

function enumerate(c: Condition, facts: string[], domain: Domain): Count {
  const total = facts.reduce((p, f) => p * domain(f).length, 1);
  if (total > MAX_ENUMERATION) return { count: total / 2, total, facts: new Set(facts) };
  const assignment = new Map<string, FactValue>();
  let count = 0;
  const walk = (i: number): void => {
    if (i === facts.length) {
      if (evaluateCondition(c, assignment) === true) count++;
      return;
    }
    for (const a of domain(facts[i])) {
      assignment.set(facts[i], a);
      walk(i + 1);
    }
  };
  walk(0);
  return { count, total, facts: new Set(facts) };
}

/** One rule's counts and would-be statuses, for the known values of its own facts it was last used with. */
interface RuleCountCache {
  /** The rule's facts (factsByRule); slot i of the arrays below is about facts[i]. */
  facts: readonly string[];
  /** Known values of `facts` the slots were filled for. */
  values: (FactValue | undefined)[];
  /** satisfyingCounts split by the answer to facts[i]; the last slot holds the unsplit count. */
  counts: (number[] | undefined)[];
  /** The rule's status if facts[i] were answered each way (aligned with its answer space). */
  ifAnswered: (Truth[] | undefined)[];
  disjoint: boolean;
  /**
   * The known-facts object the slots were last checked against. A step passes one object to every call
   * (walkView and strategyInput build a fresh one per step), so each rule is checked once per step, not
   * at every lookup; callers must not change a known-facts map once they have passed it in.
   */
  checkedFor?: KnownFacts;
}

/** Per knowledge base, by rule number: entries are kept and emptied when the rule's facts change. */
const satCache = new WeakMap<Knowledge, (RuleCountCache | undefined)[]>();

/**
 * For one rule: how many combinations of answers to its still-unknown facts make it hold — split by the
 * answer given to `by` (aligned with its answer space), or as one number when `by` is not given. Cached
 * per rule for the current values of its own facts, so a walk step recounts only the rules the last
 * answer touched.
 */
function cacheEntry(k: Knowledge, rule: RuleDef, known: KnownFacts, no: number): RuleCountCache {
  let cache = satCache.get(k);
  if (!cache) satCache.set(k, (cache = new Array<RuleCountCache | undefined>(k.kb.rules.length).fill(undefined)));
  const entry = cache[no];
  if (!entry) {
    const facts = k.factsByNumber[no];
    const fresh: RuleCountCache = {
      facts,
      values: facts.map((f) => known.get(f)),
      counts: new Array<number[] | undefined>(facts.length + 1).fill(undefined),
      ifAnswered: new Array<Truth[] | undefined>(facts.length).fill(undefined),
      disjoint: isDisjoint(rule),
      checkedFor: known,
    };
    return (cache[no] = fresh);
  }
  if (entry.checkedFor === known) return entry;
  entry.checkedFor = known;
  // Still valid when the rule's own facts have the same known values (checked without allocating).
  let stale = false;
  for (let i = 0; i < entry.facts.length; i++) {
    const v = known.get(entry.facts[i]);
    if (v !== entry.values[i]) {
      entry.values[i] = v;
      stale = true;
    }
  }
  if (stale) {
    entry.counts.fill(undefined);
    entry.ifAnswered.fill(undefined);
  }
  return entry;
}

const numberOf = (k: Knowledge, rule: RuleDef): number => ruleNumberOf(k, rule.id)!;

/**
 * The rule's three-valued status if `fact` (one of its facts) were answered with each value of its answer
 * space (cached). `no` is the rule's number, for callers that have it at hand.
 */
export function statusIfAnswered(k: Knowledge, rule: RuleDef, known: KnownFacts, fact: string, no = numberOf(k, rule)): Truth[] {
  const entry = cacheEntry(k, rule, known, no);
  // A fact the rule does not mention has no slot: computed, not cached.
  const slot = entry.facts.indexOf(fact);
  let out = slot < 0 ? undefined : entry.ifAnswered[slot];
  if (!out) {
    out = (k.answerSpace.get(fact) ?? []).map((value) => evaluateCondition(rule.when, { get: (f: string) => (f === fact ? value : known.get(f)) } as KnownFacts));
    if (slot >= 0) entry.ifAnswered[slot] = out;
  }
  return out;
}

export function satisfyingCounts(k: Knowledge, rule: RuleDef, known: KnownFacts, by?: string, no = numberOf(k, rule)): number[] {
  const entry = cacheEntry(k, rule, known, no);
  const slot = by === undefined ? entry.facts.length : entry.facts.indexOf(by);
  const hit = slot < 0 ? undefined : entry.counts[slot];
  if (hit) return hit;
  let counts: number[];
  if (entry.disjoint) {
    counts =
      by === undefined
        ? [countDisjoint(k, rule.when, known, undefined, undefined)]
        : (k.answerSpace.get(by) ?? []).map((a) => countDisjoint(k, rule.when, known, by, a));
  } else {
    const base: Domain = (f) => {
      const v = known.get(f);
      return v === undefined ? (k.answerSpace.get(f) ?? []) : [v];
    };
    counts =
      by === undefined
        ? [countSat(rule.when, base).count]
        : (k.answerSpace.get(by) ?? []).map((a) => countSat(rule.when, (f) => (f === by ? [a] : base(f))).count);
  }
  if (slot >= 0) entry.counts[slot] = counts;
  return counts;
}

const disjointCache = new WeakMap<RuleDef, boolean>();

/** Whether no fact appears twice in the rule's condition: then counting needs no enumeration (most rules). */
function isDisjoint(rule: RuleDef): boolean {
  let d = disjointCache.get(rule);
  if (d === undefined) {
    const facts = leaves(rule.when).map((l) => l.leaf.fact);
    disjointCache.set(rule, (d = new Set(facts).size === facts.length));
  }
  return d;
}

/** Set by countDisjoint: the number of combinations of the condition's facts (its "total"). */
let lastTotal = 0;

/**
 * countSat for a condition whose facts are all distinct, without allocating: a known fact has one
 * possible answer, `by` has the one answer `value`, any other fact its whole answer space. Returns the
 * satisfying count and leaves the total in lastTotal.
 */
function countDisjoint(k: Knowledge, c: Condition, known: KnownFacts, by: string | undefined, value: FactValue | undefined): number {
  if (isLeaf(c)) {
    const op = OPERATORS[c.op];
    const v = c.fact === by ? value : known.get(c.fact);
    if (v !== undefined) {
      lastTotal = 1;
      return op(v, c.value) ? 1 : 0;
    }
    const dom = k.answerSpace.get(c.fact) ?? [];
    let n = 0;
    for (const a of dom) if (op(a, c.value)) n++;
    lastTotal = dom.length;
    return n;
  }
  if ('not' in c) {
    const n = countDisjoint(k, c.not, known, by, value);
    return lastTotal - n;
  }
  const all = 'all' in c;
  const kids = all ? c.all : c.any;
  let total = 1;
  let product = 1;
  for (const kid of kids) {
    const n = countDisjoint(k, kid, known, by, value);
    total *= lastTotal;
    product *= all ? n : lastTotal - n;
  }
  lastTotal = total;
  return all ? product : total - product;
}

const NOTHING_KNOWN: KnownFacts = new Map();
/** By rule number; NaN until counted. */
const everythingCache = new WeakMap<Knowledge, Float64Array>();

/** Satisfying combinations of a rule with nothing known (fixed per KB). */
function everything(k: Knowledge, rule: RuleDef, no: number): number {
  let cache = everythingCache.get(k);
  if (!cache) everythingCache.set(k, (cache = new Float64Array(k.kb.rules.length).fill(NaN)));
  let n = cache[no];
  if (Number.isNaN(n)) cache[no] = n = isDisjoint(rule) ? countDisjoint(k, rule.when, NOTHING_KNOWN, undefined, undefined) : countSat(rule.when, (f) => k.answerSpace.get(f) ?? []).count;
  return n;
}

function exclusionDamp(k: Knowledge, cause: string, status: RuleStatus): number {
  const excludes = k.excludesByCause.get(cause) ?? [];
  const numbers = k.excludeNumbersByCause.get(cause) ?? [];
  let p = 1;
  for (let i = 0; i < excludes.length; i++) if (statusOf(status, excludes[i], numbers[i]) === true) p *= 1 - excludes[i].strength;
  return p;
}

/** How much less likely an abnormal answer is than a normal one where no hypothesis explains it. */
export const ABNORMAL_ODDS = 0.1;

/** Background probability of an answer to a fact no hypothesis at hand mentions. */
const backgroundCache = new WeakMap<Knowledge, Map<string, Map<FactValue, number>>>();

export function background(k: Knowledge, fact: string, value: FactValue): number {
  let cache = backgroundCache.get(k);
  if (!cache) backgroundCache.set(k, (cache = new Map()));
  let byValue = cache.get(fact);
  if (!byValue) cache.set(fact, (byValue = new Map()));
  let p = byValue.get(value);
  if (p === undefined) byValue.set(value, (p = computeBackground(k, fact, value)));
  return p;
}

function computeBackground(k: Knowledge, fact: string, value: FactValue): number {
  const answers = k.answerSpace.get(fact) ?? [];
  const abnormal = k.abnormal.get(fact);
  if (!abnormal || abnormal.size === 0 || abnormal.size === answers.length) return 1 / (answers.length || 1);
  const weight = (a: FactValue) => (abnormal.has(a) ? ABNORMAL_ODDS : 1);
  const z = answers.reduce<number>((s, a) => s + weight(a), 0);
  // A number that is not one of the representatives: weigh it like the representative it matches.
  const rep = answers.includes(value) ? value : answers.find((a) => abnormal.has(a) === isAbnormalValue(k, fact, value));
  return rep === undefined ? 1 / answers.length : weight(rep) / z;
}

function isAbnormalValue(k: Knowledge, fact: string, value: FactValue): boolean {
  for (const r of k.rulesByFact.get(fact) ?? []) {
    if (r.effect !== 'supports') continue;
    if (evaluateCondition(r.when, new Map([[fact, value]])) !== false && satisfies(r, fact, value)) return true;
  }
  return false;
}

function satisfies(r: RuleDef, fact: string, value: FactValue): boolean {
  // The answer meets at least one condition of the rule on this fact in the direction that supports it.
  return leaves(r.when).some(({ leaf, positive }) => leaf.fact === fact && OPERATORS[leaf.op](value, leaf.value) === positive);
}

const presentationCache = new WeakMap<Knowledge, Map<string, Map<FactValue, number>>>();

/**
 * P(answer | cause) for a fact that the hypothesis' own rule does not test. A cause that names the fact
 * in `presents_with` usually comes with one of the listed answers: an unlisted one is ABNORMAL_ODDS times
 * as likely as a listed one (a cause can still show in an unusual way, or the user pick a neighbouring
 * symptom family). Any other fact, and any other cause, follows the background.
 */
export function untestedLikelihood(k: Knowledge, cause: string, fact: string, value: FactValue): number {
  const listed = k.causes.get(cause)?.presents_with?.[fact];
  if (!listed) return background(k, fact, value);
  let cache = presentationCache.get(k);
  if (!cache) presentationCache.set(k, (cache = new Map()));
  const key = `${cause}\u0000${fact}`;
  let byValue = cache.get(key);
  if (!byValue) {
    const answers = k.answerSpace.get(fact) ?? [];
    const weight = (a: FactValue) => (listed.includes(a) ? 1 : ABNORMAL_ODDS);
    const z = answers.reduce<number>((sum, a) => sum + weight(a), 0);
    byValue = new Map(answers.map((a) => [a, z ? weight(a) / z : 0]));
    cache.set(key, byValue);
  }
  return byValue.get(value) ?? background(k, fact, value);
}

/** One cause's hypotheses: a pure function of the known values of the facts its rules mention. */
function causeHypotheses(k: Knowledge, cause: CauseDef, known: KnownFacts, status: RuleStatus): Hypothesis[] {
  const out: Hypothesis[] = [];
  const supports = k.supportsByCause.get(cause.id) ?? [];
  const numbers = k.supportNumbersByCause.get(cause.id)!;
  const strengthSum = supports.reduce((s, r) => s + r.strength, 0);
  const damp = exclusionDamp(k, cause.id, status);
  if (!strengthSum || !damp) return out;
  // Abnormal answers explained by a concluded rule of this cause count for every pattern of the cause:
  // if the cause is real, what its concluded rules describe is expected, whichever pattern is at play.
  const explained = new Set<string>();
  supports.forEach((r, i) => {
    if (statusOf(status, r, numbers[i]) === true) for (const f of k.factsByNumber[numbers[i]]) explained.add(f);
  });
  const presented = Object.keys(cause.presents_with ?? {});
  for (let i = 0; i < supports.length; i++) {
    const rule = supports[i];
    const ruleNo = numbers[i];
    if (statusOf(status, rule, ruleNo) === false) continue;
    const all = everything(k, rule, ruleNo);
    const now = satisfyingCounts(k, rule, known, undefined, ruleNo)[0];
    if (!all || !now) continue;
    // P(known | rule) relative to P(known | none): the rule's share of satisfying combinations still
    // possible, times the answer-space sizes of the facts it constrains.
    let weight = ((cause.prior * rule.strength * damp) / strengthSum) * (now / all);
    const own = k.factsByNumber[ruleNo];
    for (const f of own) {
      const v = known.get(f);
      if (v !== undefined) weight /= background(k, f, v);
    }
    for (const f of explained) {
      const v = known.get(f);
      if (v !== undefined && !own.includes(f)) weight /= background(k, f, v);
    }
    // What the user reports that the cause usually comes with (its symptom family, say) counts for each of
    // its patterns, relative to the background the weights are measured against.
    for (const f of presented) {
      const v = known.get(f);
      if (v !== undefined && !own.includes(f) && !explained.has(f)) weight *= untestedLikelihood(k, cause.id, f, v) / background(k, f, v);
    }
    out.push({ rule, ruleNo, cause: cause.id, weight });
  }
  return out;
}

/** The belief at one step: hypotheses, indexed by rule, and summed per cause (NONE included). */
export interface Belief {
  /** By rule number (index in kb.rules): the rule's hypothesis, if it has one. */
  byRule: (Hypothesis | undefined)[];
  mass: Map<string, number>;
  /**
   * By fact number (index in kb.facts), the belief a question about the fact can move: the weight of the
   * hypotheses whose rule mentions it, plus the mass of each cause one of whose excluding rules, or whose
   * presents_with, mentions it. An array rather than a map by fact id: it is updated for every fact of
   * every hypothesis of each cause an answer touches.
   */
  factMass: Float64Array;
}

interface BeliefCache extends Belief {
  /** Every hypothesis in cause order with NONE last; built on demand (undefined when out of date). */
  hyps?: Hypothesis[];
  known: Map<string, FactValue>;
  unsure: Set<string>;
  byCause: Map<string, Hypothesis[]>;
}

const beliefCache = new WeakMap<Knowledge, BeliefCache>();
const NO_FACTS: ReadonlySet<string> = new Set();

/**
 * The belief given what is known. A cause's hypotheses depend only on the known values of the facts its
 * rules mention (its rule statuses follow from them), so between calls only the causes with a rule on a
 * changed fact are recomputed, and the indexes are updated for those causes only.
 */
export function belief(k: Knowledge, known: KnownFacts, status: RuleStatus, unsure: ReadonlySet<string> = NO_FACTS): Belief {
  let cache = beliefCache.get(k);
  const dirty = new Set<string>();
  if (!cache) {
    cache = { known: new Map(), unsure: new Set(), byCause: new Map(), byRule: new Array<Hypothesis | undefined>(k.kb.rules.length).fill(undefined), mass: new Map([[NONE, NONE_PRIOR]]), factMass: new Float64Array(k.kb.facts.length) };
    beliefCache.set(k, cache);
    for (const c of k.kb.causes) dirty.add(c.id);
  }
  const changed: string[] = [];
  for (const [f, v] of cache.known) if (known.get(f) !== v) changed.push(f);
  for (const f of knownKeys(known)) if (!cache.known.has(f)) changed.push(f);
  // A "not sure" answer changes statuses too (strategy/reach.ts settles the rules it puts out of reach).
  for (const f of unsure) if (!cache.unsure.has(f)) changed.push(f);
  for (const f of cache.unsure) if (!unsure.has(f)) changed.push(f);
  for (const f of changed) {
    for (const r of k.rulesByFact.get(f) ?? []) dirty.add(r.cause);
    for (const c of k.presentingByFact.get(f) ?? []) dirty.add(c);
  }
  if (!dirty.size) return cache;
  const factMass = cache.factMass;
  for (const id of dirty) {
    const oldMass = cache.mass.get(id) ?? 0;
    const old = cache.byCause.get(id) ?? [];
    for (const h of old) for (const f of k.factNumbersByRule[h.ruleNo!]) factMass[f] += -h.weight;
    const hs = causeHypotheses(k, k.causes.get(id)!, known, status);
    for (const h of old) cache.byRule[h.ruleNo!] = undefined;
    cache.byCause.set(id, hs);
    let m = 0;
    for (const h of hs) {
      cache.byRule[h.ruleNo!] = h;
      for (const f of k.factNumbersByRule[h.ruleNo!]) factMass[f] += h.weight;
      m += h.weight;
    }
    if (hs.length) cache.mass.set(id, m);
    else cache.mass.delete(id);
    for (const no of k.excludeNumbersByCause.get(id) ?? []) for (const f of k.factNumbersByRule[no]) factMass[f] += m - oldMass;
    for (const f of Object.keys(k.causes.get(id)?.presents_with ?? {})) {
      const no = k.factNumbers.get(f);
      if (no !== undefined) factMass[no] += m - oldMass;
    }
  }
  cache.known = new Map(knownKeys(known).map((f) => [f, known.get(f)!]));
  cache.unsure = new Set(unsure);
  cache.hyps = undefined;
  return cache;
}

/** Weighted hypotheses given what is known (weights not normalised). */
export function hypotheses(k: Knowledge, known: KnownFacts, status: RuleStatus): Hypothesis[] {
  belief(k, known, status);
  const cache = beliefCache.get(k)!;
  if (!cache.hyps) {
    const hyps: Hypothesis[] = [];
    for (const c of k.kb.causes) for (const h of cache.byCause.get(c.id) ?? []) hyps.push(h);
    hyps.push({ cause: NONE, weight: NONE_PRIOR });
    cache.hyps = hyps;
  }
  return cache.hyps;
}

/** The fact ids of a known-facts map (a Map, or a view that only answers get()). */
function knownKeys(known: KnownFacts): string[] {
  return known instanceof Map ? [...known.keys()] : [];
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
