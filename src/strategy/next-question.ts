/**
 * Next-question choice.
 *
 * Before any cause is concluded: the question with the most expected information gain (mutual information
 * between its answer and the cause, under the model of model.ts) plus expected progress (rise of the best
 * cause confidence), so the walk both separates causes and confirms the one the evidence points to.
 * Once a cause is concluded strongly enough: the question most likely to overturn that diagnosis (make
 * another cause overtake it, or drop it below the threshold); questions whose chance of changing the
 * outcome is below FLIP_MIN are not worth the user's time, and when none is left the walk is over.
 *
 * Only facts that can still change the outcome are candidates: a fact must appear in an open rule that
 * could make a cause the answer (or rule one out). Answers already given (including "not sure") are never
 * asked again. Re-evaluation uses the fact → rules index, so a step costs only the rules a candidate touches.
 */
import type { FactValue, RuleDef } from '../kb/types.js';
import { evaluateCondition, type KnownFacts, type Truth } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';
import { DIAGNOSIS_THRESHOLD, leader, scoreAll, scoreCause, type CauseScore, type RuleStatus } from '../inference/ranking.js';
import { background, hypotheses, NONE, satisfyingCounts, type Hypothesis } from './model.js';

export interface AnswerOutcome {
  value: FactValue;
  /** Probability of this answer under the current beliefs. */
  probability: number;
  /** Causes (and NONE) after this answer, most likely first. */
  after: { cause: string; probability: number }[];
  /** Rules this answer would conclude or rule out. */
  concludes: string[];
  rulesOut: string[];
}

/** Below this chance of changing a reached diagnosis, a question is not asked. */
export const FLIP_MIN = 0.1;

export interface QuestionChoice {
  fact: string;
  /** Expected reduction of uncertainty about the cause, in bits. */
  gain: number;
  /** With a diagnosis reached: the chance that the answer overturns it (belief outside the leading cause). */
  flip?: number;
  /** Before a diagnosis: expected rise of the best cause confidence (progress towards concluding one). */
  progress?: number;
  /** Causes whose rules this question touches. */
  separates: string[];
  outcomes: AnswerOutcome[];
}

export interface StrategyInput {
  k: Knowledge;
  known: KnownFacts;
  /** Facts answered in any way, "not sure" included. */
  answered: ReadonlySet<string>;
  status: RuleStatus;
}

/** Which facts could still change the outcome. */
export function relevantFacts({ k, answered, status }: StrategyInput, scores: readonly CauseScore[]): string[] {
  const byCause = new Map(scores.map((s) => [s.cause, s]));
  const lead = leader(scores);
  const useful = (r: RuleDef): boolean => {
    if (status.get(r.id) !== undefined) return false;
    const s = byCause.get(r.cause);
    if (!s) return false;
    if (r.effect === 'excludes') return s.maxConfidence > 0 && (!lead || lead.cause === r.cause);
    if (s.ruledOut) return false;
    if (!lead) return true;
    return r.cause !== lead.cause && s.maxConfidence > lead.confidence;
  };
  const out: string[] = [];
  for (const f of k.kb.facts) {
    if (answered.has(f.id)) continue;
    if ((k.rulesByFact.get(f.id) ?? []).some(useful)) out.push(f.id);
  }
  return out;
}

/** Current belief mass per cause, so a question only re-weighs the hypotheses it touches. */
export function massByCause(hyps: readonly Hypothesis[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of hyps) out.set(h.cause, (out.get(h.cause) ?? 0) + h.weight);
  return out;
}

/** Value one candidate question: for each answer, the beliefs it would leave. */
/** A rule-status map with a few rules re-evaluated, without copying the whole map. */
class StatusOverlay {
  constructor(
    private readonly base: RuleStatus,
    private readonly delta: ReadonlyMap<string, Truth>,
  ) {}
  get(id: string): Truth {
    return this.delta.has(id) ? this.delta.get(id) : this.base.get(id);
  }
}

