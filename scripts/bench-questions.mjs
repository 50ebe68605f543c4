#!/usr/bin/env node
/**
 * Question benchmark: how many questions the guided walk needs, and whether it lands on the right cause.
 *
 * Cases: every scenario in test/scenarios/*.yaml ({name, seed, expect: <cause-id>|inconclusive, facts})
 * and every `concludes` example of a supporting rule (expected: the rule's cause). A simulated user answers
 * from the case's facts and says "not sure" to anything the case does not state. The walk is the real one:
 * dist/session/walk-core.js, the decision loop `backup-triage start` runs.
 *
 * Compared with (a) asking in fixed rule order (first still-relevant fact in the order facts appear in the
 * rules, same stopping rule) and (b) log2(number of causes). Target: mean ≤ 1.5 × log2(#causes).
 * Also: "oracle" = diagnose with all of the case's facts at once; a case the oracle gets wrong is a KB or
 * scenario problem, not a walk problem.
 *
 * usage: node scripts/bench-questions.mjs [--rules DIR]... [--kb DIR] [--scenarios DIR] [--json] [--verbose] [--strict]
 *   --kb DIR     benchmark only the knowledge in DIR (not the shipped KB), e.g. test/fixtures/mini-kb
 *   --strict     exit 1 when a case fails or the target is missed
 * Needs a build (npm run build).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
if (!existsSync(join(ROOT, 'dist/session/walk-core.js'))) {
  process.stderr.write('bench-questions: not built yet: run "npm run build"\n');
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    rules: { type: 'string', multiple: true },
    kb: { type: 'string' },
    scenarios: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    strict: { type: 'boolean' },
  },
});

const { simulate, conclude, outcomeOf } = await import(dist('session/walk-core.js'));
const { coerceFactValue } = await import(dist('inference/facts.js'));
const { indexKnowledge } = await import(dist('inference/knowledge.js'));
const { loadKnowledge } = await import(dist('cli/context.js'));
const { listYamlFiles, readKbFiles } = await import(dist('kb/load.js'));
const { compileKb } = await import(dist('kb/compile.js'));
const YAML = (await import('yaml')).default;

async function knowledge() {
  if (!values.kb) return await loadKnowledge(values.rules ?? []);
  const files = readKbFiles(listYamlFiles(resolve(values.kb)), (p) => relative(process.cwd(), p));
  const r = compileKb(files);
  if (!r.kb) {
    const e = r.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`${values.kb}: ${e.file}:${e.line}: ${e.message}`);
  }
  return indexKnowledge(r.kb);
}

const k = await knowledge();

/** Scenario files hold one scenario, a list, or {scenarios: [...]}. */
function loadScenarios() {
  const dir = resolve(values.scenarios ?? join(ROOT, 'test/scenarios'));
  if (!existsSync(dir)) return { cases: [], problems: [] };
  const cases = [];
  const problems = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
    const file = join(dir, name);
    let doc;
    try {
      doc = YAML.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${name}: not valid YAML: ${e.message.split('\n')[0]}`);
      continue;
    }
    const list = Array.isArray(doc) ? doc : Array.isArray(doc?.scenarios) ? doc.scenarios : [doc];
    list.forEach((sc, i) => {
      const id = sc?.name ?? `${name}#${i + 1}`;
      if (!sc || typeof sc !== 'object' || typeof sc.expect !== 'string' || typeof sc.facts !== 'object' || sc.facts === null) {
        problems.push(`${name}: scenario ${id} needs expect and facts`);
        return;
      }
      cases.push({ kind: 'scenario', name: String(id), seed: sc.seed, file: name, expect: sc.expect, facts: sc.facts });
    });
  }
  return { cases, problems };
}

function ruleExampleCases() {
  const out = [];
  for (const r of k.kb.rules) {
    if (r.effect !== 'supports') continue;
    r.concludes.forEach((ex, i) => out.push({ kind: 'example', name: `${r.id}#${i + 1}`, expect: r.cause, facts: ex.facts }));
  }
  return out;
}

/** The case's facts as the KB reads them; unknown facts or bad values make the case invalid. */
function truthOf(c) {
  const truth = {};
  const errors = [];
  for (const [id, raw] of Object.entries(c.facts)) {
    const f = k.facts.get(id);
    if (!f) {
      errors.push(`unknown fact ${id}`);
      continue;
    }
    try {
      const v = coerceFactValue(f, raw);
      if (v !== null) truth[id] = v;
    } catch (e) {
      errors.push(e.message);
    }
  }
  if (c.expect !== 'inconclusive' && !k.causes.has(c.expect)) errors.push(`unknown cause ${c.expect}`);
  return { truth, errors };
}

/** Stopping where the walk first offers a diagnosis (the user takes it) instead of confirming it. */
const early = (sim) => (sim.firstDiagnosed ? { got: sim.firstDiagnosed.cause, questions: sim.firstDiagnosed.questions } : { got: sim.got, questions: sim.questions });

const quantile = (xs, q) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

const { cases: scenarios, problems } = loadScenarios();
const cases = [...scenarios, ...ruleExampleCases()];
const results = [];
for (const c of cases) {
  const { truth, errors } = truthOf(c);
  if (errors.length) {
    results.push({ ...c, invalid: errors.join('; ') });
    continue;
  }
  const eig = await simulate(k, truth, { strategy: 'eig' });
  const fixed = await simulate(k, truth, { strategy: 'fixed' });
  const oracleState = new Map(Object.entries(truth).map(([f, v]) => [f, { value: v, source: { origin: 'answer' } }]));
  const oracle = outcomeOf(await conclude(k, oracleState));
  results.push({
    ...c,
    eig: { got: eig.got, ok: eig.got === c.expect, questions: eig.questions, asked: eig.asked, stepMs: eig.stepMs },
    eigEarly: { ...early(eig), ok: early(eig).got === c.expect },
    fixed: { got: fixed.got, ok: fixed.got === c.expect, questions: fixed.questions },
    fixedEarly: { ...early(fixed), ok: early(fixed).got === c.expect },
    oracle: { got: oracle, ok: oracle === c.expect },
  });
}

