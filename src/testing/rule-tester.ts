/**
 * Runs every rule's own examples through the real inference path, as ESLint's RuleTester runs a rule's
 * valid/invalid cases: a `concludes` example must conclude the rule and make its cause the diagnosis;
 * a near miss must do neither.
 */
import type { Diagnostic } from '../kb/diagnostics.js';
import type { RuleDef, RuleExample } from '../kb/types.js';
import { assemble, evaluateRules } from '../inference/diagnose.js';
import type { FactRecord } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';

export interface ExampleResult {
  rule: RuleDef;
  kind: 'concludes' | 'near_miss';
  example: RuleExample;
  passed: boolean;
  message?: string;
}

export function exampleState(example: RuleExample): Map<string, FactRecord> {
  return new Map(
    Object.entries(example.facts).map(([id, value]) => [id, { value, source: { origin: 'answers-file', file: example.pos.file, line: example.pos.line } }]),
  );
}

export async function checkExample(k: Knowledge, rule: RuleDef, kind: ExampleResult['kind'], example: RuleExample): Promise<ExampleResult> {
  const state = exampleState(example);
  const status = await evaluateRules(k, state);
  const result = assemble(k, state, status, { questions: 0 });
  const top = result.status === 'diagnosed' ? result.diagnoses[0] : undefined;
  const ruleState = status.get(rule.id);
  const fail = (message: string): ExampleResult => ({ rule, kind, example, passed: false, message });
  const describeTop = top ? `top diagnosis is ${top.cause} (${top.confidence})` : `result is inconclusive`;
  if (kind === 'concludes') {
    if (ruleState !== true) return fail(`example does not conclude rule ${rule.id} (it stays ${ruleState === false ? 'ruled out' : 'open'})`);
    if (rule.effect === 'supports' && top?.cause !== rule.cause) return fail(`expected ${rule.cause} to be diagnosed; ${describeTop}`);
    if (rule.effect === 'excludes' && top?.cause === rule.cause) return fail(`expected ${rule.cause} to be ruled out; it is still the diagnosis`);
  } else {
    if (ruleState === true) return fail(`near miss concludes rule ${rule.id}`);
    if (rule.effect === 'supports' && top?.cause === rule.cause) return fail(`near miss makes ${rule.cause} the diagnosis (${top.confidence})`);
  }
  return { rule, kind, example, passed: true };
}

export async function runRuleExamples(k: Knowledge, filter?: (r: RuleDef) => boolean): Promise<ExampleResult[]> {
  const out: ExampleResult[] = [];
  for (const rule of k.kb.rules) {
    if (filter && !filter(rule)) continue;
    for (const ex of rule.concludes) out.push(await checkExample(k, rule, 'concludes', ex));
    for (const ex of rule.near_misses) out.push(await checkExample(k, rule, 'near_miss', ex));
  }
  return out;
}

export function exampleDiagnostics(results: readonly ExampleResult[]): Diagnostic[] {
  return results
    .filter((r) => !r.passed)
    .map((r) => ({
      ...r.example.pos,
      severity: 'error' as const,
      message: `${r.kind === 'concludes' ? 'example' : 'near-miss example'} fails: ${r.message}`,
      code: r.rule.id,
    }));
}
