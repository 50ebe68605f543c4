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
import type { KnownFacts, Truth } from '../inference/conditions.js';
import { indexOfRule, ruleNumberOf, type Knowledge } from '../inference/knowledge.js';
import { confidenceOf, DIAGNOSIS_THRESHOLD, leader, scoreAll, statusOf, type CauseScore, type RuleStatus } from '../inference/ranking.js';
import { ABNORMAL_ODDS, background, belief, countsIfAnswered, NONE, statusesIfAnswered, untestedLikelihood } from './model.js';
import { codeOf, FAILS, HOLDS, TRUTH_OF } from './if-answered.js';

const NO_OFFSETS = new Int32Array(0);
const NO_FLAGS = new Uint8Array(0);

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

/**
 * Below this chance of changing a reached diagnosis, a question is not asked: a wrong fix costs far more
 * than one more question. Question benchmark (presents_with, applies_when, FOCUS_MIN 0, CONTEST_RATIO
 * 0.5, OPENING_TOP 2): 0.03 → 245/245 right in 6.49 questions, 0.06 → 6.30, 0.08 → 6.18, 0.1 → 6.15 (all
 * 245/245), 0.12 → 242/245 in 6.08, 0.15 → 242/245 in 6.06; the misses are socket-memory exhaustion
 * behind port exhaustion, found only by the check after the first diagnosis. 0.08 keeps a margin below
 * the first miss. (Before presents_with: 0.03 → 245/245 in 7.13, 0.06 → 244/245, 0.1 → 243/245.)
 */
export const FLIP_MIN = 0.08;

