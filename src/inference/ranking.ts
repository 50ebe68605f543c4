/**
 * From rule statuses to per-cause confidence. Supporting rules combine like independent pieces of
 * evidence (noisy-OR of their strengths); a concluded excluding rule scales the cause down by
 * (1 - its strength), to zero when its strength is 1.
 */
import type { RuleDef } from '../kb/types.js';
import type { Truth } from './conditions.js';
import type { Knowledge } from './knowledge.js';

/** A cause is presented as the diagnosis only at or above this confidence. */
export const DIAGNOSIS_THRESHOLD = 0.7;

/** Each rule's three-valued status (a Map, or any view that answers get()). */
export interface RuleStatus {
  get(ruleId: string): Truth;
  /**
   * The same status by rule number (index in kb.rules), where the view keeps one: the walk reads statuses
   * thousands of times a step, and at tens of thousands of rules an array index is much cheaper than a
   * lookup by id (which misses the CPU caches).
   */
  byNumber?(no: number): Truth;
}

/** The status of `rule`, whose number is `no`: by number when the view can, else by id. */
export function statusOf(status: RuleStatus, rule: RuleDef, no: number): Truth {
  return status.byNumber ? status.byNumber(no) : status.get(rule.id);
}

export interface CauseScore {
  cause: string;
  confidence: number;
  /** The most confidence this cause could still reach if every open supporting rule were concluded. */
  maxConfidence: number;
  concluded: RuleDef[];
  open: RuleDef[];
  excludedBy: RuleDef[];
  /** True when nothing left could make this cause the answer. */
  ruledOut: boolean;
}

const noisyOr = (strengths: number[]) => 1 - strengths.reduce((p, s) => p * (1 - s), 1);

export function scoreCause(k: Knowledge, cause: string, status: RuleStatus): CauseScore {
  const supports = k.supportsByCause.get(cause) ?? [];
  const excludes = k.excludesByCause.get(cause) ?? [];
  const supportNumbers = k.supportNumbersByCause.get(cause) ?? [];
  const excludeNumbers = k.excludeNumbersByCause.get(cause) ?? [];
  const concluded: RuleDef[] = [];
  const open: RuleDef[] = [];
  const excludedBy: RuleDef[] = [];
  for (let i = 0; i < supports.length; i++) {
    const s = statusOf(status, supports[i], supportNumbers[i]);
    if (s === true) concluded.push(supports[i]);
    else if (s === undefined) open.push(supports[i]);
  }
  for (let i = 0; i < excludes.length; i++) if (statusOf(status, excludes[i], excludeNumbers[i]) === true) excludedBy.push(excludes[i]);
  const damp = excludedBy.reduce((p, r) => p * (1 - r.strength), 1);
  const confidence = noisyOr(concluded.map((r) => r.strength)) * damp;
  const maxConfidence = noisyOr([...concluded, ...open].map((r) => r.strength)) * damp;
  return { cause, confidence, maxConfidence, concluded, open, excludedBy, ruledOut: maxConfidence === 0 };
}

/**
 * scoreCause's confidence alone, for cause number `cno`, without building its lists: the question
 * values ask it for every cause an answer could lift. Same products in the same order, so the same number.
 */
export function confidenceOf(k: Knowledge, cno: number, status: RuleStatus): number {
  const id = k.kb.causes[cno].id;
  const supports = k.supportNumbersByCause.get(id) ?? [];
  const excludes = k.excludeNumbersByCause.get(id) ?? [];
  let miss = 1;
  for (const no of supports) if (statusOf(status, k.kb.rules[no], no) === true) miss *= 1 - k.strengthByNumber[no];
  let damp = 1;
  for (const no of excludes) if (statusOf(status, k.kb.rules[no], no) === true) damp *= 1 - k.strengthByNumber[no];
  return (1 - miss) * damp;
}

export function scoreAll(k: Knowledge, status: RuleStatus): CauseScore[] {
  return k.kb.causes.map((c) => scoreCause(k, c.id, status));
}

/** The leader, if it is concluded strongly enough and not tied. */
export function leader(scores: readonly CauseScore[]): CauseScore | undefined {
  // One pass for the top two (a sort per step would cost C log C at thousands of causes).
  let top: CauseScore | undefined;
  let second: CauseScore | undefined;
  for (const s of scores) {
    if (!top || s.confidence > top.confidence) {
      second = top;
      top = s;
    } else if (!second || s.confidence > second.confidence) second = s;
  }
  if (!top || top.confidence < DIAGNOSIS_THRESHOLD) return undefined;
  if (second && second.confidence >= top.confidence - 1e-9) return undefined;
  return top;
}
