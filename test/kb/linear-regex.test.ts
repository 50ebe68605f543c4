/**
 * Signature patterns on the linear-time engine: case-insensitive patterns are rewritten with both cases
 * spelt out; the rewrite must match exactly what the `i` flag matches. Checked by differential fuzzing
 * against the default engine (LINEAR_RUNS=N and LINEAR_SEED=S run more or other cases), plus the shipped
 * signatures and hand-picked cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandCounts, linearEngineAvailable, linearProblem, linearRegExp, spellBothCases } from '../../src/kb/linear-regex.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources } from '../../src/kb/load.js';
import { ROOT } from '../helpers.js';

describe('linear-time signature patterns', () => {
  it('the engine is available on this Node', () => {
    expect(linearEngineAvailable()).toBe(true);
  });

  it('spells both cases out, leaving escapes, quantifier bounds and group names alone', () => {
    expect(spellBothCases('Status 25')).toBe('[Ss][tT][aA][tT][uU][sS] 25');
    expect(spellBothCases(String.raw`\bconnect\s+\d{1,3}`)).toBe(String.raw`\b[cC][oO][nN][nN][eE][cC][tT]\s+\d{1,3}`);
    expect(spellBothCases('(?<code>x)')).toBe('(?<code>[xX])');
    expect(spellBothCases('[a-c_]')).toBe('[a-c_ABC]');
    expect(spellBothCases('[^Q]')).toBe('[^Qq]');
    expect(spellBothCases(String.raw`\x41`)).toBe('[Aa]');
  });

  it('refuses what cannot run in linear time, with a message for the author', () => {
    expect(linearProblem(String.raw`(a)\1`, '')).toMatch(/linear time/);
    expect(linearProblem('(?<=x)y', '')).toMatch(/lookahead\/lookbehind/);
    expect(linearProblem('status (\\d+)', 'i')).toBeUndefined();
  });

  it("counted repetition beyond the engine's bound is rewritten as runs that match the same text", () => {
    expect(expandCounts('[0-9a-f-]{36}')).toBe('[0-9a-f-]{16}[0-9a-f-]{16}[0-9a-f-]{4}');
    expect(expandCounts('x{20,}')).toBe('x{16}x{4}x*');
    expect(expandCounts('(?:ab){2,40}')).toBe('(?:ab){2}(?:ab){0,16}(?:ab){0,16}(?:ab){0,6}');
    expect(expandCounts(String.raw`\d{3}`)).toBe(String.raw`\d{3}`);
    expect(linearProblem('(a){20}', '')).toMatch(/non-capturing/);
    const uuid = linearRegExp('Volume [0-9a-fA-F-]{36} could not be found', '');
    expect(uuid.test('Volume 0c4a1d2e-8a9b-4c3d-9e8f-1a2b3c4d5e6f could not be found')).toBe(true);
    expect(uuid.test('Volume 0c4a1d2e-8a9b-4c3d could not be found')).toBe(false);
  });

  it('a pattern that backtracks catastrophically on the default engine runs at once', () => {
    const re = linearRegExp('(a+)+$', '');
    const line = `${'a'.repeat(16_000)}!`;
    expect(re.test(line)).toBe(false);
  });

  it('every shipped signature compiles for the linear engine and matches the same fixture lines as before', () => {
    const kb = compileSources().kb!;
    const dir = join(ROOT, 'test/fixtures/evidence');
    const lines = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.bin'))
      .flatMap((e) => readFileSync(join(e.parentPath ?? e.path, e.name), 'latin1').split(/\r?\n/));
    expect(lines.length).toBeGreaterThan(200);
    let hits = 0;
    for (const s of kb.signatures) {
      const lin = linearRegExp(s.pattern, s.flags ?? '');
      const old = new RegExp(s.pattern, s.flags ?? '');
      for (const line of lines) {
        const want = old.test(line);
        expect(lin.test(line), `${s.id}: ${line}`).toBe(want);
        if (want) hits++;
      }
    }
    expect(hits).toBeGreaterThan(10);
  });

  it('the rewrite matches exactly what the i flag (and large counts) match on the default engine (differential)', () => {
    const atoms = ['a', 'A', 'b', 'Z', 'k', 'é', 'É', 'ß', 'ſ', 'K', '0', '_', '-', ' ', '.', '\\d', '\\w', '\\s', '\\b', '\\x41', '\\u0062', '[a-c]', '[^b]', '[A-Z0-9]', '[_k-m]', '[é]', '(?:a|B)', '(x|Y)', '(?<n>q)', '(?:ab)'];
    const quants = ['', '', '', '*', '+', '?', '{1,2}', '{17}', '{0,20}', '{18,}', '{2,19}?'];
    const pattern = fc.array(fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...quants)), { minLength: 1, maxLength: 5 }).map((xs) => xs.map(([a, q]) => a + q).join(''));
    const char = fc.constantFrom('a', 'A', 'b', 'B', 'c', 'C', 'z', 'Z', 'k', 'K', 'K', 'm', 'M', 'q', 'Q', 'x', 'X', 'y', 'Y', 'é', 'É', 'ß', 'ſ', 's', 'S', '0', '7', '_', '-', ' ');
    // Short random lines, and long runs of one character (to reach the large counts).
    const text = fc.oneof(fc.array(char, { maxLength: 12 }).map((cs) => cs.join('')), fc.tuple(char, fc.nat(40), fc.array(char, { maxLength: 3 })).map(([c, n, tail]) => c.repeat(n) + tail.join('')));
    let compared = 0;
    let refused = 0;
    fc.assert(
      fc.property(pattern, fc.boolean(), fc.array(text, { minLength: 1, maxLength: 8 }), (p, ci, lines) => {
        const flags = ci ? 'i' : '';
        let lin: RegExp;
        try {
          lin = linearRegExp(p, flags);
        } catch (e) {
          // Refused (a quantified \\b, a counted capture): fine, as long as it says why.
          expect((e as Error).message).toMatch(/linear time|invalid regular expression/);
          refused++;
          return;
        }
        const ref = new RegExp(p, flags);
        for (const line of lines) expect(lin.test(line), `/${p}/${flags} on ${JSON.stringify(line)} (as /${lin.source}/)`).toBe(ref.test(line));
        compared++;
      }),
      { numRuns: Number(process.env.LINEAR_RUNS ?? 3000), seed: Number(process.env.LINEAR_SEED ?? 3) },
    );
    expect(compared).toBeGreaterThan(refused * 3);
  });
});
