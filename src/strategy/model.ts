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
import type { CauseDef, Condition, FactValue, LeafCondition, RuleDef } from '../kb/types.js';
import { evaluateCondition, isLeaf, leaves, type KnownFacts, type Truth } from '../inference/conditions.js';
import { OPERATORS } from '../inference/operators.js';
import { indexOfRule, ruleNumberOf, type Knowledge } from '../inference/knowledge.js';
import { statusOf, type RuleStatus } from '../inference/ranking.js';
import { codeOf, ifAnsweredTable, TRUTH_OF, type IfAnswered } from './if-answered.js';

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
 * in time linear in their size; overlapping ones are counted exactly up to MAX_ENUMERATION combinations
 * (enumerate), and beyond as holding for half of them. With `shareFixed`, sub-conditions may share facts
 * that have a single possible answer: fixing a fact makes the conditions on it independent.
 */
function countSat(c: Condition, domain: Domain, shareFixed = false): Count {
  if (isLeaf(c)) {
    const dom = domain(c.fact);
    return { count: dom.filter((a) => OPERATORS[c.op](a, c.value)).length, total: dom.length, facts: new Set([c.fact]) };
  }
  if ('not' in c) {
    const inner = countSat(c.not, domain, shareFixed);
    return { count: inner.total - inner.count, total: inner.total, facts: inner.facts };
  }
  const kids = ('all' in c ? c.all : c.any).map((k) => countSat(k, domain, shareFixed));
  const facts = new Set<string>();
  let disjoint = true;
  for (const kid of kids) {
    for (const f of kid.facts) {
      if (!facts.has(f)) facts.add(f);
      else if (!shareFixed || domain(f).length > 1) disjoint = false;
    }
  }
  if (disjoint) {
    const total = kids.reduce((p, kid) => p * kid.total, 1);
    const count = 'all' in c ? kids.reduce((p, kid) => p * kid.count, 1) : total - kids.reduce((p, kid) => p * (kid.total - kid.count), 1);
    return { count, total, facts };
  }
  return enumerate(c, [...facts], domain);
}

/**
 * Count an overlapping condition: for each combination of answers to the facts it mentions more than
 * once, the rest is disjoint and counted by products (the same number as trying every combination of
 * every fact, in a fraction of the time: at 50,000 rules, trying every combination was a quarter of
 * the first step).
 */
function enumerate(c: Condition, facts: string[], domain: Domain): Count {
  const total = facts.reduce((p, f) => p * domain(f).length, 1);
  if (total > MAX_ENUMERATION) return { count: total / 2, total, facts: new Set(facts) };
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { leaf } of leaves(c)) (seen.has(leaf.fact) ? repeated : seen).add(leaf.fact);
  const shared = [...repeated].filter((f) => domain(f).length > 1);
  const fixed = new Map<string, FactValue>();
  const fixedDomain: Domain = (f) => {
    const v = fixed.get(f);
    return v === undefined ? domain(f) : [v];
  };
  let count = 0;
  const walk = (i: number): void => {
    if (i === shared.length) {
      count += countSat(c, fixedDomain, true).count;
      return;
    }
    for (const a of domain(shared[i])) {
      fixed.set(shared[i], a);
      walk(i + 1);
    }
    fixed.delete(shared[i]);
  };
  walk(0);
  return { count, total, facts: new Set(facts) };
}

/** A fact's answers under `fact`, others as known: a view evaluateCondition reads through get(). */
class Assuming {
  value: FactValue | undefined;
  constructor(
    private readonly fact: string,
    private readonly known: KnownFacts,
  ) {}
  get(f: string): FactValue | undefined {
    return f === this.fact ? this.value : this.known.get(f);
  }
}

/**
 * Work out, where missing, the status of each rule on `fact` under each answer to it (if-answered.ts,
 * `codes`). Returns the table; rule i of k.ruleNumbersByFact(fact) has its run at offsetsByFact(fact)[i].
 */
