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

function statusAfter(k: Knowledge, base: RuleStatus, known: KnownFacts, fact: string): Map<string, Truth> {
  const next = new Map(base);
  for (const r of k.rulesByFact.get(fact) ?? []) next.set(r.id, evaluateCondition(r.when, known));
  return next;
}

/** Value one candidate question: for each answer, the beliefs it would leave. */
export function valueQuestion(input: StrategyInput, fact: string, hyps: readonly Hypothesis[], prior: Map<string, number>): QuestionChoice {
  const { k, known, status } = input;
  const answers = k.answerSpace.get(fact) ?? [];
  const touched = k.rulesByFact.get(fact) ?? [];
  const touchedIds = new Set(touched.map((r) => r.id));
  const outcomes: AnswerOutcome[] = [];
  let expected = 0;
  let z = 0;
  const perAnswer: { value: FactValue; weights: Map<string, number>; total: number; concludes: string[]; rulesOut: string[] }[] = [];
  const consistentCount = new Map<string, number>();
  for (const h of hyps) {
    if (!h.rule || !touchedIds.has(h.rule.id)) continue;
    const rule = h.rule;
    const n = answers.filter((a) => evaluateCondition(rule.when, withFact(known, fact, a)) !== false).length;
    consistentCount.set(rule.id, n || answers.length);
  }
  for (const value of answers) {
    const nextKnown = withFact(known, fact, value);
    const nextStatus = statusAfter(k, status, nextKnown, fact);
    const concludes = touched.filter((r) => nextStatus.get(r.id) === true && status.get(r.id) !== true).map((r) => r.id);
    const rulesOut = touched.filter((r) => nextStatus.get(r.id) === false && status.get(r.id) !== false).map((r) => r.id);
    // Likelihood of this answer under each hypothesis, times the hypothesis' current weight.
    const weights = new Map<string, number>();
    let total = 0;
    for (const h of hyps) {
      let like: number;
      if (h.rule && touchedIds.has(h.rule.id)) {
        like = nextStatus.get(h.rule.id) === false ? 0 : 1 / (consistentCount.get(h.rule.id) ?? answers.length);
      } else {
        like = 1 / answers.length;
      }
      if (h.cause !== NONE) {
        for (const ex of k.excludesByCause.get(h.cause) ?? []) {
          if (touchedIds.has(ex.id) && nextStatus.get(ex.id) === true && status.get(ex.id) !== true) like *= 1 - ex.strength;
        }
      }
      const w = h.weight * like;
      weights.set(h.cause, (weights.get(h.cause) ?? 0) + w);
      total += w;
    }
    perAnswer.push({ value, weights, total, concludes, rulesOut });
    z += total;
  }
  for (const a of perAnswer) {
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
  const valued = candidates.map((f) => valueQuestion(input, f, hyps, prior));
  valued.sort((a, b) => b.gain - a.gain || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  return valued.slice(0, limit);
}

export function nextQuestion(input: StrategyInput): QuestionChoice | undefined {
  return rankQuestions(input, 1)[0];
}
