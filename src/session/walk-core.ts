/**
 * The walk's decision loop, free of I/O: given what is known, what to ask next or that the walk is over.
 * The interactive walk and the question benchmark (scripts/bench-questions.mjs) both run this code, so
 * the benchmark measures exactly what users get.
 */
import type { FactValue } from '../kb/types.js';
import { diagnose, type Diagnosis } from '../inference/diagnose.js';
import { type FactRecord, type FactState } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';
import { leader } from '../inference/ranking.js';
import { walkView } from '../strategy/reach.js';
import { bestConfidence, rankQuestions, relevantFacts, stepContext, withOutcomes, type QuestionChoice } from '../strategy/next-question.js';

export type Strategy = 'eig' | 'fixed';

export interface Decision {
  /** The question to ask; undefined when the walk is over (nothing left can change the outcome). */
  next?: QuestionChoice;
  /** True when `next` comes from the opening menu (opening: true facts). */
  opening: boolean;
  /** Every question that could still change the outcome, best first (eig only; only `next` carries outcomes). */
  ranked: QuestionChoice[];
  /** The cause concluded strongly enough to be the diagnosis right now, if any (questions may remain). */
  leading?: { cause: string; confidence: number };
}

/** The opening facts, in KB order. */
export function openingFacts(k: Knowledge): string[] {
  return k.kb.facts.filter((f) => f.opening).map((f) => f.id);
}

/** Facts in the order they first appear in the rules: the "fixed order" baseline. */
export function ruleOrder(k: Knowledge): string[] {
  const seen = new Set<string>();
  for (const r of k.kb.rules) for (const f of k.factsByRule.get(r.id) ?? []) seen.add(f);
  return [...seen];
}

/**
 * An opening fact (what the user sees: the symptom family, the product) is asked before the others, in KB
 * order, while it is among this many of the most useful questions; otherwise it waits its turn like any
 * question. Question benchmark (245/245 right in each): no limit (always first while it can matter) →
 * 6.49 questions on average, 3 → 6.25, 2 → 6.18, 1 (no priority at all) → 6.11. With 2 the walk opens
 * with the symptom family and asks the product straight after it when the product matters, as an expert
 * would; where it cannot change much (throughput, socket errors), it is asked later or not at all. (With
 * the product first and the symptom second, as the KB once had them, no limit gave 6.82.)
 */
export const OPENING_TOP = 2;

/**
 * What to do next. The opening facts come first while they are among the OPENING_TOP most useful
 * questions; after that, the question with the most expected information gain. Answered facts ("not
 * sure" included) and facts that cannot change the outcome are never asked: the strategy filters them.
 */
export async function decide(k: Knowledge, state: FactState, strategy: Strategy = 'eig'): Promise<Decision> {
  // Incremental: only rules that mention a fact changed since the last step are re-evaluated; the view
  // is valid until the next step.
  const { input, scores } = walkView(k, state);
  const lead = leader(scores);
  const leading = lead ? { cause: lead.cause, confidence: lead.confidence } : undefined;
  if (strategy === 'fixed') {
    const relevant = new Set(relevantFacts(input, scores, lead));
    const fact = ruleOrder(k).find((f) => relevant.has(f)) ?? [...relevant][0];
    return { next: fact ? { fact, gain: 0, separates: [], outcomes: [] } : undefined, opening: false, ranked: [], leading };
  }
  // One step context for ranking and for the chosen question's detail.
  const ctx = stepContext(input, lead, bestConfidence(scores));
  const ranked = rankQuestions(input, Infinity, scores, lead, ctx);
  const top = ranked.slice(0, OPENING_TOP);
  const open = openingFacts(k).find((f) => top.some((q) => q.fact === f));
  const chosen = open ? ranked.find((q) => q.fact === open) : ranked[0];
  const next = chosen && withOutcomes(input, chosen, ctx);
  return { next, opening: Boolean(open), ranked, leading };
}

export function conclude(k: Knowledge, state: FactState): Promise<Diagnosis> {
  return diagnose(k, state, { questions: 5 });
}

/** The walk's outcome in one word: the top cause when diagnosed, else "inconclusive". */
export function outcomeOf(d: Diagnosis): string {
  return d.status === 'diagnosed' ? d.diagnoses[0].cause : 'inconclusive';
}

export interface SimulationResult {
  got: string;
  questions: number;
  asked: string[];
  /** Time taken to choose each question (and the final "nothing left" check), in ms. */
  stepMs: number[];
  diagnosis: Diagnosis;
  /**
   * Where a cause was first diagnosed (the walk then offers the result, with questions still left that
   * could overturn it): after how many questions, and which cause.
   */
  firstDiagnosed?: { questions: number; cause: string };
}

/**
 * Walk with a simulated user who answers from `truth` and says "not sure" to anything it does not state.
 * `start` are facts given up front (as with --fact).
 */
export async function simulate(
  k: Knowledge,
  truth: Readonly<Record<string, FactValue>>,
  options: { strategy?: Strategy; start?: FactState; maxQuestions?: number } = {},
): Promise<SimulationResult> {
  const state = new Map<string, FactRecord>(options.start ?? []);
  const asked: string[] = [];
  const stepMs: number[] = [];
  let firstDiagnosed: SimulationResult['firstDiagnosed'];
  const max = options.maxQuestions ?? k.kb.facts.length + 1;
  for (;;) {
    const t0 = performance.now();
    const d = await decide(k, state, options.strategy ?? 'eig');
    stepMs.push(performance.now() - t0);
    if (d.leading && !firstDiagnosed) firstDiagnosed = { questions: asked.length, cause: d.leading.cause };
    if (!d.next || asked.length >= max) break;
    const fact = d.next.fact;
    if (state.has(fact)) throw new Error(`strategy asked ${fact} twice`);
    asked.push(fact);
    const value = Object.prototype.hasOwnProperty.call(truth, fact) ? truth[fact] : null;
    state.set(fact, { value, source: { origin: 'answer' } });
  }
  const diagnosis = await conclude(k, state);
  return { got: outcomeOf(diagnosis), questions: asked.length, asked, stepMs, diagnosis, ...(firstDiagnosed ? { firstDiagnosed } : {}) };
}