export function statusesIfAnswered(k: Knowledge, known: KnownFacts, fact: string): IfAnswered {
  const t = ifAnsweredTable(k, known);
  const offsets = t.offsetsByFact.get(fact);
  if (!offsets) return t;
  const rules = k.rulesByFact.get(fact) ?? [];
  const onlyLeaf = k.onlyLeafByFact.get(fact) ?? [];
  const answers = k.answerSpace.get(fact) ?? [];
  const codes = t.codes;
  let view: Assuming | undefined;
  for (let i = 0; i < offsets.length; i++) {
    const at = offsets[i];
    if (!answers.length || codes[at] !== 0) continue;
    view ??= new Assuming(fact, known);
    const leaf = onlyLeaf[i];
    // With one leaf on the fact, answers that make the leaf hold (or fail) all give the same status:
    // evaluated once for each, not once per answer (numbers have up to nine representatives).
    let holds = 0;
    let fails = 0;
    for (let ai = 0; ai < answers.length; ai++) {
      const x = leaf ? OPERATORS[leaf.op](answers[ai], leaf.value) : undefined;
      let code = x === true ? holds : x === false ? fails : 0;
      if (!code) {
        view.value = answers[ai];
        code = codeOf(evaluateCondition(rules[i].when, view as unknown as KnownFacts));
        if (x === true) holds = code;
        else if (x === false) fails = code;
      }
      codes[at + ai] = code;
    }
  }
  return t;
}

/**
 * Work out, where missing, the satisfying counts of rule `no` (the i-th rule on `fact`) split by the
 * answer to `fact`; they are at t.counts[offsetsByFact(fact)[i] + answer index]. `leaf` is the rule's one
 * leaf on the fact, if it has just one (k.onlyLeafByFact).
 */
export function countsIfAnswered(k: Knowledge, t: IfAnswered, known: KnownFacts, fact: string, rule: RuleDef, no: number, at: number, leaf?: LeafCondition): void {
  const answers = k.answerSpace.get(fact) ?? [];
  if (!answers.length || !Number.isNaN(t.counts[at])) return;
  if (isDisjoint(k, no)) {
    // The count depends on the answer only through whether the leaf holds: counted once for each.
    let holds = NaN;
    let fails = NaN;
    for (let ai = 0; ai < answers.length; ai++) {
      const x = leaf ? OPERATORS[leaf.op](answers[ai], leaf.value) : undefined;
      let n = x === true ? holds : x === false ? fails : NaN;
      if (Number.isNaN(n)) {
        n = countDisjoint(k, rule.when, known, fact, answers[ai]);
        if (x === true) holds = n;
        else if (x === false) fails = n;
      }
      t.counts[at + ai] = n;
    }
  } else {
    const base = knownDomain(k, known);
    for (let ai = 0; ai < answers.length; ai++) t.counts[at + ai] = countSat(rule.when, (f) => (f === fact ? [answers[ai]] : base(f))).count;
  }
}

const knownDomain =
  (k: Knowledge, known: KnownFacts): Domain =>
  (f) => {
    const v = known.get(f);
    return v === undefined ? (k.answerSpace.get(f) ?? []) : [v];
  };

/** Where rule `no`'s run for `fact` starts in the table (-1 when the rule does not mention it). */
function offsetOf(k: Knowledge, t: IfAnswered, no: number, fact: string): number {
  const i = indexOfRule(k.ruleNumbersByFact.get(fact) ?? [], no);
  return i < 0 ? -1 : t.offsetsByFact.get(fact)![i];
}

const numberOf = (k: Knowledge, rule: RuleDef): number => ruleNumberOf(k, rule.id)!;

/**
 * The rule's three-valued status if `fact` were answered with each value of its answer space (cached when
 * the rule mentions the fact). `no` is the rule's number, for callers that have it at hand.
 */
export function statusIfAnswered(k: Knowledge, rule: RuleDef, known: KnownFacts, fact: string, no = numberOf(k, rule)): Truth[] {
  const answers = k.answerSpace.get(fact) ?? [];
  const t = statusesIfAnswered(k, known, fact);
  const at = offsetOf(k, t, no, fact);
  if (at >= 0) return answers.map((_, ai) => TRUTH_OF[t.codes[at + ai]]);
  const view = new Assuming(fact, known);
  return answers.map((value) => {
    view.value = value;
    return evaluateCondition(rule.when, view as unknown as KnownFacts);
  });
}

/**
 * For one rule: how many combinations of answers to its still-unknown facts make it hold — split by the
 * answer given to `by` (aligned with its answer space), or as one number when `by` is not given. Cached
 * per rule (if-answered.ts) until the known values of its own facts change, so a walk step recounts only
 * the rules the last answer touched.
 */
