#!/usr/bin/env node
/**
 * Generates a synthetic knowledge base of realistic shape for benchmarks: 300 facts (booleans, enums,
 * numbers), one cause per 10 rules, rules of 2–6 conditions nested all/any/not. Deterministic (seeded).
 *   node scripts/gen-synthetic-kb.mjs RULES OUT_DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generate(ruleCount, outDir, factCount = 300) {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const facts = [];
  for (let i = 0; i < factCount; i++) {
    const type = i % 3 === 0 ? 'boolean' : i % 3 === 1 ? 'enum' : 'number';
    facts.push({ id: `syn_f${i}`, type });
  }
  const causeCount = Math.max(3, Math.ceil(ruleCount / 10));
  const factLines = ['facts:'];
  for (const f of facts) {
    factLines.push(`  - id: ${f.id}`, `    type: ${f.type}`, `    question: Synthetic question about ${f.id}?`, `    help: Check ${f.id} with the synthetic tool.`);
    if (f.type === 'enum') factLines.push('    choices:', '      - { value: a, label: A }', '      - { value: b, label: B }', '      - { value: c, label: C }');
    if (f.type === 'number') factLines.push('    unit: s', '    min: 0', '    max: 100');
  }
  const causeLines = ['causes:'];
  for (let c = 0; c < causeCount; c++) {
    causeLines.push(
      `  - id: syn-cause-${c}`, `    title: Synthetic cause ${c}`, '    summary: Synthetic.', '    explanation: Synthetic.',
      '    remediation: [{ step: Fix it. }]', '    verification: [{ step: Check it. }]', '    sources: [{ title: synthetic }]',
    );
  }
  const leaf = () => {
    const f = pick(facts);
    if (f.type === 'boolean') return `{ fact: ${f.id}, is: ${rand() < 0.5} }`;
    if (f.type === 'enum') return rand() < 0.7 ? `{ fact: ${f.id}, is: ${pick(['a', 'b', 'c'])} }` : `{ fact: ${f.id}, op: in, value: [a, b] }`;
    return `{ fact: ${f.id}, op: ${pick(['lt', 'ge', 'gt', 'le'])}, value: ${pick([5, 10, 30, 60])} }`;
  };
  // Rules go into files of RULES_PER_FILE, as a site would organise them (and under the 5 MB file limit).
  const RULES_PER_FILE = 5000;
  const ruleFiles = [];
  let ruleLines = ['rules:'];
  for (let r = 0; r < ruleCount; r++) {
    if (r > 0 && r % RULES_PER_FILE === 0) {
      ruleFiles.push(ruleLines);
      ruleLines = ['rules:'];
    }
    const n = 2 + Math.floor(rand() * 5);
    const parts = [];
    let i = 0;
    while (i < n) {
      const roll = rand();
      if (roll < 0.15 && n - i >= 2) {
        parts.push(`{ any: [${leaf()}, ${leaf()}] }`);
        i += 2;
      } else if (roll < 0.25) {
        parts.push(`{ not: ${leaf()} }`);
        i += 1;
      } else {
        parts.push(leaf());
        i += 1;
      }
    }
    ruleLines.push(
      `  - id: syn-rule-${r}`, `    cause: syn-cause-${r % causeCount}`, `    strength: ${pick([0.6, 0.8, 0.9])}`, '    rationale: Synthetic.',
      `    when: { all: [${parts.join(', ')}] }`,
      '    examples:', '      concludes:', `        - facts: { ${facts[0].id}: true }`,
    );
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'facts.yaml'), `${factLines.join('\n')}\n`);
  writeFileSync(join(outDir, 'causes.yaml'), `${causeLines.join('\n')}\n`);
  ruleFiles.push(ruleLines);
  ruleFiles.forEach((lines, i) => writeFileSync(join(outDir, `rules-${String(i).padStart(3, '0')}.yaml`), `${lines.join('\n')}\n`));
  return { facts: factCount, causes: causeCount, rules: ruleCount };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, out] = process.argv.slice(2);
  if (!count || !out) {
    console.error('usage: node scripts/gen-synthetic-kb.mjs RULES OUT_DIR');
    process.exit(2);
  }
  console.log(generate(Number(count), out));
}