const valid = results.filter((r) => !r.invalid);
const nCauses = k.kb.causes.length;
const log2 = nCauses > 1 ? Math.log2(nCauses) : 0;
const steps = valid.flatMap((r) => r.eig.stepMs);
const stats = (key) => ({
  accuracy: valid.length ? valid.filter((r) => r[key].ok).length / valid.length : 0,
  mean: mean(valid.map((r) => r[key].questions)),
  max: Math.max(0, ...valid.map((r) => r[key].questions)),
});
const summary = {
  kb: { causes: nCauses, rules: k.kb.rules.length, facts: k.kb.facts.length },
  cases: { total: results.length, scenarios: scenarios.length, examples: results.length - scenarios.length, invalid: results.length - valid.length },
  eig: stats('eig'),
  eigEarly: stats('eigEarly'),
  fixed: stats('fixed'),
  fixedEarly: stats('fixedEarly'),
  oracle: { accuracy: valid.length ? valid.filter((r) => r.oracle.ok).length / valid.length : 0 },
  log2Causes: log2,
  target: 1.5 * log2,
  latencyMs: { median: quantile(steps, 0.5), p95: quantile(steps, 0.95), max: Math.max(0, ...steps), steps: steps.length },
};
summary.targetMet = valid.length > 0 && summary.eig.mean <= summary.target + 1e-9;
summary.targetMetEarly = valid.length > 0 && summary.eigEarly.mean <= summary.target + 1e-9;
const failures = results.filter((r) => r.invalid || !r.eig.ok || !r.eigEarly.ok);
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

if (values.json) {
  process.stdout.write(`${JSON.stringify({ summary, problems, failures: failures.map(({ eig, ...r }) => ({ ...r, eig: eig && { ...eig, stepMs: undefined } })) }, null, 2)}\n`);
} else {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const f2 = (x) => x.toFixed(2);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const out = [];
  out.push(`KB: ${nCauses} causes, ${k.kb.rules.length} rules, ${k.kb.facts.length} facts`);
  out.push(`cases: ${results.length} (${scenarios.length} scenarios, ${results.length - scenarios.length} rule examples${summary.cases.invalid ? `, ${summary.cases.invalid} invalid` : ''})`);
  out.push('');
  const row = (name, a, b) => line([name, pct(a.accuracy), f2(a.mean), String(a.max), pct(b.accuracy), f2(b.mean), String(b.max)]);
  out.push(line(['strategy', 'accuracy', 'mean q', 'max q', 'accuracy at 1st diagnosis', 'mean q to 1st diagnosis', 'max q']));
  out.push(line(['---', '---', '---', '---', '---', '---', '---']));
  out.push(row('walk (expected information gain)', summary.eig, summary.eigEarly));
  out.push(row('(a) fixed rule order', summary.fixed, summary.fixedEarly));
  out.push(line(['(b) log2(#causes)', '', f2(log2), '', '', f2(log2), '']));
  out.push(line(['target 1.5 × log2(#causes)', '', f2(summary.target), '', '', f2(summary.target), '']));
  out.push(line(['oracle (all case facts at once)', pct(summary.oracle.accuracy), '', '', '', '', '']));
  out.push('');
  out.push('"mean q" runs to the walk\'s stop (diagnosed and nothing can overturn it, or no question left);');
  out.push('"to 1st diagnosis" stops where the walk first offers the result (the user takes it).');
  out.push(`target mean ≤ ${f2(summary.target)}: to the stop ${summary.targetMet ? 'met' : 'NOT met'} (${f2(summary.eig.mean)}); to 1st diagnosis ${summary.targetMetEarly ? 'met' : 'NOT met'} (${f2(summary.eigEarly.mean)})`);
  out.push(`next-question latency per step: median ${f2(summary.latencyMs.median)} ms, p95 ${f2(summary.latencyMs.p95)} ms, max ${f2(summary.latencyMs.max)} ms over ${steps.length} steps`);
  if (problems.length) {
    out.push('', 'scenario file problems:');
    for (const p of problems) out.push(`  - ${p}`);
  }
  if (failures.length) {
    out.push('', `failing cases (${failures.length}):`);
    for (const r of failures) {
      const where = r.kind === 'scenario' ? `scenario ${r.name}${r.seed ? ` (seed ${r.seed})` : ''} [${r.file}]` : `rule example ${r.name}`;
      if (r.invalid) out.push(`  - ${where}: invalid case: ${r.invalid}`);
      else
        out.push(
          `  - ${where}: expected ${r.expect}, walk got ${r.eig.got} after ${r.eig.questions} question(s) (at 1st diagnosis: ${r.eigEarly.got} after ${r.eigEarly.questions})${r.oracle.ok ? ' — oracle is right: a walk problem' : ` — oracle also gets ${r.oracle.got}: a KB/scenario problem`}; asked: ${r.eig.asked.join(', ') || '(none)'}`,
        );
    }
  }
  if (values.verbose) {
    out.push('', 'all cases:');
    for (const r of valid)
      out.push(`  ${r.eig.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.eig.questions} q (1st diagnosis ${r.eigEarly.questions} → ${r.eigEarly.got}; fixed ${r.fixed.questions}) → ${r.eig.got}; ${r.eig.asked.join(' → ')}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exitCode = values.strict && (failures.length || !summary.targetMet) ? 1 : 0;