export function satisfyingCounts(k: Knowledge, rule: RuleDef, known: KnownFacts, by?: string, no = numberOf(k, rule)): number[] {
  const t = ifAnsweredTable(k, known);
  if (by === undefined) {
    let n = t.unsplit[no];
    if (Number.isNaN(n)) {
      // With none of its facts known (most rules, early in a walk) the count is the rule's fixed total.
      if (k.factsByNumber[no].every((f) => known.get(f) === undefined)) n = everything(k, rule, no);
      else n = isDisjoint(k, no) ? countDisjoint(k, rule.when, known, undefined, undefined) : countSat(rule.when, knownDomain(k, known)).count;
      t.unsplit[no] = n;
    }
    return [n];
  }
  const answers = k.answerSpace.get(by) ?? [];
  const at = offsetOf(k, t, no, by);
  if (at >= 0) {
    countsIfAnswered(k, t, known, by, rule, no, at, k.onlyLeafByFact.get(by)?.[indexOfRule(k.ruleNumbersByFact.get(by) ?? [], no)]);
    return answers.map((_, ai) => t.counts[at + ai]);
  }
  if (isDisjoint(k, no)) return answers.map((a) => countDisjoint(k, rule.when, known, by, a));
  const base = knownDomain(k, known);
  return answers.map((a) => countSat(rule.when, (f) => (f === by ? [a] : base(f))).count);
}

/** Whether no fact appears twice in the rule's condition: then counting needs no enumeration (most rules). */
const isDisjoint = (k: Knowledge, no: number): boolean => k.disjointByNumber[no] === 1;

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

/** Satisfying combinations of a rule with nothing known (fixed per KB; precomputed by the compiler). */
function everything(k: Knowledge, rule: RuleDef, no: number): number {
  let cache = everythingCache.get(k);
  if (!cache) {
    const pre = k.kb.ruleCombinations;
    cache = pre?.length === k.kb.rules.length ? Float64Array.from(pre) : new Float64Array(k.kb.rules.length).fill(NaN);
    everythingCache.set(k, cache);
  }
  let n = cache[no];
  if (Number.isNaN(n)) cache[no] = n = combinations(k, rule, no);
  return n;
}

function combinations(k: Knowledge, rule: RuleDef, no: number): number {
  return isDisjoint(k, no) ? countDisjoint(k, rule.when, NOTHING_KNOWN, undefined, undefined) : countSat(rule.when, (f) => k.answerSpace.get(f) ?? []).count;
}

