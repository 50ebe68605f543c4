/** `backup-triage test [PATH ...] [--coverage]` — run every rule's examples; print "N passed, N failed". */
import { EXIT, UserError } from '../../errors.js';
import { parse } from '../args.js';
import { formatDiagnostic } from '../../kb/diagnostics.js';
import { loadKnowledge } from '../context.js';
import { exampleDiagnostics, runRuleExamples } from '../../testing/rule-tester.js';
import { coverage, MIN_NEAR_MISSES, MIN_POSITIVES } from '../../testing/coverage.js';

export async function testCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('test', args, { coverage: { type: 'boolean' }, rule: { type: 'string' } }, true);
  const k = await loadKnowledge([...(values.rules ?? []), ...positionals]);
  if (values.rule && !k.rules.has(values.rule)) throw new UserError(`no rule named "${values.rule}"`);
  const results = await runRuleExamples(k, values.rule ? (r) => r.id === values.rule : undefined);
  for (const d of exampleDiagnostics(results)) process.stdout.write(`${formatDiagnostic(d)}\n`);
  const failed = results.filter((r) => !r.passed).length;
  let coverageFailed = false;
  if (values.coverage) {
    const rows = coverage(k);
    process.stdout.write(`\ncoverage (need ≥ ${MIN_POSITIVES} positive and ≥ ${MIN_NEAR_MISSES} near-miss example per cause)\n`);
    const w = Math.max(...rows.map((r) => r.cause.length));
    for (const r of rows) {
      const flag = r.ok ? 'ok ' : 'LOW';
      process.stdout.write(`${flag} ${r.cause.padEnd(w)}  rules ${String(r.rules.length).padStart(2)}  positives ${String(r.positives).padStart(2)}  near-misses ${String(r.nearMisses).padStart(2)}  ${r.rules.join(', ')}\n`);
    }
    coverageFailed = rows.some((r) => !r.ok);
  }
  process.stdout.write(`\nrule examples: ${results.length - failed} passed, ${failed} failed\n`);
  return failed || coverageFailed ? EXIT.failed : EXIT.ok;
}