/** Would this answer change the diagnosis `lead` (another cause overtakes it, or it falls below threshold)? */
function overturns(k: Knowledge, lead: CauseScore, status: RuleStatus, next: ReadonlyMap<string, Truth>, touched: readonly RuleDef[]): boolean {
  const view = new StatusOverlay(status, next) as unknown as RuleStatus;
  const own = scoreCause(k, lead.cause, view).confidence;
  if (own < DIAGNOSIS_THRESHOLD) return true;
  for (const cause of new Set(touched.map((r) => r.cause))) {
    if (cause !== lead.cause && scoreCause(k, cause, view).confidence >= own) return true;
  }
  return false;
}

/** Per-step quantities shared by every candidate question. */
export interface StepContext {
  hyps: readonly Hypothesis[];
  mass: Map<string, number>;
  hypByRule: Map<string, Hypothesis>;
  /** Σ m, Σ m·log2 m over causes (and NONE), for entropy sums that only touched causes change. */
  massSum: number;
  massLogSum: number;
  lead?: CauseScore;
  /** Highest cause confidence now. */
  best: number;
}

const xlog = (x: number) => (x > 0 ? x * Math.log2(x) : 0);

export function stepContext(input: StrategyInput, lead?: CauseScore, best = 0): StepContext {
  const hyps = hypotheses(input.k, input.known, input.status);
  const mass = massByCause(hyps);
  const hypByRule = new Map<string, Hypothesis>();
  for (const h of hyps) if (h.rule) hypByRule.set(h.rule.id, h);
  let massSum = 0;
  let massLogSum = 0;
  for (const m of mass.values()) {
    massSum += m;
    massLogSum += xlog(m);
  }
  return { hyps, mass, hypByRule, massSum, massLogSum, lead, best };
}

/**
 * Value one candidate question: expected information gain, and (with a diagnosis) the chance it
 * overturns it. Causes the question does not touch scale uniformly with the answer's background
 * probability, so their share of every entropy is computed in closed form from per-step sums: the cost
 * is proportional to the rules the fact touches, not to the size of the rule base. With `detail`, also
 * the per-answer outcomes (for "why").
 */
