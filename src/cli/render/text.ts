/** The result screen, for terminals and plain-text output. */
import type { Diagnosis, CauseResult } from '../../inference/diagnose.js';
import type { Knowledge } from '../../inference/knowledge.js';
import type { Step } from '../../kb/types.js';
import { PLAIN, type Style } from './style.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function steps(list: readonly Step[], s: Style, indent = '  '): string[] {
  const out: string[] = [];
  list.forEach((st, i) => {
    out.push(`${indent}${i + 1}. ${st.step.trim().replace(/\n/g, `\n${indent}   `)}`);
    for (const c of st.commands ?? []) out.push(`${indent}   ${s.dim(`[${c.platform}]`)} ${s.cyan(c.run)}${c.note ? s.dim(`  — ${c.note}`) : ''}`);
  });
  return out;
}

export function renderCause(k: Knowledge, d: CauseResult, s: Style = PLAIN): string[] {
  const out: string[] = [];
  out.push(`${s.bold(d.title)}  ${s.dim(`(${d.cause})`)}`);
  out.push(`confidence ${pct(d.confidence)} — ${d.summary.trim()}`);
  out.push('');
  out.push(s.bold('How this was concluded'));
  for (const b of d.because) {
    const facts = b.facts.map((f) => {
      const where = f.source.origin === 'evidence' && f.source.text ? `${f.from}: "${f.source.text.trim().slice(0, 120)}"` : f.from;
      return `${f.fact} = ${f.display} (${where})`;
    });
    out.push(`  • ${facts.join('; ')}`);
    out.push(`    → rule ${b.rule} (strength ${b.strength}) → ${d.cause}: ${b.rationale}`);
  }
  const cause = k.causes.get(d.cause);
  if (cause?.explanation) {
    out.push('');
    out.push(s.bold('Why it happens'));
    out.push(...cause.explanation.trim().split('\n').map((l) => `  ${l}`));
  }
  out.push('');
  out.push(s.bold('Remediation'));
  out.push(...steps(d.remediation, s));
  out.push('');
  out.push(s.bold('How you know it is fixed'));
  out.push(...steps(d.verification, s));
  if (d.workarounds.length) {
    out.push('');
    out.push(s.bold('Workarounds (not fixes)'));
    d.workarounds.forEach((w, i) => {
      const tag = w.last_resort ? s.red('[workaround — last resort]') : s.yellow('[workaround]');
      out.push(`  ${i + 1}. ${tag} ${w.step.trim()}`);
      for (const c of w.commands ?? []) out.push(`     ${s.dim(`[${c.platform}]`)} ${s.cyan(c.run)}`);
      if (w.caveat) out.push(`     ${s.dim(`caveat: ${w.caveat.trim()}`)}`);
    });
  }
  return out;
}

export function renderText(k: Knowledge, d: Diagnosis, s: Style = PLAIN): string {
  const out: string[] = [];
  if (d.status === 'diagnosed') {
    const [top, ...others] = d.diagnoses;
    out.push(s.green(s.bold(`Root cause: ${top.title}`)));
    out.push('');
    out.push(...renderCause(k, top, s));
    const runners = [
      ...others.map((o) => `${o.cause} — ${o.title} (confidence ${pct(o.confidence)})`),
      ...d.candidates.slice(0, 3).filter((c) => c.likelihood > 0).map((c) => `${c.cause} — ${c.title} (not concluded; would need: ${c.missing.slice(0, 4).join(', ') || 'more evidence'})`),
    ];
    if (runners.length) {
      out.push('');
      out.push(s.bold('Runners-up'));
      for (const r of runners) out.push(`  - ${r}`);
    }
  } else {
    out.push(s.yellow(s.bold('Inconclusive: no cause is concluded with enough confidence yet.')));
    if (d.diagnoses.length) {
      out.push('');
      out.push(s.bold('Partly supported'));
      for (const x of d.diagnoses) out.push(`  - ${x.cause} — ${x.title} (confidence ${pct(x.confidence)})`);
    }
    if (d.candidates.length) {
      out.push('');
      out.push(s.bold('Leading candidates'));
      for (const c of d.candidates.slice(0, 5)) {
        out.push(`  - ${c.cause} — ${c.title} (${pct(c.likelihood)} of what is still open)`);
        if (c.evidence.length) out.push(`      collect: ${c.evidence.slice(0, 2).join('; ')}`);
      }
    }
    if (d.questions.length) {
      out.push('');
      out.push(s.bold('Answer these next (most useful first)'));
      for (const q of d.questions) {
        const kind = q.type === 'enum' ? ` [${q.choices?.join(' | ')}]` : q.type === 'number' ? ` [number, ${q.unit}]` : ' [yes | no]';
        out.push(`  - ${q.fact}: ${q.prompt}${s.dim(kind)}`);
      }
      out.push(s.dim('  (add them with --fact ID=VALUE or in the answers file, or run "backup-triage start")'));
    }
  }
  if (d.ruledOut.length) {
    out.push('');
    out.push(s.bold('Ruled out'));
    for (const r of d.ruledOut) out.push(`  - ${r.cause}: ${r.because.map((b) => b.rationale).join('; ')}`);
  }
  return out.join('\n');
}
