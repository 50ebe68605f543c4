/**
 * The one inference path every front end calls: facts in, ranked and explained causes out.
 * No I/O here; the CLI, the walk, the tests and the benchmarks all use this function.
 */
import type { FactValue, Step, Workaround } from '../kb/types.js';
import { describeSource, formatValue, knownValues, type FactState, type Provenance } from './facts.js';
import type { Knowledge } from './knowledge.js';
import { DIAGNOSIS_THRESHOLD, leader, scoreAll, type CauseScore, type RuleStatus } from './ranking.js';
import type { RuleEngine } from './rule-engine.js';
import { hypotheses, NONE, posterior } from '../strategy/model.js';
import { rankQuestions, separatesOf, type QuestionChoice } from '../strategy/next-question.js';
import { strategyInput } from '../strategy/reach.js';
import type { Truth } from './conditions.js';

export interface FactUse {
  fact: string;
  value: FactValue | null;
  display: string;
  source: Provenance;
  from: string;
}

/** One link of the HOW: these facts, through this rule, gave this cause. */
export interface Because {
  rule: string;
  effect: 'supports' | 'excludes';
  strength: number;
  rationale: string;
  facts: FactUse[];
  text: string;
}

export interface CauseResult {
  cause: string;
  title: string;
  summary: string;
  confidence: number;
  because: Because[];
  remediation: Step[];
  verification: Step[];
  workarounds: Workaround[];
}

export interface Candidate {
  cause: string;
  title: string;
  /** Share of belief among causes not yet concluded or ruled out. */
  likelihood: number;
  confidence: number;
  /** Facts that would settle it one way or the other. */
  missing: string[];
  evidence: string[];
}

export interface Question {
  fact: string;
  prompt: string;
  type: string;
  choices?: string[];
  unit?: string;
  gain: number;
  separates: string[];
}

export interface Diagnosis {
  status: 'diagnosed' | 'inconclusive';
  diagnoses: CauseResult[];
  candidates: Candidate[];
  ruledOut: { cause: string; because: Because[] }[];
  questions: Question[];
  facts: Record<string, { value: FactValue | null; source: Provenance }>;
  threshold: number;
}

export interface DiagnoseOptions {
  /** How many next questions to list (for inconclusive results and the walk). */
  questions?: number;
}

const engines = new WeakMap<Knowledge, RuleEngine>();

/** json-rules-engine is loaded on first use, so the walk shows its first question without it. */
export async function ruleEngineFor(k: Knowledge): Promise<RuleEngine> {
  let e = engines.get(k);
  if (!e) {
    const { RuleEngine } = await import('./rule-engine.js');
    engines.set(k, (e = new RuleEngine(k.kb.rules, (r) => k.factsByRule.get(r.id) ?? [])));
  }
  return e;
}

export async function evaluateRules(k: Knowledge, state: FactState): Promise<Map<string, Truth>> {
  return (await ruleEngineFor(k)).evaluate(knownValues(state));
}

export async function diagnose(k: Knowledge, state: FactState, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const status = await evaluateRules(k, state);
  return assemble(k, state, status, options);
}

/** Build the result from rule statuses; synchronous, so strategies can reuse it. */
export function assemble(k: Knowledge, state: FactState, status: RuleStatus, options: DiagnoseOptions = {}): Diagnosis {
  const known = knownValues(state);
  const scores = scoreAll(k, status);
  const lead = leader(scores);
  const explain = (ruleIds: { id: string }[]) => ruleIds.map((r) => because(k, state, r.id));

  const concluded = scores
    .filter((s) => s.confidence > 0)
    .sort((a, b) => b.confidence - a.confidence || a.cause.localeCompare(b.cause));
  const diagnoses = concluded.map((s) => causeResult(k, s, explain(s.concluded)));

  const post = posterior(hypotheses(k, known, status));
  const openScores = scores.filter((s) => !s.ruledOut && s.confidence === 0);
  const openMass = openScores.reduce((sum, s) => sum + (post.get(s.cause) ?? 0), 0) + (post.get(NONE) ?? 0);
  const candidates = openScores
    .map((s) => candidate(k, s, openMass ? (post.get(s.cause) ?? 0) / openMass : 0, known))
    .sort((a, b) => b.likelihood - a.likelihood || a.cause.localeCompare(b.cause));

  const ruledOut = scores
    .filter((s) => s.ruledOut && s.excludedBy.length)
    .map((s) => ({ cause: s.cause, because: explain(s.excludedBy) }));

  const limit = options.questions ?? 5;
  const input = strategyInput(k, state, status);
  const choices = limit > 0 ? rankQuestions(input, limit, input.status === status ? scores : scoreAll(k, input.status)) : [];
  const facts: Diagnosis['facts'] = {};
  for (const [id, rec] of state) facts[id] = { value: rec.value, source: rec.source };

  return {
    status: lead ? 'diagnosed' : 'inconclusive',
    diagnoses,
    candidates,
    ruledOut,
    questions: choices.map((q) => question(k, { ...q, separates: separatesOf(input, q.fact) })),
    facts,
    threshold: DIAGNOSIS_THRESHOLD,
  };
}

function because(k: Knowledge, state: FactState, ruleId: string): Because {
  const rule = k.rules.get(ruleId)!;
  const facts: FactUse[] = (k.factsByRule.get(ruleId) ?? [])
    .filter((f) => state.get(f)?.value !== undefined && state.get(f)?.value !== null)
    .map((f) => {
      const rec = state.get(f)!;
      return {
        fact: f,
        value: rec.value,
        display: formatValue(k.facts.get(f), rec.value),
        source: rec.source,
        from: describeSource(rec.source),
      };
    });
  const facted = facts
    .map((u) => {
      const q = k.facts.get(u.fact)?.question ?? u.fact;
      const where = u.source.origin === 'evidence' && u.source.text ? ` — ${u.from}: "${u.source.text.trim()}"` : ` (${u.from})`;
      return `${u.fact} = ${u.display}${where}${q ? '' : ''}`;
    })
    .join('; ');
  const verb = rule.effect === 'excludes' ? 'rules out' : 'supports';
  return {
    rule: rule.id,
    effect: rule.effect,
    strength: rule.strength,
    rationale: rule.rationale,
    facts,
    text: `because ${facted} → rule ${rule.id} ${verb} ${rule.cause}: ${rule.rationale}`,
  };
}

function causeResult(k: Knowledge, s: CauseScore, because: Because[]): CauseResult {
  const c = k.causes.get(s.cause)!;
  return {
    cause: c.id,
    title: c.title,
    summary: c.summary,
    confidence: round(s.confidence),
    because,
    remediation: c.remediation,
    verification: c.verification,
    workarounds: c.workarounds ?? [],
  };
}

function candidate(k: Knowledge, s: CauseScore, likelihood: number, known: ReadonlyMap<string, FactValue>): Candidate {
  const c = k.causes.get(s.cause)!;
  const missing = [...new Set(s.open.flatMap((r) => k.factsByRule.get(r.id) ?? []))].filter((f) => !known.has(f));
  return {
    cause: c.id,
    title: c.title,
    likelihood: round(likelihood),
    confidence: round(s.confidence),
    missing,
    evidence: c.evidence ?? [],
  };
}

function question(k: Knowledge, q: QuestionChoice): Question {
  const f = k.facts.get(q.fact)!;
  return {
    fact: f.id,
    prompt: f.question,
    type: f.type,
    ...(f.choices ? { choices: f.choices.map((c) => c.value) } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    gain: round(q.gain),
    separates: q.separates,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
