/** parseYamlText / compileKb on hostile and random text: a result or positioned diagnostics, never a throw or a hang. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_ALIASES, parseYamlText } from '../../src/kb/yaml-source.js';
import { compileKb } from '../../src/kb/compile.js';
import { ROOT } from '../helpers.js';
import { assertPlainData, assertPrototypeClean, CONTROL, fuzz, mutated, yamlSoup } from './fuzz.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function checkOutcome(text: string): ReturnType<typeof parseYamlText> {
  const r = parseYamlText('f.yaml', text);
  assertPrototypeClean();
  if (r.source) {
    expect(r.diagnostics).toEqual([]);
    assertPlainData(r.source.data);
    // Locating any path never throws.
    r.source.locate(['a', 0, 'b']);
    r.source.locateKey(['a']);
  } else {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.file).toBe('f.yaml');
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.message).not.toMatch(CONTROL);
    }
  }
  return r;
}

function hasForbiddenKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasForbiddenKey);
  if (v && typeof v === 'object') return Object.keys(v).some((k) => FORBIDDEN.has(k) || hasForbiddenKey((v as Record<string, unknown>)[k]));
  return false;
}

describe('YAML reading under fuzzing', () => {
  it('arbitrary text (incl. binary and lone surrogates)', () => {
    fuzz('yaml: arbitrary strings', 2000, [fc.string({ unit: 'binary', maxLength: 400 })], (t) => void checkOutcome(t));
  });

  it('YAML token soup (tags, anchors, aliases, prototype keys, directives)', () => {
    fuzz('yaml: token soup', 3000, [yamlSoup(80)], (t) => void checkOutcome(t));
  });

  it('any JSON value survives a YAML round trip, or is refused for a prototype key', () => {
    fuzz('yaml: json round trip', 400, [fc.jsonValue({ maxDepth: 6 })], (v) => {
      const r = checkOutcome(stringify(v));
      if (hasForbiddenKey(v)) expect(r.source).toBeUndefined();
      else expect(r.source?.data).toEqual(v);
    });
  });

  it('alias bombs of any shape are refused or stay small', () => {
    fuzz('yaml: alias bombs', 150, [fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.boolean()], (levels, width, flow) => {
      const lines = [`l0: &l0 [${Array(width).fill('x').join(', ')}]`];
      for (let i = 1; i <= levels; i++) {
        const refs = Array(width).fill(`*l${i - 1}`);
        lines.push(flow ? `l${i}: &l${i} [${refs.join(', ')}]` : `l${i}: &l${i}\n${refs.map((r) => `  - ${r}`).join('\n')}`);
      }
      const r = checkOutcome(lines.join('\n'));
      // yaml weighs each alias by the size of what it expands to, so even small bombs may be refused.
      if (levels * width > MAX_ALIASES) expect(r.source).toBeUndefined();
      if (r.source) expect(JSON.stringify(r.source.data).length).toBeLessThan(1_000_000);
      else expect(r.diagnostics[0].message).toMatch(/alias|resource/i);
    });
  });

  it('deep nesting in every style is refused with a position', () => {
    fuzz('yaml: deep nesting', 20, [fc.integer({ min: 65, max: 30_000 }), fc.constantFrom('flow-seq', 'flow-map', 'block-seq', 'block-map')], (n, style) => {
      const text =
        style === 'flow-seq'
          ? `${'['.repeat(n)}1${']'.repeat(n)}`
          : style === 'flow-map'
            ? `${'{a: '.repeat(n)}1${'}'.repeat(n)}`
            : style === 'block-seq'
              ? `${'- '.repeat(n)}x`
              : Array.from({ length: Math.min(n, 3000) }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
      const r = checkOutcome(text);
      expect(r.source).toBeUndefined();
      expect(r.diagnostics[0].message).toMatch(/nest/);
    });
  });

  const kbFile = 'test/fixtures/mini-kb/kb.yaml';
  const kbText = readFileSync(join(ROOT, kbFile), 'utf8');
  it('mutated knowledge files compile or give positioned diagnostics', () => {
    fuzz('kb: mutated mini KB', 300, [mutated(kbText, 5)], (t) => {
      assertKbOutcome(compileKb([{ file: kbFile, text: t }]));
    });
  });

  const shipped = readFileSync(join(ROOT, 'rules/tcp-states.yaml'), 'utf8');
  it('mutated shipped rule files next to the mini KB compile or give positioned diagnostics', () => {
    fuzz('kb: mutated shipped rules', 150, [mutated(shipped, 4)], (t) => {
      assertKbOutcome(compileKb([{ file: kbFile, text: kbText }, { file: 'rules/tcp-states.yaml', text: t }]));
    });
  });

  it('knowledge files made of token soup', () => {
    fuzz('kb: token soup', 1000, [yamlSoup(60)], (t) => assertKbOutcome(compileKb([{ file: 'soup.yaml', text: `facts:\n  - ${t}` }])));
  });
});

function assertKbOutcome(r: ReturnType<typeof compileKb>): void {
  assertPrototypeClean();
  for (const d of r.diagnostics) {
    expect(typeof d.message).toBe('string');
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning', 'info']).toContain(d.severity);
  }
  if (!r.kb) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}
