/**
 * Next-question choice by expected information gain over the causes still in play.
 *
 * Only facts that can still change the outcome are candidates: a fact must appear in an open rule that
 * could make a cause the answer (or rule one out); once a cause is concluded, only facts that could let
 * another cause overtake it, or exclude it, remain. Answers already given (including "not sure") are
 * never asked again. Re-evaluation uses the fact → rules index, so a step costs only the rules the
 * candidate fact touches.
 */
import type { FactValue, RuleDef } from '../kb/types.js';
import { evaluateCondition, type KnownFacts, type Truth } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';
import { leader, scoreAll, type CauseScore, type RuleStatus } from '../inference/ranking.js';
import { entropy, hypotheses, NONE, posterior, withFact, type Hypothesis } from './model.js';

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

export interface QuestionChoice {
  fact: string;
  /** Expected reduction of uncertainty about the cause, in bits. */
  gain: number;
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
export function valueQuestion(
  input: StrategyInput,
  fact: string,
  hyps: readonly Hypothesis[],
  prior: Map<string, number>,
  mass: Map<string, number> = massByCause(hyps),
): QuestionChoice {
  const { k, known, status } = input;
  const answers = k.answerSpace.get(fact) ?? [];
  const touched = k.rulesByFact.get(fact) ?? [];
  const touchedIds = new Set(touched.map((r) => r.id));
  const uniform = 1 / (answers.length || 1);
  // Hypotheses whose rule mentions this fact predict only the answers their rule allows.
  const touchedHyps = hyps.filter((h) => h.rule && touchedIds.has(h.rule.id));
  const touchedMass = new Map<string, number>();
  for (const h of touchedHyps) touchedMass.set(h.cause, (touchedMass.get(h.cause) ?? 0) + h.weight);
  const perAnswer = answers.map((value) => {
    const nextKnown = withFact(known, fact, value);
    const nextStatus = new Map<string, Truth>();
    for (const r of touched) nextStatus.set(r.id, evaluateCondition(r.when, nextKnown));
    return { value, nextStatus };
  });
  const consistent = new Map<string, number>();
  for (const h of touchedHyps) {
    const n = perAnswer.filter((a) => a.nextStatus.get(h.rule!.id) !== false).length;
    consistent.set(h.rule!.id, n || answers.length);
  }
  const outcomes: AnswerOutcome[] = [];
  const rows = perAnswer.map(({ value, nextStatus }) => {
    const weights = new Map<string, number>();
    for (const [cause, m] of mass) weights.set(cause, (m - (touchedMass.get(cause) ?? 0)) * uniform);
    for (const h of touchedHyps) {
      const like = nextStatus.get(h.rule!.id) === false ? 0 : 1 / consistent.get(h.rule!.id)!;
      weights.set(h.cause, (weights.get(h.cause) ?? 0) + h.weight * like);
    }
    for (const r of touched) {
      if (r.effect === 'excludes' && nextStatus.get(r.id) === true && status.get(r.id) !== true && weights.has(r.cause)) {
        weights.set(r.cause, weights.get(r.cause)! * (1 - r.strength));
      }
    }
    let total = 0;
    for (const w of weights.values()) total += w;
    const concludes = touched.filter((r) => nextStatus.get(r.id) === true && status.get(r.id) !== true).map((r) => r.id);
    const rulesOut = touched.filter((r) => nextStatus.get(r.id) === false && status.get(r.id) !== false).map((r) => r.id);
    return { value, weights, total, concludes, rulesOut };
  });
  const z = rows.reduce((s, r) => s + r.total, 0);
  let expected = 0;
  for (const a of rows) {
    const p = z ? a.total / z : 0;
    const dist = [...a.weights.values()].map((w) => (a.total ? w / a.total : 0));
    expected += p * entropy(dist);
    outcomes.push({
      value: a.value,
      probability: p,
      after: [...a.weights.entries()]
        .map(([cause, w]) => ({ cause, probability: a.total ? w / a.total : 0 }))
        .sort((x, y) => y.probability - x.probability),
      concludes: a.concludes,
      rulesOut: a.rulesOut,
    });
  }
  const gain = Math.max(0, entropy(prior.values()) - expected);
  const separates = [...new Set(touched.filter((r) => status.get(r.id) === undefined).map((r) => r.cause))];
  return { fact, gain, separates, outcomes };
}

/** Candidate questions, most useful first. Empty when no question can change the outcome. */
export function rankQuestions(input: StrategyInput, limit = Infinity): QuestionChoice[] {
  const scores = scoreAll(input.k, input.status);
  const candidates = relevantFacts(input, scores);
  if (!candidates.length) return [];
  const hyps = hypotheses(input.k, input.known, input.status);
  const prior = posterior(hyps);
  const order = new Map(input.k.kb.facts.map((f, i) => [f.id, i]));
  const mass = massByCause(hyps);
  const valued = candidates.map((f) => valueQuestion(input, f, hyps, prior, mass));
  valued.sort((a, b) => b.gain - a.gain || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  return valued.slice(0, limit);
}

export function nextQuestion(input: StrategyInput): QuestionChoice | undefined {
  return rankQuestions(input, 1)[0];
}