/** Every rule's satisfying combinations with nothing known (CompiledKb.ruleCombinations). */
export function ruleCombinations(k: Knowledge): number[] {
  return k.kb.rules.map((r, no) => combinations(k, r, no));
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

/**
 * What every hypothesis of one cause shares: a function of the statuses of the cause's own rules, so it
 * changes only when an answer touches a rule of the cause that excludes it or was (or becomes) concluded.
 */
interface CauseTerms {
  cause: CauseDef;
  strengthSum: number;
  /** Π (1 − strength) over the cause's concluded excluding rules. */
  damp: number;
  /**
   * Abnormal answers explained by a concluded rule of this cause count for every pattern of the cause:
   * if the cause is real, what its concluded rules describe is expected, whichever pattern is at play.
   */
  explained: Set<string>;
  /** The facts the cause names in presents_with. */
  presented: string[];
}

function causeTerms(k: Knowledge, cause: CauseDef, status: RuleStatus): CauseTerms {
  const supports = k.supportsByCause.get(cause.id) ?? [];
  const numbers = k.supportNumbersByCause.get(cause.id)!;
  const explained = new Set<string>();
  supports.forEach((r, i) => {
    if (statusOf(status, r, numbers[i]) === true) for (const f of k.factsByNumber[numbers[i]]) explained.add(f);
  });
  return {
    cause,
    strengthSum: supports.reduce((s, r) => s + r.strength, 0),
    damp: exclusionDamp(k, cause.id, status),
    explained,
    presented: Object.keys(cause.presents_with ?? {}),
  };
}

/** One supporting rule's hypothesis, or undefined when the rule cannot hold (or its cause is ruled out). */
function ruleHypothesis(k: Knowledge, t: CauseTerms, rule: RuleDef, ruleNo: number, known: KnownFacts, status: RuleStatus): Hypothesis | undefined {
  const { cause, strengthSum, damp, explained, presented } = t;
  if (!strengthSum || !damp) return undefined;
  if (statusOf(status, rule, ruleNo) === false) return undefined;
  const all = everything(k, rule, ruleNo);
  const now = satisfyingCounts(k, rule, known, undefined, ruleNo)[0];
  if (!all || !now) return undefined;
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
  return { rule, ruleNo, cause: cause.id, weight };
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
   * every hypothesis an answer changes.
   */
  factMass: Float64Array;
  /**
   * The same belief as flat arrays, for the question values that read it for every rule a question
   * touches: by rule number the hypothesis' weight, by cause number (index in kb.causes) the cause's mass;
   * NaN where there is none (no hypothesis; a cause absent from `mass`).
   */
  weightByRule: Float64Array;
  massByCause: Float64Array;
}

interface BeliefCache extends Belief {
  /** Every hypothesis in cause order with NONE last; built on demand (undefined when out of date). */
  hyps?: Hypothesis[];
  known: Map<string, FactValue>;
  unsure: Set<string>;
  /** By cause number, the terms its hypotheses were last computed with. */
  terms: (CauseTerms | undefined)[];
  /**
   * The hypotheses' weights again, cause by cause (each cause's supporting rules side by side, in
   * supportNumbersByCause order from supportStart[cause number]), so a cause's mass is summed from
   * adjacent memory: its rules may lie anywhere in the rule base.
   */
  weightBySupport: Float64Array;
  supportStart: Int32Array;
  /** By rule number: its place in weightBySupport (-1 for an excluding rule). */
  supportSlot: Int32Array;
  /** Scratch marks by cause and by rule number: equal to `stamp` when marked during the current update. */
  wholeMark: Int32Array;
  ruleMark: Int32Array;
  stamp: number;
}

const beliefCache = new WeakMap<Knowledge, BeliefCache>();
const NO_FACTS: ReadonlySet<string> = new Set();

function emptyBelief(k: Knowledge): BeliefCache {
  const R = k.kb.rules.length;
  const C = k.kb.causes.length;
  const supportStart = new Int32Array(C + 1);
  const supportSlot = new Int32Array(R).fill(-1);
  let at = 0;
  k.kb.causes.forEach((c, cno) => {
    supportStart[cno] = at;
    for (const no of k.supportNumbersByCause.get(c.id) ?? []) supportSlot[no] = at++;
  });
  supportStart[C] = at;
  return {
    known: new Map(),
    unsure: new Set(),
    terms: new Array<CauseTerms | undefined>(C).fill(undefined),
    byRule: new Array<Hypothesis | undefined>(R).fill(undefined),
    mass: new Map([[NONE, NONE_PRIOR]]),
    factMass: new Float64Array(k.kb.facts.length),
    weightByRule: new Float64Array(R).fill(NaN),
    massByCause: new Float64Array(C).fill(NaN),
    weightBySupport: new Float64Array(at).fill(NaN),
    supportStart,
    supportSlot,
    wholeMark: new Int32Array(C),
    ruleMark: new Int32Array(R),
    stamp: 0,
  };
}

/**
 * The belief given what is known. A hypothesis depends on the known values of its rule's facts and on its
 * cause's terms (causeTerms), so between calls only the hypotheses of rules on a changed fact are
 * recomputed — all of a cause's when its terms may have changed — and the indexes are updated for those
 * only. (Recomputing every hypothesis of each cause an answer touched was ten times the work: a cause has
 * about ten rules, and an answer touches one or two of them.) Causes and rules are handled by number.
 */
export function belief(k: Knowledge, known: KnownFacts, status: RuleStatus, unsure: ReadonlySet<string> = NO_FACTS): Belief {
  let cache = beliefCache.get(k);
  const fresh = !cache;
  if (!cache) beliefCache.set(k, (cache = emptyBelief(k)));
  const { wholeMark, ruleMark } = cache;
  const stamp = ++cache.stamp;
  // Causes whose terms are recomputed, with all their hypotheses; and, for the others, the rules to
  // recompute (both in the order met).
  const whole: number[] = [];
  const markWhole = (cno: number) => {
    if (cno >= 0 && wholeMark[cno] !== stamp) {
      wholeMark[cno] = stamp;
      whole.push(cno);
    }
  };
  const someRules = new Map<number, number[]>();
  if (fresh) for (let cno = 0; cno < k.kb.causes.length; cno++) markWhole(cno);
  const changed: string[] = [];
  for (const [f, v] of cache.known) if (known.get(f) !== v) changed.push(f);
  for (const f of knownKeys(known)) if (!cache.known.has(f)) changed.push(f);
  // A "not sure" answer changes statuses too (strategy/reach.ts settles the rules it puts out of reach).
  for (const f of unsure) if (!cache.unsure.has(f)) changed.push(f);
  for (const f of cache.unsure) if (!unsure.has(f)) changed.push(f);
  for (const f of changed) {
    for (const c of k.presentingByFact.get(f) ?? []) markWhole(k.causeNumbers.get(c) ?? -1);
    for (const no of k.ruleNumbersByFact.get(f) ?? []) {
      const cno = k.causeNoByRule[no];
      if (cno < 0 || wholeMark[cno] === stamp) continue;
      const terms = cache.terms[cno];
      // The cause's terms move when one of its excluding rules, or a rule concluded before or now, is touched.
      if (!terms || k.excludesByNumber[no] || terms.explained.has(f) || statusOf(status, k.kb.rules[no], no) === true) markWhole(cno);
      else if (ruleMark[no] !== stamp) {
        ruleMark[no] = stamp;
        let list = someRules.get(cno);
        if (!list) someRules.set(cno, (list = []));
        list.push(no);
      }
    }
  }
  if (!whole.length && !someRules.size) return cache;
  const { factMass, byRule, weightByRule, massByCause, weightBySupport, supportStart, supportSlot } = cache;
  const move = (no: number, by: number) => {
    for (const f of k.factNumbersByRule[no]) factMass[f] += by;
  };
  const put = (no: number, h: Hypothesis | undefined) => {
    byRule[no] = h;
    const w = h ? h.weight : NaN;
    weightByRule[no] = w;
    weightBySupport[supportSlot[no]] = w;
    if (h) move(no, h.weight);
  };
  const recount = (cno: number, oldMass: number) => {
    let m = 0;
    let any = false;
    for (let at = supportStart[cno]; at < supportStart[cno + 1]; at++) {
      const w = weightBySupport[at];
      if (!Number.isNaN(w)) {
        m += w;
        any = true;
      }
    }
    const id = k.kb.causes[cno].id;
    if (any) cache!.mass.set(id, m);
    else cache!.mass.delete(id);
    massByCause[cno] = any ? m : NaN;
    for (const no of k.excludeNumbersByCause.get(id) ?? []) move(no, m - oldMass);
    for (const f of cache!.terms[cno]!.presented) {
      const no = k.factNumbers.get(f);
      if (no !== undefined) factMass[no] += m - oldMass;
    }
  };
  const massOf = (cno: number) => (Number.isNaN(massByCause[cno]) ? 0 : massByCause[cno]);
  for (const cno of whole) {
    const cause = k.kb.causes[cno];
    const oldMass = massOf(cno);
    const numbers = k.supportNumbersByCause.get(cause.id) ?? [];
    for (const no of numbers) {
      const old = weightByRule[no];
      if (!Number.isNaN(old)) move(no, -old);
    }
    const terms = causeTerms(k, cause, status);
    cache.terms[cno] = terms;
    const supports = k.supportsByCause.get(cause.id) ?? [];
    for (let i = 0; i < supports.length; i++) put(numbers[i], ruleHypothesis(k, terms, supports[i], numbers[i], known, status));
    recount(cno, oldMass);
  }
  for (const [cno, numbers] of someRules) {
    if (wholeMark[cno] === stamp) continue;
    const oldMass = massOf(cno);
    const terms = cache.terms[cno]!;
    for (const no of numbers) {
      const old = weightByRule[no];
      if (!Number.isNaN(old)) move(no, -old);
      put(no, ruleHypothesis(k, terms, k.kb.rules[no], no, known, status));
    }
    recount(cno, oldMass);
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
    for (const c of k.kb.causes) {
      for (const no of k.supportNumbersByCause.get(c.id) ?? []) {
        const h = cache.byRule[no];
        if (h) hyps.push(h);
      }
    }
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
