/**
 * A fact's applies_when: a product-specific question is not asked once the product is known to be
 * another; rules that need it are out of play for the walk (as after "not sure"), while diagnose still
 * reads it when given. Validation checks the lists, and lint flags examples that contradict them.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/inference/diagnose.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { formatDiagnostic } from '../../src/kb/diagnostics.js';
import { lintKnowledge } from '../../src/kb/lint.js';
import { decide } from '../../src/session/walk-core.js';
import { compileFiles, state } from '../helpers.js';

const product = `  - id: product\n    type: enum\n    question: Which product?\n    help: Pick.\n    choices:\n      - { value: nbu, label: NBU }\n      - { value: other, label: Other }\n`;
const fact = (id: string, extra = '') => `  - id: ${id}\n    type: boolean\n${extra}    question: Is ${id} seen?\n    help: Look for ${id}.\n`;
const cause = (id: string, extra = '') =>
  `  - id: ${id}\n    title: Cause ${id}\n    summary: ${id}.\n    explanation: ${id}.\n${extra}    remediation: [{ step: Fix ${id}. }]\n    verification: [{ step: Check ${id}. }]\n    sources: [{ title: test }]\n`;
const rule = (id: string, c: string, facts: string[], example: string) =>
  `  - id: ${id}\n    cause: ${c}\n    strength: 0.8\n    rationale: ${id}.\n    when:\n      all:\n${facts.map((f) => `        - { fact: ${f}, is: true }`).join('\n')}\n    examples:\n      concludes:\n        - facts: ${example}\n      near_misses:\n        - facts: { product: other, nbu_only: true }\n`;

const kbText = (example = '{ nbu_only: true, shared: true }', presents = '') =>
  `facts:\n${product}${fact('nbu_only', '    applies_when: { product: [nbu] }\n')}${fact('shared')}${fact('general')}causes:\n${cause('nbu-fault', presents)}${cause('general-fault')}rules:\n${[
    rule('nbu-pattern', 'nbu-fault', ['nbu_only', 'shared'], example),
    rule('general-pattern', 'general-fault', ['general'], '{ general: true }'),
  ].join('')}`;

function knowledge(text = kbText()) {
  const r = compileFiles({ 'kb.yaml': text });
  if (!r.kb) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return indexKnowledge(r.kb);
}

describe('applies_when', () => {
  it('asks a product-specific fact while the product is unknown or matches, never once it is another', async () => {
    const k = knowledge();
    const ranked = async (facts: Record<string, string | boolean | null>) => (await decide(k, state(facts))).ranked.map((q) => q.fact);
    expect(await ranked({ shared: true })).toContain('nbu_only');
    expect(await ranked({ shared: true, product: 'nbu' })).toContain('nbu_only');
    const other = await ranked({ shared: true, product: 'other' });
    expect(other).not.toContain('nbu_only');
    // The rule that needs it is out of play, as after "not sure": its other facts are not asked for it.
    expect(await ranked({ product: 'other' })).not.toContain('shared');
    expect(await ranked({ nbu_only: null })).not.toContain('shared');
    expect(await ranked({ product: 'other' })).toContain('general');
  });

  it('leaves diagnose alone: a given fact is read whatever the product', async () => {
    const k = knowledge();
    const d = await diagnose(k, state({ product: 'other', nbu_only: true, shared: true }));
    expect(d.status).toBe('diagnosed');
    expect(d.diagnoses[0].cause).toBe('nbu-fault');
  });

  it('is validated like presents_with, at the entry', () => {
    const bad = kbText().replace('    applies_when: { product: [nbu] }\n', '    applies_when: { product: [nbu, other], shared: [maybe], nbu_only: [true] }\n');
    const out = compileFiles({ 'kb.yaml': bad }).diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      'kb.yaml:11:30: error: fact "nbu_only": applies_when lists every answer of "product", which says nothing; list only the applicable ones or drop "product" (nbu_only)',
      'kb.yaml:11:52: error: fact "nbu_only" applies_when: fact "shared" is yes/no; got "maybe" (use yes, no or unknown) (nbu_only)',
      'kb.yaml:11:71: error: fact "nbu_only": applies_when names the fact itself (nbu_only)',
    ]);
  });

  it('lint flags an example that gives a fact where it does not apply, or a symptom its cause does not list', () => {
    const k = knowledge(kbText('{ product: other, nbu_only: true, shared: true, general: false }', '    presents_with: { general: [true] }\n'));
    const warnings = lintKnowledge(k).map(formatDiagnostic);
    expect(warnings).toContainEqual(expect.stringMatching(/warning: example of rule "nbu-pattern" gives "nbu_only", which applies only when product nbu \(nbu-pattern\)$/));
    expect(warnings).toContainEqual(expect.stringMatching(/warning: example of rule "nbu-pattern" gives general "false", which cause "nbu-fault" does not list in presents_with; add it there if it is usual \(nbu-pattern\)$/));
    // Near misses may pair the fact with another product on purpose: no warning for them.
    expect(warnings.filter((w) => w.includes('applies only when'))).toHaveLength(1);
    expect(lintKnowledge(knowledge()).filter((d) => /applies only when|presents_with/.test(d.message))).toEqual([]);
    // An excluding rule that rules the cause out for an answer presents_with calls usual.
    const clash = `${kbText('{ nbu_only: true, shared: true }', '    presents_with: { general: [true] }\n')}  - id: general-rules-out\n    cause: nbu-fault\n    effect: excludes\n    strength: 0.9\n    rationale: r.\n    when: { fact: general, is: true }\n    examples:\n      concludes:\n        - facts: { general: true }\n`;
    expect(lintKnowledge(knowledge(clash)).map(formatDiagnostic)).toContainEqual(
      expect.stringMatching(/warning: rule "general-rules-out" rules "nbu-fault" out for general "true", which the cause's presents_with calls usual \(general-rules-out\)$/),
    );
  });
});
