/** `backup-triage evidence FILE...`: what was recognised in each file and which facts it yields. */
import { parse, oneOf } from '../cli/args.js';
import { loadKnowledge } from '../cli/context.js';
import { UserError } from '../errors.js';
import { formatValue } from '../inference/facts.js';
import { readEvidenceFiles } from './read.js';

const USAGE = `usage: backup-triage evidence [--format text|json] [--no-redact] [--rules DIR] FILE|KIND:FILE|- ...`;

export async function evidenceReport(args: string[]): Promise<number> {
  const { values, positionals } = parse('evidence', args, { format: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(`${USAGE}\n\nReads logs and command output, shows what kind each input is, what was observed and which facts it sets.\nForce a kind with KIND:FILE (e.g. netstat:out.txt); "-" reads stdin. Secrets are masked unless --no-redact.\n`);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  if (!positionals.length) throw new UserError(`evidence: give at least one file (${USAGE})`);
  const k = await loadKnowledge(values.rules);
  const result = await readEvidenceFiles(k, positionals, { redact: !values['no-redact'] });
  if (format === 'json') {
    const doc = {
      files: result.findings.map((f) => ({
        file: f.file,
        kinds: f.kinds,
        ...(f.forced ? { forced: f.forced } : {}),
        ...(f.encoding ? { encoding: f.encoding } : {}),
        lines: f.lines,
        bytes: f.bytes,
        ...(f.skipped ? { skipped: f.skipped } : {}),
        observations: f.observations,
        signatures: f.signatures,
        facts: f.facts,
        unknown_facts: f.unknownFacts,
        withheld: f.withheld,
      })),
      facts: Object.fromEntries([...result.facts].map(([id, r]) => [id, { value: r.value, source: r.source }])),
      warnings: result.warnings,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const f of result.findings) {
    const what = f.kinds.length ? f.kinds.join(', ') : 'unrecognised';
    out.push(`${f.file}: ${f.skipped ? `skipped — ${f.skipped}` : `${what}${f.forced ? ' (forced)' : ''}; ${f.lines} lines${f.encoding && f.encoding !== 'utf-8' ? `, ${f.encoding}` : ''}`}`);
    for (const o of f.observations) out.push(`  observed ${o.key} = ${String(o.value)}${o.line ? `  (line ${o.line})` : ''}`);
    for (const h of f.signatures) out.push(`  matched ${h.id} ×${h.count}  line ${h.line}: ${h.text.trim()}`);
    for (const ff of f.facts) {
      const def = k.facts.get(ff.fact);
      out.push(`  → ${ff.fact} = ${formatValue(def, ff.value)}  because ${f.file}${ff.line ? `:${ff.line}` : ''}${ff.text ? ` "${ff.text.trim()}"` : ''}`);
    }
    for (const w of f.withheld) out.push(`  not concluded: ${w.about} — ${w.why}${w.line ? `  (line ${w.line})` : ''}`);
    for (const ff of f.unknownFacts) out.push(`  (would set ${ff.fact} = ${String(ff.value)}, but the knowledge base has no such fact)`);
  }
  if (result.facts.size) {
    out.push('', `facts from evidence (${result.facts.size}):`);
    for (const [id, r] of result.facts) out.push(`  ${id} = ${formatValue(k.facts.get(id), r.value)}  (${r.source.file}${r.source.line ? `:${r.source.line}` : ''})`);
  } else out.push('', 'no facts from this evidence');
  for (const w of result.warnings) out.push(`warning: ${w}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
