/** `backup-triage show ID` — one cause, fact or rule in full. */
import { EXIT, UserError } from '../../errors.js';
import { parse } from '../args.js';
import { loadKnowledge } from '../context.js';
import { OPERATOR_WORDS } from '../../inference/operators.js';
import type { Condition } from '../../kb/types.js';
import { isLeaf } from '../../inference/conditions.js';
import { style } from '../render/style.js';

export function describeCondition(c: Condition, indent = ''): string[] {
  if (isLeaf(c)) {
    const v = Array.isArray(c.value) ? `[${c.value.join(', ')}]` : String(c.value);
    return [`${indent}${c.fact} ${OPERATOR_WORDS[c.op]} ${v}`];
  }
  if ('all' in c) return [`${indent}all of:`, ...c.all.flatMap((s) => describeCondition(s, `${indent}  `))];
  if ('any' in c) return [`${indent}any of:`, ...c.any.flatMap((s) => describeCondition(s, `${indent}  `))];
  return [`${indent}not:`, ...describeCondition(c.not, `${indent}  `)];
}

export async function showCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('show', args, {}, true);
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UserError('show needs one cause, fact or rule id (see "backup-triage list causes")');
  const k = await loadKnowledge(values.rules);
  const s = style(process.stdout);
  const out: string[] = [];
  const cause = k.causes.get(id);
  const fact = k.facts.get(id);
  const rule = k.rules.get(id);
  if (cause) {
    out.push(s.bold(`${cause.title}`) + `  (${cause.id})`, '', cause.summary.trim(), '', cause.explanation.trim(), '');
    out.push(s.bold('Remediation'));
    cause.remediation.forEach((st, i) => {
      out.push(`  ${i + 1}. ${st.step.trim()}`);
      for (const c of st.commands ?? []) out.push(`     [${c.platform}] ${c.run}`);
    });
    out.push(s.bold('Verification'));
    cause.verification.forEach((st, i) => {
      out.push(`  ${i + 1}. ${st.step.trim()}`);
      for (const c of st.commands ?? []) out.push(`     [${c.platform}] ${c.run}`);
    });
    for (const w of cause.workarounds ?? []) out.push(`  ${w.last_resort ? '[last resort]' : '[workaround]'} ${w.step.trim()}`);
    out.push(s.bold('Rules'));
    for (const r of [...(k.supportsByCause.get(id) ?? []), ...(k.excludesByCause.get(id) ?? [])]) {
      out.push(`  ${r.id} (${r.effect}, ${r.strength}): ${r.rationale}`);
    }
    out.push(s.bold('Sources'));
    for (const src of cause.sources) out.push(`  ${src.seed ? `[seed ${src.seed}] ` : ''}${src.title}${src.ref ? ` — ${src.ref}` : ''}`);
  } else if (fact) {
    out.push(s.bold(fact.id) + ` [${fact.type}${fact.unit ? `, ${fact.unit}` : ''}]`, fact.question.trim(), '');
    if (fact.choices) out.push('choices:', ...fact.choices.map((c) => `  ${c.value}: ${c.label}`));
    if (fact.help) out.push('how to check:', ...fact.help.trim().split('\n').map((l) => `  ${l}`));
    for (const c of fact.checks ?? []) out.push(`  [${c.platform}] ${c.run}`);
    out.push('used by rules:', ...(k.rulesByFact.get(id) ?? []).map((r) => `  ${r.id} → ${r.cause}`));
  } else if (rule) {
    out.push(s.bold(rule.id) + ` → ${rule.cause} (${rule.effect}, strength ${rule.strength})`, rule.rationale, '', 'when:');
    out.push(...describeCondition(rule.when, '  '));
    out.push(`defined at ${rule.pos.file}:${rule.pos.line}`);
  } else {
    throw new UserError(`no cause, fact or rule named "${id}" (see "backup-triage list causes|facts|rules")`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