export interface QuestionChoice {
  fact: string;
  /** Expected reduction of uncertainty about the cause, in bits. */
  gain: number;
  /** With a diagnosis reached: the chance that the answer overturns it. */
  flip?: number;
  /** Before a diagnosis: expected rise of the best cause confidence (progress towards concluding one). */
  progress?: number;
  /** Causes whose open rules this question touches: filled for the questions shown (withOutcomes, diagnose), empty while ranking. */
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

/**
 * The scores by cause number. Scores come one per cause in kb.causes order (scoreAll, walkView), so they
 * are used as they are; any other list is put in that order.
 */
function scoresByNumber(k: Knowledge, scores: readonly CauseScore[]): readonly (CauseScore | undefined)[] {
  if (scores.length === k.kb.causes.length && scores[0]?.cause === k.kb.causes[0]?.id) return scores;
  const byCause = new Map(scores.map((s) => [s.cause, s]));
  return k.kb.causes.map((c) => byCause.get(c.id));
}

/** Which facts could still change the outcome. */
export function relevantFacts({ k, answered, status }: StrategyInput, scores: readonly CauseScore[], lead = leader(scores)): string[] {
  const byNumber = scoresByNumber(k, scores);
  const useful = (r: RuleDef, no: number): boolean => {
    if (statusOf(status, r, no) !== undefined) return false;
    const s = byNumber[k.causeNoByRule[no]];
    if (!s) return false;
    if (r.effect === 'excludes') return s.maxConfidence > 0 && (!lead || lead.cause === r.cause);
    if (s.ruledOut) return false;
    if (!lead) return true;
    return r.cause !== lead.cause && s.maxConfidence > lead.confidence;
  };
  const out: string[] = [];
  for (const f of k.kb.facts) {
    if (answered.has(f.id)) continue;
    const rules = k.rulesByFact.get(f.id) ?? [];
    const numbers = k.ruleNumbersByFact.get(f.id) ?? [];
    for (let i = 0; i < rules.length; i++) {
      if (useful(rules[i], numbers[i])) {
        out.push(f.id);
        break;
      }
    }
  }
  return out;
}

/**
 * The rule statuses as they would be after answer `ai` to a question: the touched rules read from the
 * what-if table, the others from the statuses now. Nothing is copied or collected: the few rules a
 * cause's score reads are looked up in the question's rule numbers (ascending) by binary search. (A map
 * of the changes, filled per answer, cost hundreds of writes per answer at 50,000 rules.)
 */
class AnsweredStatus implements RuleStatus {
  constructor(
    private readonly k: Knowledge,
    private readonly base: RuleStatus,
    private readonly touched: Touched,
    private readonly ai: number,
  ) {}
  get(id: string): Truth {
    const no = ruleNumberOf(this.k, id);
    return no === undefined ? this.base.get(id) : this.byNumber(no);
  }
  byNumber(no: number): Truth {
    const { numbers, codes, offsets, now } = this.touched;
    const i = indexOfRule(numbers, no);
    if (i >= 0) {
      const next = codes[offsets[i] + this.ai];
      if (next !== now[i]) return TRUTH_OF[next];
    }
    return statusOf(this.base, this.k.kb.rules[no], no);
  }
}

/**
 * Would answer `ai` change the diagnosis `lead` (another cause overtakes it, or it falls below threshold)?
 * 0 when not; 1 when the lead itself falls or a cause related to it overtakes it (one of whose rules
 * shares a fact other than the opening ones with the lead's concluded rules: TIME_WAIT saturation behind
 * port exhaustion); UNRELATED_FLIP when only an unrelated cause would: the diagnosis already explains the
 * symptom, and a second, independent fault showing at the same time is that much rarer.
 */
function overturns(k: Knowledge, lead: CauseScore, leadFacts: ReadonlySet<string>, status: RuleStatus, touched: Touched, ai: number): number {
  const { numbers, codes, offsets, now, causeNos, supports } = touched;
  const leadNo = k.causeNumbers.get(lead.cause);
  let changedLead = false;
  // By cause number. Rules are read by number: at thousands of rules per fact, loading each rule object
  // for its cause and effect was a large part of valuing a question.
  const risen = new Set<number>();
  for (let ri = 0; ri < numbers.length; ri++) {
    const next = codes[offsets[ri] + ai];
    if (next === now[ri]) continue;
    const cno = causeNos[ri];
    if (cno === leadNo) changedLead = true;
    else if (cno >= 0 && supports[ri] && next === HOLDS) risen.add(cno);
  }
  if (!changedLead && !risen.size) return 0;
  const view = new AnsweredStatus(k, status, touched, ai);
  const own = changedLead ? confidenceOf(k, leadNo!, view) : lead.confidence;
  if (own < DIAGNOSIS_THRESHOLD) return 1;
  // Only a supporting rule that becomes concluded can lift another cause.
  let weight = 0;
  for (const cno of risen) {
    const cause = k.kb.causes[cno].id;
    if (confidenceOf(k, cno, view) < own) continue;
    if (relatedToLead(k, leadFacts, cause)) return 1;
    weight = UNRELATED_FLIP;
  }
  return weight;
}

/**
 * A diagnosis is contested while the strongest rival cause holds at least this share of the diagnosed
 * cause's belief: the rules concluded it, but the whole of what is known does not yet tell the two apart,
 * so the rival's own questions come first. Question benchmark (FLIP_MIN 0.08, OPENING_TOP 2): 1 (rival
 * ahead only) → 244/245 right in 6.15 questions (a reset at once taken for "nothing listens" with the
 * belief at 18 % vs 17 %), 0.9 and 0.75 → 245/245 in 6.17, 0.5 → 6.18, 0.3 and 0.2 → 6.19.
 */
export const CONTEST_RATIO = 0.5;

/**
 * How much an overturn by a cause unrelated to the diagnosis counts: as much less as an abnormal answer
 * no hypothesis explains (single fault). Question benchmark (all 245 right; FLIP_MIN 0.08, OPENING_TOP
 * 2): 1 → 6.93 questions on average, 0.3 → 6.27, 0.1 → 6.18, 0 (never check unrelated causes once
 * diagnosed) → 6.18. Earlier, at FLIP_MIN 0.03 without presents_with: 1 → 7.84, 0.1 → 7.13, 0 → 7.05.
 */
export const UNRELATED_FLIP = ABNORMAL_ODDS;

/** The facts, other than opening ones, of the lead's concluded rules: what "related to the diagnosis" means. */
function factsOfDiagnosis(k: Knowledge, lead: CauseScore): Set<string> {
  const out = new Set<string>();
  for (const r of lead.concluded) for (const f of k.factsByRule.get(r.id) ?? []) if (!k.facts.get(f)?.opening) out.add(f);
  return out;
}

/** Does a supporting rule of `cause` mention one of the diagnosis' facts? */
function relatedToLead(k: Knowledge, leadFacts: ReadonlySet<string>, cause: string): boolean {
  for (const r of k.supportsByCause.get(cause) ?? []) for (const f of k.factsByRule.get(r.id) ?? []) if (leadFacts.has(f)) return true;
  return false;
}

/** The highest cause confidence after answer `ai` (only causes with a newly concluded supporting rule can rise). */
function bestAfter(k: Knowledge, best: number, status: RuleStatus, touched: Touched, ai: number): number {
  const { numbers, codes, offsets, now, causeNos, supports } = touched;
  const risen = new Set<number>();
  for (let ri = 0; ri < numbers.length; ri++) {
    if (supports[ri] && causeNos[ri] >= 0 && codes[offsets[ri] + ai] === HOLDS && now[ri] !== HOLDS) risen.add(causeNos[ri]);
  }
  if (!risen.size) return best;
  const view = new AnsweredStatus(k, status, touched, ai);
  for (const cno of risen) best = Math.max(best, confidenceOf(k, cno, view));
  return best;
}

/**
 * The rules a question's fact touches: their numbers, status codes now (if-answered.ts), and status codes
 * under each answer (rule ri under answer ai at codes[offsets[ri] + ai]).
 */
interface Touched {
  numbers: readonly number[];
  now: Int8Array;
  codes: Int8Array;
  offsets: Int32Array;
  /** Aligned with `numbers`: cause numbers, and 1 for a supporting rule (k.causeNosByFact, k.supportsByFact). */
  causeNos: Int32Array;
  supports: Uint8Array;
}

/** Per-step quantities shared by every candidate question. */
export interface StepContext {
  mass: Map<string, number>;
  /** By rule number and by cause number (model.ts, Belief.weightByRule and massByCause). */
  weightByRule: Float64Array;
  massByCause: Float64Array;
  /** Belief each fact's question can move, by fact number (model.ts, Belief.factMass). */
  factMass: Float64Array;
  /** Σ m, Σ m·log2 m over causes (and NONE), for entropy sums that only touched causes change. */
  massSum: number;
  massLogSum: number;
  lead?: CauseScore;
  /** With a lead: the facts of its concluded rules (factsOfDiagnosis), for telling related causes apart. */
  leadFacts: ReadonlySet<string>;
  /** Highest cause confidence now. */
  best: number;
}

/** The facts answered "not sure": answered, with no known value. */
function unsureOf({ known, answered }: StrategyInput): Set<string> {
  const out = new Set<string>();
  for (const f of answered) if (known.get(f) === undefined) out.add(f);
  return out;
}

const xlog = (x: number) => (x > 0 ? x * Math.log2(x) : 0);

/**
 * Per knowledge base, by cause number: a question's slot for each cause it touches, valid where stampOf
 * holds the stamp of the valuation at hand (so nothing is cleared or allocated per question).
 */
const slotsByKb = new WeakMap<Knowledge, { slotOf: Int32Array; stampOf: Int32Array }>();
let causeSlotsStamp = 0;

function causeSlots(k: Knowledge): { slotOf: Int32Array; stampOf: Int32Array } {
  let slots = slotsByKb.get(k);
  if (!slots) slotsByKb.set(k, (slots = { slotOf: new Int32Array(k.kb.causes.length), stampOf: new Int32Array(k.kb.causes.length) }));
  return slots;
}

/** The highest cause confidence (0 when none). */
export function bestConfidence(scores: readonly CauseScore[]): number {
  let best = 0;
  for (const s of scores) if (s.confidence > best) best = s.confidence;
  return best;
}

/** The step context: the belief and its sums, the diagnosis if any (`lead`), the highest confidence. */
export function stepContext(input: StrategyInput, lead?: CauseScore, best = 0): StepContext {
  const { mass, weightByRule, massByCause, factMass } = belief(input.k, input.known, input.status, unsureOf(input));
  let massSum = 0;
  let massLogSum = 0;
  for (const m of mass.values()) {
    massSum += m;
    massLogSum += xlog(m);
  }
  return { mass, weightByRule, massByCause, factMass, massSum, massLogSum, lead, leadFacts: lead ? factsOfDiagnosis(input.k, lead) : new Set(), best };
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
  const A = answers.length;
  const touched = k.rulesByFact.get(fact) ?? [];
  const touchedNumbers = k.ruleNumbersByFact.get(fact) ?? [];
  const { weightByRule, massByCause } = ctx;
  const causeNos = k.causeNosByFact.get(fact) ?? NO_OFFSETS;
  const supports = k.supportsByFact.get(fact) ?? NO_FLAGS;
  // Causes whose belief this question moves other than by the background: rules of theirs mention it.
  // Numbered 0..C-1 in order of first mention (slotOf, by cause number; valid while stamped this call).
  const { slotOf, stampOf } = causeSlots(k);
  const stamp = ++causeSlotsStamp;
  const causes: number[] = [];
  const indexOf = (cno: number): number => {
    if (stampOf[cno] !== stamp) {
      stampOf[cno] = stamp;
      slotOf[cno] = causes.length;
      causes.push(cno);
    }
    return slotOf[cno];
  };
  const slotOfCause = (cno: number): number => (cno >= 0 && stampOf[cno] === stamp ? slotOf[cno] : -1);
  const has = (cno: number) => cno >= 0 && !Number.isNaN(massByCause[cno]);
  /** The indexes in `touched` of the rules with a hypothesis. */
  const hypAt: number[] = [];
  for (let ri = 0; ri < touched.length; ri++) {
    const no = touchedNumbers[ri];
    if (!Number.isNaN(weightByRule[no])) {
      hypAt.push(ri);
      indexOf(causeNos[ri]);
    } else if (!supports[ri] && has(causeNos[ri])) indexOf(causeNos[ri]);
  }
  // Causes that usually come with some answers to this fact (presents_with) move by their own likelihood.
  const presenting = (k.presentingByFact.get(fact) ?? []).filter((c) => has(k.causeNumbers.get(c) ?? -1));
  for (const c of presenting) indexOf(k.causeNumbers.get(c)!);
  const C = causes.length;
  const causeMass = causes.map((cno) => massByCause[cno]);
  const untouchedMass = [...causeMass];
  for (const ri of hypAt) untouchedMass[slotOf[causeNos[ri]]] -= weightByRule[touchedNumbers[ri]];
  let restSum = ctx.massSum;
  let restLogSum = ctx.massLogSum;
  for (const m of causeMass) {
    restSum -= m;
    restLogSum -= xlog(m);
  }
  // Each touched rule's status under each answer (cached per rule until its own facts change).
  const table = statusesIfAnswered(k, known, fact);
  const { codes } = table;
  const offsets = table.offsetsByFact.get(fact) ?? NO_OFFSETS;
  // Each touched rule's status now, read once for every use below.
  const now = new Int8Array(touched.length);
  for (let ri = 0; ri < touched.length; ri++) now[ri] = codeOf(statusOf(status, touched[ri], touchedNumbers[ri]));
  const rulesTouched: Touched = { numbers: touchedNumbers, now, codes, offsets, causeNos, supports };
  const bgs = answers.map((a) => background(k, fact, a));

  // weights[ai*C + ci]: belief in touched cause ci after answer ai (unnormalised).
  const weights = new Float64Array(A * C);
  for (let ai = 0; ai < A; ai++) for (let ci = 0; ci < C; ci++) weights[ai * C + ci] = untouchedMass[ci] * bgs[ai];
  // Causes that present with this fact: their own likelihood instead of the background.
  for (const c of presenting) {
    const ci = slotOf[k.causeNumbers.get(c)!];
    for (let ai = 0; ai < A; ai++) weights[ai * C + ci] = untouchedMass[ci] * untestedLikelihood(k, c, fact, answers[ai]);
  }
  const counts = table.counts;
  const onlyLeaf = k.onlyLeafByFact.get(fact) ?? [];
  for (const ri of hypAt) {
    const no = touchedNumbers[ri];
    // Under a rule's hypothesis, an answer is as likely as its share of the rule's satisfying combinations.
    const at = offsets[ri];
    countsIfAnswered(k, table, known, fact, touched[ri], no, at, onlyLeaf[ri]);
    let sum = 0;
    for (let ai = 0; ai < A; ai++) sum += counts[at + ai];
    const ci = slotOf[causeNos[ri]];
    const w = weightByRule[no];
    for (let ai = 0; ai < A; ai++) weights[ai * C + ci] += w * (sum ? counts[at + ai] / sum : 1 / A);
  }
  for (let ri = 0; ri < touched.length; ri++) {
    if (supports[ri] || now[ri] === HOLDS) continue;
    const ci = slotOfCause(causeNos[ri]);
    if (ci < 0) continue;
    for (let ai = 0; ai < A; ai++) if (codes[offsets[ri] + ai] === HOLDS) weights[ai * C + ci] *= 1 - k.strengthByNumber[touchedNumbers[ri]];
  }

  const totals = new Float64Array(A);
  const sumXlogs = new Float64Array(A);
  for (let ai = 0; ai < A; ai++) {
    let t = 0;
    let x = 0;
    for (let ci = 0; ci < C; ci++) {
      const w = weights[ai * C + ci];
      t += w;
      x += xlog(w);
    }
    // Untouched causes all scale by bg: Σ w = bg·restSum, Σ w·log w = bg·(restLogSum + restSum·log bg).
    const bg = bgs[ai];
    totals[ai] = t + bg * restSum;
    sumXlogs[ai] = x + bg * (restLogSum + restSum * Math.log2(bg || 1));
  }
  let z = 0;
  for (let ai = 0; ai < A; ai++) z += totals[ai];

  let expected = 0;
  let flip = 0;
  let progress = 0;
  for (let ai = 0; ai < A; ai++) {
    const p = z ? totals[ai] / z : 0;
    if (!lead && p > 0) progress += p * (bestAfter(k, ctx.best, status, rulesTouched, ai) - ctx.best);
    // H = log W − (Σ w log w)/W
    if (totals[ai] > 0) expected += p * (Math.log2(totals[ai]) - sumXlogs[ai] / totals[ai]);
    // The chance of an answer that would change the diagnosis, under the whole belief: the leading cause
    // itself may well come with an observation that reveals a more specific cause (TIME_WAIT behind port
    // exhaustion), and the background already makes such abnormal answers unlikely.
    if (lead && z) flip += (totals[ai] / z) * overturns(k, lead, ctx.leadFacts, status, rulesTouched, ai);
  }
  // Gain = H(mixture of the answers' posteriors) − expected H(posterior): the mutual information between
  // answer and cause. Untouched causes keep their share in the mixture (backgrounds sum to one).
  let mixTouchedXlog = 0;
  for (let ci = 0; ci < C; ci++) {
    let m = 0;
    for (let ai = 0; ai < A; ai++) m += weights[ai * C + ci];
    mixTouchedXlog += xlog(z ? m / z : 0);
  }
  const mixtureEntropy = -(mixTouchedXlog + (z ? (restLogSum - restSum * Math.log2(z)) / z : 0));
  const gain = Math.max(0, mixtureEntropy - expected);
  const separates = detail ? separatesOf(input, fact) : [];
  const outcomes: AnswerOutcome[] = detail
    ? answers.map((value, ai) => {
        // The AFTER_SHOWN most likely causes after this answer, in one pass (no sort of every cause: at
        // thousands of causes that sort was the part of a step that grew faster than the rule base).
        // "None of the known causes" first, then the causes in KB order, which breaks ties; the masses are
        // read from the array by cause number.
        const after: { cause: string; probability: number }[] = [];
        const consider = (cause: string, w: number) => {
          const probability = totals[ai] ? w / totals[ai] : 0;
          if (after.length === AFTER_SHOWN && probability <= after[AFTER_SHOWN - 1].probability) return;
          // Insert after any equal ones, as a stable sort would.
          let at = after.length;
          while (at > 0 && after[at - 1].probability < probability) at--;
          after.splice(at, 0, { cause, probability });
          if (after.length > AFTER_SHOWN) after.pop();
        };
        const none = mass.get(NONE);
        if (none !== undefined) consider(NONE, none * bgs[ai]);
        for (let cno = 0; cno < massByCause.length; cno++) {
          const m = massByCause[cno];
          if (Number.isNaN(m)) continue;
          const ci = slotOfCause(cno);
          consider(k.kb.causes[cno].id, ci >= 0 ? weights[ai * C + ci] : m * bgs[ai]);
        }
        return {
          value,
          probability: z ? totals[ai] / z : 0,
          after,
          concludes: touched.filter((t, ri) => codes[offsets[ri] + ai] === HOLDS && now[ri] !== HOLDS).map((t) => t.id),
          rulesOut: touched.filter((t, ri) => codes[offsets[ri] + ai] === FAILS && now[ri] !== FAILS).map((t) => t.id),
        };
      })
    : [];
  return { fact, gain, ...(lead ? { flip } : { progress }), separates, outcomes };
}

/** Candidate questions, most useful first. Empty when no question can change the outcome. */
export function rankQuestions(
  input: StrategyInput,
  limit = Infinity,
  scores: readonly CauseScore[] = scoreAll(input.k, input.status),
  lead = leader(scores),
  ctx = stepContext(input, lead, bestConfidence(scores)),
): QuestionChoice[] {
  const relevant = relevantFacts(input, scores, lead);
  if (!relevant.length) return [];
  const order = input.k.factNumbers;
  // Before a diagnosis (or while it is contested): information about which cause, plus progress towards
  // concluding one.
  const value = (q: QuestionChoice) => q.gain + (q.progress ?? 0);
  const candidates = prefilter(input, ctx, relevant);
  // A concluded cause the belief does not clearly back (a rival holds CONTEST_RATIO of its belief or
  // more) is contested: keep testing the rival, by information and progress, before settling.
  // The cause holding most belief; with a diagnosis, the strongest other one (its rival).
  const top = topCause(ctx, lead?.cause);
  const rival = lead ? top : undefined;
  const contested = lead !== undefined && rival !== undefined && (ctx.mass.get(rival) ?? 0) >= CONTEST_RATIO * (ctx.mass.get(lead.cause) ?? 0);
  let valued: QuestionChoice[] = [];
  if (contested) {
    const open = { ...ctx, lead: undefined };
    const focus = focusFacts(input, ctx, rival, 0);
    valued = candidates.filter((f) => focus?.has(f)).map((f) => valueQuestion(input, f, open)).filter((q) => value(q) > 1e-9);
    valued.sort((a, b) => value(b) - value(a) || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  }
  if (!valued.length && lead) {
    valued = candidates.map((f) => valueQuestion(input, f, ctx)).filter((q) => (q.flip ?? 0) >= FLIP_MIN);
    valued.sort((a, b) => (b.flip ?? 0) - (a.flip ?? 0) || b.gain - a.gain || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  } else if (!lead) {
    valued = candidates.map((f) => valueQuestion(input, f, ctx));
    // A question that can confirm the likely cause is worth asking even when the belief already leans its way.
    valued = valued.filter((q) => value(q) > 1e-9);
    // Test the leading hypothesis: once one cause holds most of the belief, ask about its own open rules
    // first (confirm or refute it), as an expert would, before spending questions on the long tail.
    const focus = focusFacts(input, ctx, top, FOCUS_MIN);
    const inFocus = (q: QuestionChoice) => (focus?.has(q.fact) ? 1 : 0);
    valued.sort((a, b) => inFocus(b) - inFocus(a) || value(b) - value(a) || (order.get(a.fact) ?? 0) - (order.get(b.fact) ?? 0));
  }
  return valued.slice(0, limit);
}

/**
 * The question chosen to be asked, with its per-answer outcomes (for "why"). Kept apart from ranking so a
 * step values only one question in detail, and the one actually asked (an opening question may rank low).
 */
export function withOutcomes(input: StrategyInput, q: QuestionChoice, ctx: StepContext): QuestionChoice {
  const detailed = valueQuestion(input, q.fact, ctx, true);
  return { ...q, separates: detailed.separates, outcomes: detailed.outcomes };
}

/**
 * The causes whose open rules mention `fact`: what its question separates. Worked out only for the
 * questions shown, not for every question valued (at 50,000 rules that was the costliest line of a step).
 */
export function separatesOf({ k, status }: StrategyInput, fact: string): string[] {
  const out = new Set<string>();
  const rules = k.rulesByFact.get(fact) ?? [];
  const numbers = k.ruleNumbersByFact.get(fact) ?? [];
  for (let i = 0; i < rules.length; i++) if (statusOf(status, rules[i], numbers[i]) === undefined) out.add(rules[i].cause);
  return [...out];
}

/**
 * A cause holding at least this share of the belief is tested first. Question benchmark (all 245 right,
 * FLIP_MIN 0.08, presents_with, OPENING_TOP 2): 1.1 (never) → 6.62 questions on average, 0.5 → 6.50,
 * 0.3 → 6.34, 0.2 → 6.31, 0.1 → 6.18, 0 → 6.18. Once the symptom family has narrowed the field, the cause
 * the belief favours is worth testing first whatever its share. (Before presents_with: 0.2 → 7.13, 0 → 7.13.)
 */
export const FOCUS_MIN = 0;

/**
 * At most this many candidate questions are valued in full each step: the shortlist of those touching the
 * most belief. Measured on the question benchmark (FLIP_MIN 0.08, FOCUS_MIN 0, presents_with, OPENING_TOP
 * 2; all 245 right): 16 → 6.19 questions on average, 12, 8, 6 and 4 → 6.18 (the belief a question
 * touches is a good guide, the full value refines it). Before presents_with (FOCUS_MIN 0.2):
 * 16 → 7.34, 8 → 7.13, 4 → 7.07; shortlisting by the causes touched instead: 7.18–7.30. Fewer also makes a
 * step cheaper at 10,000+ rules. Eight keeps a margin of alternatives.
 */
export const MAX_VALUED = 8;

/**
 * Value in full only the questions whose rules hold the most belief: a question can move belief only
 * through the hypotheses it touches, so one touching almost none cannot be worth much, and the walk
 * stays on the causes the evidence points to.
 */
function prefilter(input: StrategyInput, ctx: StepContext, facts: string[]): string[] {
  if (facts.length <= MAX_VALUED) return facts;
  return facts
    .map((f) => {
      const no = input.k.factNumbers.get(f);
      return { f, m: no === undefined ? 0 : ctx.factMass[no] };
    })
    .sort((a, b) => b.m - a.m)
    .slice(0, MAX_VALUED)
    .map((x) => x.f);
}

/** The cause (not "none") holding most of the belief. */
function topCause(ctx: StepContext, except?: string): string | undefined {
  let top: string | undefined;
  let topMass = 0;
  for (const [cause, m] of ctx.mass) {
    if (cause !== NONE && cause !== except && m > topMass) {
      top = cause;
      topMass = m;
    }
  }
  return top;
}

/** Facts of the open rules of `cause`, when it holds at least `minShare` of the belief. */
function focusFacts(input: StrategyInput, ctx: StepContext, cause: string | undefined, minShare: number): Set<string> | undefined {
  if (!cause || !ctx.massSum || (ctx.mass.get(cause) ?? 0) / ctx.massSum < minShare) return undefined;
  const { k } = input;
  const rules = [...(k.supportsByCause.get(cause) ?? []), ...(k.excludesByCause.get(cause) ?? [])];
  const numbers = [...(k.supportNumbersByCause.get(cause) ?? []), ...(k.excludeNumbersByCause.get(cause) ?? [])];
  const facts = new Set<string>();
  for (let i = 0; i < rules.length; i++) {
    if (statusOf(input.status, rules[i], numbers[i]) !== undefined) continue;
    for (const f of k.factsByNumber[numbers[i]]) if (!input.answered.has(f)) facts.add(f);
  }
  return facts;
}

/** How many causes each answer's outcome lists (most likely first). */
const AFTER_SHOWN = 8;


