/** Text the walk shows besides the prompts: help, "why", the ranking so far, the report transcript. Pure. */
import type { Command, FactDef, FactValue } from '../../kb/types.js';
import type { Diagnosis } from '../../inference/diagnose.js';
import { formatValue } from '../../inference/facts.js';
import type { Knowledge } from '../../inference/knowledge.js';
import { NONE } from '../../strategy/model.js';
import type { AnswerOutcome, QuestionChoice } from '../../strategy/next-question.js';
import type { TranscriptEntry } from '../render/markdown.js';
import type { Session } from '../../session/state.js';
import { PLAIN, type Style } from '../render/style.js';
import type { Platform } from './options.js';

// Answer parsing lives in typed-answer.ts (the first screen needs it without the rest of this module).
export { parseTypedAnswer } from './typed-answer.js';

const GENERIC = new Set(['any', 'all', '*', 'generic']);
const UNIX_FAMILY = new Set(['unix', 'posix']);

/** Commands for this platform first, then ones that fit every (or every Unix) platform; others left out. */
export function commandsFor(checks: readonly Command[] | undefined, platform: Platform): { mine: Command[]; others: Command[] } {
  const rank = (c: Command): number => {
    const p = c.platform.toLowerCase();
    if (p === platform || (platform === 'hpux' && p === 'hp-ux')) return 0;
    if (platform !== 'windows' && UNIX_FAMILY.has(p)) return 1;
    if (GENERIC.has(p)) return 2;
    return 9;
  };
  const list = [...(checks ?? [])].map((c, i) => ({ c, r: rank(c), i }));
  const mine = list.filter((x) => x.r < 9).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.c);
  const others = list.filter((x) => x.r === 9).map((x) => x.c);
  return { mine, others };
}

export function renderHelp(f: FactDef, platform: Platform, s: Style = PLAIN): string {
  const out: string[] = [s.bold('How to check')];
  out.push(...(f.help?.trim() || 'No help text for this question.').split('\n').map((l) => `  ${l}`));
  const { mine, others } = commandsFor(f.checks, platform);
  if (mine.length) {
    out.push('', s.bold(`Commands (${platform})`));
    for (const c of mine) out.push(`  ${s.dim(`[${c.platform}]`)} ${s.cyan(c.run)}${c.note ? s.dim(`  — ${c.note}`) : ''}`);
  } else if (others.length) {
    out.push('', s.bold(`No command listed for ${platform}; for other platforms:`));
    for (const c of others) out.push(`  ${s.dim(`[${c.platform}]`)} ${s.cyan(c.run)}${c.note ? s.dim(`  — ${c.note}`) : ''}`);
  }
  if (mine.length && others.length) {
    const names = [...new Set(others.map((c) => c.platform))].join(', ');
    out.push(s.dim(`  (also listed for ${names}; use --platform to switch)`));
  }
  return out.join('\n');
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function causeName(k: Knowledge, id: string): string {
  if (id === NONE) return 'none of the known causes';
  const c = k.causes.get(id);
  return c ? `${c.title} (${id})` : id;
}

function answerLabel(f: FactDef | undefined, v: FactValue, outcomes: readonly AnswerOutcome[]): string {
  if (f?.type !== 'number') return formatValue(f, v);
  // Numbers are represented by one value per interval the rules draw; say which interval.
  const vals = outcomes.map((o) => o.value as number).sort((a, b) => a - b);
  const i = vals.indexOf(v as number);
  const unit = f.unit ? ` ${f.unit}` : '';
  if (i === 0 && vals.length > 1) return `below ${vals[1]}${unit}`;
  if (i === vals.length - 1 && vals.length > 1) return `above ${vals[i - 1]}${unit}`;
  return `${v}${unit}`;
}

/** Why this question: which causes it separates and how each answer would move them. */
export function renderWhy(k: Knowledge, q: QuestionChoice, s: Style = PLAIN): string {
  const f = k.facts.get(q.fact);
  const out: string[] = [s.bold('Why this question')];
  const sep = q.separates.map((c) => causeName(k, c));
  out.push(`  It bears on: ${sep.length ? sep.join('; ') : 'the causes still open'}.`);
  out.push(`  Expected to remove ${q.gain.toFixed(2)} bits of uncertainty about the cause.`);
  const outcomes = [...q.outcomes].sort((a, b) => b.probability - a.probability);
  for (const o of outcomes) {
    // One clause per cause: what this answer would conclude, and how many of a cause's patterns it drops.
    const effects: string[] = [];
    const excluded = new Set<string>();
    for (const rid of o.concludes) {
      const r = k.rules.get(rid);
      if (!r) continue;
      if (r.effect === 'excludes') excluded.add(r.cause);
      else effects.push(`supports ${r.cause} (rule ${rid}, strength ${r.strength})`);
    }
    if (excluded.size) effects.push(`rules out ${[...excluded].join(', ')}`);
    const dropped = new Map<string, number>();
    for (const rid of o.rulesOut) {
      const r = k.rules.get(rid);
      if (r && r.effect === 'supports' && !excluded.has(r.cause)) dropped.set(r.cause, (dropped.get(r.cause) ?? 0) + 1);
    }
    if (dropped.size) effects.push(`weakens ${[...dropped].map(([c, n]) => (n > 1 ? `${c} (${n} patterns)` : c)).join(', ')}`);
    const lean = o.after
      .filter((a) => a.probability >= 0.005)
      .slice(0, 3)
      .map((a) => `${a.cause === NONE ? 'none known' : a.cause} ${pct(a.probability)}`)
      .join(', ');
    out.push(`  • "${answerLabel(f, o.value, q.outcomes)}" (${pct(o.probability)} likely): ${effects.length ? `${effects.join('; ')}; ` : ''}then ${lean || 'no change'}`);
  }
  out.push(s.dim('  "Not sure" changes nothing; the walk moves on to the next best question.'));
  return out.join('\n');
}

export function renderRanking(k: Knowledge, d: Diagnosis, s: Style = PLAIN): string {
  const out: string[] = [s.bold('Ranking so far')];
  for (const x of d.diagnoses) out.push(`  ${s.green('concluded')} ${x.title} (${x.cause}) — confidence ${pct(x.confidence)}`);
  for (const c of d.candidates.slice(0, 6)) out.push(`  ${pct(c.likelihood).padStart(4)} ${c.title} (${c.cause})`);
  if (d.ruledOut.length) out.push(`  ruled out: ${d.ruledOut.map((r) => r.cause).join(', ')}`);
  if (!d.diagnoses.length && !d.candidates.length) out.push('  nothing yet');
  void k;
  return out.join('\n');
}

/** The walk's questions and answers, for the Markdown report. */
export function transcriptOf(k: Knowledge, s: Session): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const e of s.entries) {
    for (const f of e.facts) {
      out.push({
        fact: f.fact,
        question: e.kind === 'answer' ? e.label : `Evidence (${e.label}): ${k.facts.get(f.fact)?.question ?? f.fact}`,
        answer: formatValue(k.facts.get(f.fact), f.value),
      });
    }
  }
  return out;
}