export function valueQuestion(input: StrategyInput, fact: string, ctx: StepContext, detail = false): QuestionChoice {
  const { k, known, status } = input;
  const { mass, lead } = ctx;
  const answers = k.answerSpace.get(fact) ?? [];
  const touched = k.rulesByFact.get(fact) ?? [];
  const touchedHyps: Hypothesis[] = [];
  for (const r of touched) {
    const h = ctx.hypByRule.get(r.id);
    if (h) touchedHyps.push(h);
  }
  // Causes whose belief this question moves other than by the background: rules of theirs mention it.
  const touchedCauses = new Set<string>(touchedHyps.map((h) => h.cause));
  for (const r of touched) if (r.effect === 'excludes' && mass.has(r.cause)) touchedCauses.add(r.cause);
  const touchedMass = new Map<string, number>();
  for (const h of touchedHyps) touchedMass.set(h.cause, (touchedMass.get(h.cause) ?? 0) + h.weight);
  let restSum = ctx.massSum;
  let restLogSum = ctx.massLogSum;
  for (const c of touchedCauses) {
    const m = mass.get(c) ?? 0;
    restSum -= m;
    restLogSum -= xlog(m);
  }

  const perAnswer = answers.map((value) => {
    // Evaluate against "known plus this answer" without copying the known facts.
    const view = { get: (f: string) => (f === fact ? value : known.get(f)) } as KnownFacts;
    const nextStatus = new Map<string, Truth>();
    for (const r of touched) nextStatus.set(r.id, evaluateCondition(r.when, view));
    return { value, nextStatus };
  });
  // Under a rule's hypothesis, an answer is as likely as its share of the rule's satisfying combinations.
  const likelihood = new Map<string, number[]>();
  for (const h of touchedHyps) {
    const counts = satisfyingCounts(k, h.rule!, known, fact);
    let sum = 0;
    for (const n of counts) sum += n;
    likelihood.set(h.rule!.id, counts.map((n) => (sum ? n / sum : 1 / (answers.length || 1))));
  }

  const rows = perAnswer.map(({ value, nextStatus }, ai) => {
    const bg = background(k, fact, value);
    // Touched causes: their untouched rules follow the background, their touched rules the likelihoods.
    const weights = new Map<string, number>();
    for (const c of touchedCauses) weights.set(c, ((mass.get(c) ?? 0) - (touchedMass.get(c) ?? 0)) * bg);
    for (const h of touchedHyps) weights.set(h.cause, weights.get(h.cause)! + h.weight * likelihood.get(h.rule!.id)![ai]);
    for (const r of touched) {
      if (r.effect === 'excludes' && nextStatus.get(r.id) === true && status.get(r.id) !== true && weights.has(r.cause)) {
        weights.set(r.cause, weights.get(r.cause)! * (1 - r.strength));
      }
    }
    let touchedTotal = 0;
    let touchedXlog = 0;
    for (const w of weights.values()) {
      touchedTotal += w;
      touchedXlog += xlog(w);
    }
    // Untouched causes all scale by bg: Σ w = bg·restSum, Σ w·log w = bg·(restLogSum + restSum·log bg).
    const total = touchedTotal + bg * restSum;
    const sumXlog = touchedXlog + bg * (restLogSum + restSum * Math.log2(bg || 1));
    return { value, nextStatus, weights, total, sumXlog };
  });

  const z = rows.reduce((sum, r) => sum + r.total, 0);
  let expected = 0;
  let flip = 0;
  let progress = 0;
  for (const r of rows) {
    const p = z ? r.total / z : 0;
    if (!lead && p > 0) {
      const view = new StatusOverlay(status, r.nextStatus) as unknown as RuleStatus;
      let best = ctx.best;
      for (const c of new Set(touched.map((t) => t.cause))) best = Math.max(best, scoreCause(k, c, view).confidence);
      progress += p * (best - ctx.best);
    }
    // H = log W − (Σ w log w)/W
    if (r.total > 0) expected += p * (Math.log2(r.total) - r.sumXlog / r.total);
    // Single-fault reading: if the leading cause is the real one, no answer to this question should make
    // another cause's rule hold; so only the belief held by the other causes (and "none") can overturn it.
    if (lead && z && overturns(k, lead, status, r.nextStatus, touched)) {
      const leadWeight = touchedCauses.has(lead.cause) ? (r.weights.get(lead.cause) ?? 0) : (mass.get(lead.cause) ?? 0) * background(k, fact, r.value);
      flip += (r.total - leadWeight) / z;
    }
  }
  // Gain = H(mixture of the answers' posteriors) − expected H(posterior): the mutual information between
  // answer and cause. Untouched causes keep their share in the mixture (backgrounds sum to one).
  let mixTouchedXlog = 0;
  for (const c of touchedCauses) {
    let m = 0;
    for (const r of rows) m += r.weights.get(c) ?? 0;
    mixTouchedXlog += xlog(z ? m / z : 0);
  }
  const restMix = z ? restSum / z : 0;
  const mixtureEntropy = -(mixTouchedXlog + (z ? (restLogSum - restSum * Math.log2(z)) / z : 0));
  void restMix;
  const gain = Math.max(0, mixtureEntropy - expected);
  const separates = [...new Set(touched.filter((r) => status.get(r.id) === undefined).map((r) => r.cause))];
  const outcomes: AnswerOutcome[] = detail
    ? rows.map((r) => {
        const bg = background(k, fact, r.value);
        const after = [...mass.keys()].map((cause) => ({
          cause,
          probability: r.total ? (touchedCauses.has(cause) ? (r.weights.get(cause) ?? 0) : (mass.get(cause) ?? 0) * bg) / r.total : 0,
        }));
        after.sort((x, y) => y.probability - x.probability);
        return {
          value: r.value,
          probability: z ? r.total / z : 0,
          after: after.slice(0, 8),
          concludes: touched.filter((t) => r.nextStatus.get(t.id) === true && status.get(t.id) !== true).map((t) => t.id),
          rulesOut: touched.filter((t) => r.nextStatus.get(t.id) === false && status.get(t.id) !== false).map((t) => t.id),
        };
      })
    : [];
  return { fact, gain, ...(lead ? { flip } : { progress }), separates, outcomes };
}

