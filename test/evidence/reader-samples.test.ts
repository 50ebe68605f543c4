/**
 * Every reader and combiner checked against its own metadata, as ESLint's tester checks a rule's messageIds:
 * it has samples, each sample gives what it says, nothing it emits is undeclared, and it has its own test file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMBINERS, combineInput } from '../../src/evidence/combiners/index.js';
import { PARSERS } from '../../src/evidence/parsers/index.js';
import { declarationOf, type Observation } from '../../src/evidence/parsers/types.js';
import { readTextWith } from '../../src/evidence/run-text.js';
import type { FactValue } from '../../src/kb/types.js';

const SRC = join(import.meta.dirname, '..', '..', 'src', 'evidence', 'parsers');
const TESTS = join(import.meta.dirname, 'parsers');

function expectYields(got: Observation[], yields: Record<string, FactValue>, never: string[] = []): void {
  const byKey = new Map(got.map((o) => [o.key, o.value]));
  for (const [key, want] of Object.entries(yields)) {
    expect(byKey.has(key), `observation ${key} missing; got ${[...byKey.keys()].join(', ') || 'nothing'}`).toBe(true);
    const v = byKey.get(key);
    if (typeof want === 'number' && typeof v === 'number') expect(v, key).toBeCloseTo(want, 1);
    else expect(v, key).toEqual(want);
  }
  for (const k of never) {
    const hit = got.find((o) => (k.endsWith('.') ? o.key.startsWith(k) : o.key === k));
    expect(hit, `must not emit ${k}`).toBeUndefined();
  }
}

describe('every reader', () => {
  it('is registered once per module, and has a test file of its own', () => {
    const modules = readdirSync(SRC).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts').map((f) => f.slice(0, -3));
    expect(modules.sort()).toEqual(PARSERS.map((p) => p.kind).sort());
    for (const m of modules) expect(existsSync(join(TESTS, `${m}.test.ts`)), `test/evidence/parsers/${m}.test.ts`).toBe(true);
  });
  for (const def of PARSERS) {
    describe(def.kind, () => {
      it('declares what it emits, with a meaning for each', () => {
        expect(Object.keys(def.emits).length).toBeGreaterThan(0);
        for (const [k, d] of Object.entries(def.emits)) {
          expect(d.meaning.length, k).toBeGreaterThan(5);
          if (d.type === 'string') expect(d.values?.length ?? 0, `${k}: string observations list their values`).toBeGreaterThan(0);
        }
      });
      it('has samples', () => expect(def.samples.length).toBeGreaterThan(0));
      for (const s of def.samples) {
        it(`sample: ${s.name}`, () => {
          const { observations } = readTextWith(def, s.input);
          for (const o of observations) expect(declarationOf(def.emits, o.key), `undeclared observation ${o.key}`).toBeDefined();
          expectYields(observations, s.yields, s.never);
        });
      }
    });
  }
});

describe('every combiner', () => {
  for (const c of COMBINERS) {
    describe(c.id, () => {
      it('has samples and declares what it emits', () => {
        expect(c.samples.length).toBeGreaterThan(0);
        expect(Object.keys(c.emits).length).toBeGreaterThan(0);
      });
      for (const s of c.samples) {
        it(`sample: ${s.name}`, () => {
          const got = c.combine(combineInput(s.input), () => {});
          for (const o of got) expect(declarationOf(c.emits, o.key), `undeclared observation ${o.key}`).toBeDefined();
          expectYields(got, s.yields);
        });
      }
    });
  }
});
