/** `backup-triage validate [PATH ...]` — every schema, semantic and example error at once. */
import { EXIT } from '../../errors.js';
import { parse } from '../args.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../kb/diagnostics.js';
import { compileSources, siteRuleDirs } from '../../kb/load.js';
import { indexKnowledge } from '../../inference/knowledge.js';
import { exampleDiagnostics, runRuleExamples } from '../../testing/rule-tester.js';
import { lintKnowledge } from '../../kb/lint.js';
import { declaredObservations } from '../../evidence/catalog.js';

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('validate', args, { strict: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } }, true);
  const siteDirs = siteRuleDirs([...(values.rules ?? []), ...positionals]);
  const result = compileSources({ siteDirs, observations: declaredObservations() });
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  let rules = 0;
  if (result.kb) {
    const k = indexKnowledge(result.kb);
    rules = k.kb.rules.length;
    diagnostics.push(...exampleDiagnostics(await runRuleExamples(k)));
    diagnostics.push(...lintKnowledge(k));
  }
  const sorted = sortDiagnostics(diagnostics);
  for (const d of sorted) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  if (!values.quiet || errors) {
    process.stderr.write(
      `${errors ? 'invalid' : 'valid'}: ${result.kb ? `${result.kb.causes.length} causes, ${result.kb.facts.length} facts, ${rules} rules; ` : ''}${errors} error(s), ${warnings} warning(s)\n`,
    );
  }
  if (errors) return EXIT.usage;
  if (warnings && values.strict) return EXIT.failed;
  return EXIT.ok;
}