/** Candidate questions, most useful first. Empty when no question can change the outcome. */
export function rankQuestions(input: StrategyInput, limit = Infinity): QuestionChoice[] {
  const scores = scoreAll(input.k, input.status);
  const candidates = relevantFacts(input, scores);
  if (!candidates.length) return [];
  const order = new Map(input.k.kb.facts.map((f, i) => [f.id, i]));
  const lead = leader(scores);
  const ctx = stepContext(input, lead, Math.max(0, ...scores.map((x) => x.confidence)));
  let valued = candidates.map((f) => valueQuestion(input, f, ctx));
  if (lead) {
    valued = valued.filter((q) => (q.flip ?? 0) >= FLIP_MIN);
    valued.sort((a, b) => (b.flip ?? 0) - (a.flip ?? 0) || b.gain - a.gain || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  } else {
    // Information about which cause, plus progress towards concluding one: a question that can confirm the
    // likely cause is worth asking even when the belief already leans its way.
    const value = (q: QuestionChoice) => q.gain + (q.progress ?? 0);
    valued = valued.filter((q) => value(q) > 1e-9);
    // Test the leading hypothesis: once one cause holds most of the belief, ask about its own open rules
    // first (confirm or refute it), as an expert would, before spending questions on the long tail.
    const focus = focusFacts(input, ctx);
    if (focus) {
      const focused = valued.filter((q) => focus.has(q.fact));
      if (focused.length) valued = [...focused, ...valued.filter((q) => !focus.has(q.fact))];
    }
    const inFocus = (q: QuestionChoice) => (focus?.has(q.fact) ? 1 : 0);
    valued.sort((a, b) => inFocus(b) - inFocus(a) || value(b) - value(a) || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  }
  // Per-answer outcomes (for "why") only for the questions at the top.
  return valued.slice(0, limit).map((q, i) => (i < DETAILED ? valueQuestion(input, q.fact, ctx, true) : q));
}

/** A cause holding at least this share of the belief is tested first. */
export const FOCUS_MIN = 0.5;

/** Facts of the open rules of the cause holding most of the belief, when it holds at least FOCUS_MIN. */
function focusFacts(input: StrategyInput, ctx: StepContext): Set<string> | undefined {
  let top: string | undefined;
  let topMass = 0;
  for (const [cause, m] of ctx.mass) {
    if (cause !== NONE && m > topMass) {
      top = cause;
      topMass = m;
    }
  }
  if (!top || !ctx.massSum || topMass / ctx.massSum < FOCUS_MIN) return undefined;
  const rules = [...(input.k.supportsByCause.get(top) ?? []), ...(input.k.excludesByCause.get(top) ?? [])];
  const facts = new Set<string>();
  for (const r of rules) {
    if (input.status.get(r.id) !== undefined) continue;
    for (const f of input.k.factsByRule.get(r.id) ?? []) if (!input.answered.has(f)) facts.add(f);
  }
  return facts;
}

/** How many of the ranked questions carry per-answer outcomes. */
const DETAILED = 3;

export function nextQuestion(input: StrategyInput): QuestionChoice | undefined {
  return rankQuestions(input, 1)[0];
}
