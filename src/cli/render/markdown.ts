/** A Markdown report for a ticket: the transcript (when there is one), the diagnosis, how and what to do. */
import type { Diagnosis } from '../../inference/diagnose.js';
import { formatValue } from '../../inference/facts.js';
import type { Knowledge } from '../../inference/knowledge.js';
import type { Step } from '../../kb/types.js';

export interface TranscriptEntry {
  fact: string;
  question: string;
  answer: string;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function mdSteps(list: readonly Step[]): string[] {
  const out: string[] = [];
  list.forEach((st, i) => {
    out.push(`${i + 1}. ${st.step.trim().replace(/\n/g, '\n   ')}`);
    for (const c of st.commands ?? []) out.push(`   - ${c.platform}: \`${c.run.replace(/`/g, "'")}\``);
  });
  return out;
}

export function renderMarkdown(k: Knowledge, d: Diagnosis, transcript: readonly TranscriptEntry[]): string {
  const out: string[] = ['# backup-triage report', ''];
  if (transcript.length) {
    out.push('## Questions and answers', '');
    transcript.forEach((t, i) => out.push(`${i + 1}. **${t.question.trim()}** — ${t.answer} \`(${t.fact})\``));
    out.push('');
  }
  const facts = Object.entries(d.facts);
  if (facts.length) {
    out.push('## Facts', '', '| fact | value | source |', '|---|---|---|');
    for (const [id, f] of facts) {
      const src = f.source.file ? `${f.source.origin} ${f.source.file}${f.source.line ? `:${f.source.line}` : ''}` : f.source.origin;
      out.push(`| ${id} | ${formatValue(k.facts.get(id), f.value)} | ${src} |`);
    }
    out.push('');
  }
  if (d.status === 'diagnosed') {
    const top = d.diagnoses[0];
    out.push(`## Diagnosis: ${top.title}`, '', `Cause id \`${top.cause}\`, confidence ${pct(top.confidence)}.`, '', top.summary.trim(), '');
    out.push('### How it was concluded', '');
    for (const b of top.because) out.push(`- ${b.text}`);
    const expl = k.causes.get(top.cause)?.explanation;
    if (expl) out.push('', '### Why it happens', '', expl.trim());
    out.push('', '### Remediation', '', ...mdSteps(top.remediation), '', '### Verification', '', ...mdSteps(top.verification));
    if (top.workarounds.length) {
      out.push('', '### Workarounds (not fixes)', '');
      top.workarounds.forEach((w, i) =>
        out.push(`${i + 1}. ${w.last_resort ? '**Last resort:** ' : '**Workaround:** '}${w.step.trim()}${w.caveat ? ` _(${w.caveat.trim()})_` : ''}`),
      );
    }
    const others = d.diagnoses.slice(1);
    if (others.length || d.candidates.length) {
      out.push('', '### Runners-up', '');
      for (const o of others) out.push(`- \`${o.cause}\` ${o.title} — confidence ${pct(o.confidence)}`);
      for (const c of d.candidates.slice(0, 3)) out.push(`- \`${c.cause}\` ${c.title} — not concluded; would need: ${c.missing.slice(0, 4).join(', ')}`);
    }
  } else {
    out.push('## Inconclusive', '', 'No cause is concluded with enough confidence.', '');
    if (d.candidates.length) {
      out.push('### Leading candidates', '');
      for (const c of d.candidates.slice(0, 5)) out.push(`- \`${c.cause}\` ${c.title} (${pct(c.likelihood)})${c.evidence.length ? ` — collect: ${c.evidence.join('; ')}` : ''}`);
      out.push('');
    }
    if (d.questions.length) {
      out.push('### Next questions', '');
      for (const q of d.questions) out.push(`- \`${q.fact}\`: ${q.prompt}`);
    }
  }
  return `${out.join('\n')}\n`;
}
