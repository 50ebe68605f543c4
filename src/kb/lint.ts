/**
 * Warnings about knowledge that is valid but probably not what the author meant. Found by enumerating
 * each rule's facts over their answer space (bounded), so no special cases per rule shape.
 */
import type { Diagnostic } from './diagnostics.js';
import type { Condition, FactValue, RuleDef } from './types.js';
import { evaluateCondition } from '../inference/conditions.js';
import type { Knowledge } from '../inference/knowledge.js';
import { applies, appliesWhenText } from '../inference/applies.js';

const MAX_COMBINATIONS = 4096;

function warn(pos: { file: string; line: number; col: number }, message: string, code: string): Diagnostic {
  return { ...pos, severity: 'warning', message, code };
}

/** Every assignment of the given facts over their answer spaces, or undefined when too many. */
function assignments(k: Knowledge, facts: string[]): Map<string, FactValue>[] | undefined {
  let total = 1;
  for (const f of facts) total *= k.answerSpace.get(f)?.length ?? 1;
  if (total > MAX_COMBINATIONS) return undefined;
  let out: Map<string, FactValue>[] = [new Map()];
  for (const f of facts) {
    const next: Map<string, FactValue>[] = [];
    for (const partial of out) for (const v of k.answerSpace.get(f) ?? []) next.push(new Map(partial).set(f, v));
    out = next;
  }
  return out;
}

const stripPos = (c: Condition): unknown => JSON.parse(JSON.stringify(c, (key, v) => (key === 'pos' ? undefined : v)));

export function lintKnowledge(k: Knowledge): Diagnostic[] {
  const out: Diagnostic[] = [];
  const usedFacts = new Set<string>();
  for (const r of k.kb.rules) for (const f of k.factsByRule.get(r.id) ?? []) usedFacts.add(f);
  for (const s of k.kb.signatures) for (const f of Object.keys(s.sets)) usedFacts.add(f);

  for (const f of k.kb.facts) {
    if (!f.help?.trim() && !f.checks?.length) out.push(warn(f.pos, `fact "${f.id}" has no help text on how to check it`, f.id));
    if (!usedFacts.has(f.id) && !f.opening) out.push(warn(f.pos, `fact "${f.id}" is used by no rule`, f.id));
  }
  for (const c of k.kb.causes) {
    if (!(k.supportsByCause.get(c.id) ?? []).length) out.push(warn(c.pos, `cause "${c.id}" is reached by no rule`, c.id));
    if (!c.verification.length) out.push(warn(c.pos, `cause "${c.id}" has no verification step`, c.id));
  }
  const truthTables = new Map<string, { facts: string[]; table?: boolean[] }>();
  for (const r of k.kb.rules) {
    if (r.effect === 'supports' && !r.near_misses.length) out.push(warn(r.pos, `rule "${r.id}" has no near-miss example`, r.id));
    const facts = k.factsByRule.get(r.id) ?? [];
    const combos = assignments(k, facts);
    if (combos) {
      const table = combos.map((a) => evaluateCondition(r.when, a) === true);
      truthTables.set(r.id, { facts, table });
      if (!table.some(Boolean)) out.push(warn(r.pos, `rule "${r.id}" can never fire: no combination of answers satisfies it`, r.id));
    }
  }
  // Examples that contradict the KB's own expectations: a fact given where it does not apply, or a
  // supporting example whose answer its cause does not list among the usual ones. (Near misses may well
  // pair a fact with a product it does not apply to: that is often the point of the near miss.)
  for (const r of k.kb.rules) {
    for (const ex of r.concludes) {
      const known = new Map(Object.entries(ex.facts));
      for (const f of Object.keys(ex.facts)) {
        const def = k.facts.get(f);
        if (def && !applies(def, known)) {
          const expected = appliesWhenText(def).join(', ');
          out.push(warn(ex.pos, `example of rule "${r.id}" gives "${f}", which applies only when ${expected}`, r.id));
        }
      }
    }
    const presents = k.causes.get(r.cause)?.presents_with ?? {};
    const own = k.factsByRule.get(r.id) ?? [];
    if (r.effect === 'excludes') {
      // An excluding rule on one fact that rules its cause out for an answer presents_with calls usual.
      const listed = own.length === 1 ? presents[own[0]] : undefined;
      const clash = listed?.filter((v) => evaluateCondition(r.when, new Map([[own[0], v]])) === true) ?? [];
      if (clash.length) out.push(warn(r.pos, `rule "${r.id}" rules "${r.cause}" out for ${own[0]} ${clash.map((v) => `"${String(v)}"`).join(', ')}, which the cause's presents_with calls usual`, r.id));
      continue;
    }
    for (const ex of r.concludes) {
      for (const [f, listed] of Object.entries(presents)) {
        const v = ex.facts[f];
        if (v !== undefined && !own.includes(f) && !listed.includes(v)) {
          out.push(warn(ex.pos, `example of rule "${r.id}" gives ${f} "${String(v)}", which cause "${r.cause}" does not list in presents_with; add it there if it is usual`, r.id));
        }
      }
    }
  }
  // Same conditions, different causes; and a rule implied by another rule of the same cause.
  const byConditions = new Map<string, RuleDef>();
  for (const r of k.kb.rules) {
    const key = `${r.effect}:${JSON.stringify(stripPos(r.when))}`;
    const prev = byConditions.get(key);
    if (prev && prev.cause !== r.cause && r.effect === 'supports') out.push(warn(r.pos, `rule "${r.id}" has the same conditions as "${prev.id}" but concludes a different cause`, r.id));
    if (!prev) byConditions.set(key, r);
  }
  for (const group of [...k.supportsByCause.values(), ...k.excludesByCause.values()]) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]];
        const sub = subsumed(k, a, b) ? [a, b] : subsumed(k, b, a) ? [b, a] : undefined;
        if (sub) out.push(warn(sub[0].pos, `rule "${sub[0].id}" is subsumed by "${sub[1].id}" (same cause, fires whenever it fires)`, sub[0].id));
      }
    }
  }
  return out;
}

/** Does `narrow` firing always imply `broad` firing, with `broad` no stronger? */
function subsumed(k: Knowledge, narrow: RuleDef, broad: RuleDef): boolean {
  if (broad.strength < narrow.strength) return false;
  const facts = [...new Set([...(k.factsByRule.get(narrow.id) ?? []), ...(k.factsByRule.get(broad.id) ?? [])])];
  const combos = assignments(k, facts);
  if (!combos) return false;
  let any = false;
  for (const a of combos) {
    if (evaluateCondition(narrow.when, a) !== true) continue;
    any = true;
    if (evaluateCondition(broad.when, a) !== true) return false;
  }
  return any;
}
