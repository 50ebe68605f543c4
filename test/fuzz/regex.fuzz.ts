/**
 * Regex safety: random patterns from a small regex grammar (groups, alternation, quantifiers, classes,
 * anchors, backreferences, lookarounds). Every pattern checkPattern accepts is compiled as the scanner
 * compiles it (linearRegExp: V8's linear-time engine, case-insensitive patterns spelt out) and run against
 * adversarial inputs, each match in a vm context with a hard timeout (so a slow pattern fails the
 * property instead of hanging the suite):
 *
 *  - catastrophic (small inputs): strings pumped from the pattern's own literals (up to 40 repeats, then a
 *    character that breaks the match) and 'a'.repeat(n) + '!' for n up to 2,000 must each match in < 200 ms.
 *  - scaling: 'a'.repeat(n) + '!' and pumped literals at n = 3,000 and 16,384 / 12,000 must grow at most
 *    ~linearly (< 3× the length ratio, above a 30 ms floor that absorbs timer noise), and 30,000 characters
 *    must match in < 200 ms. (On the default backtracking engine even /a+$/ is quadratic: ~0.7 s at 30,000.)
 *
 * A pattern that passes checkPattern yet fails here is a checkPattern (or engine) bug; its seed goes to
 * REGRESSIONS.
 */
import fc from 'fast-check';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS } from '../../src/evidence/lines.js';
import { checkPattern } from '../../src/kb/pattern-safety.js';
import { linearRegExp } from '../../src/kb/linear-regex.js';
import { fuzz } from './fuzz.js';

const CATASTROPHIC_MS = 200;
const HARD_CAP_MS = 3_000;
/** The budget at 30,000 chars. */
const LINEAR_30K_MS = 200;
const ctx = vm.createContext({ re: /x/, s: '' });
const script = new vm.Script('re.test(s)');

/** Time one match, or Infinity when it had to be stopped. */
function timeMatch(re: RegExp, s: string, capMs: number): number {
  ctx.re = re;
  ctx.s = s;
  const t = performance.now();
  try {
    script.runInContext(ctx, { timeout: capMs });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return Infinity;
    throw e;
  }
  return performance.now() - t;
}

// ---- grammar -----------------------------------------------------------------------------------------
const LITERAL_ATOMS = ['a', 'b', 'x', '!', ' ', ':', '1'];
const CLASS_ATOMS = ['\\d', '\\w', '\\s', '\\S', '.', '[ab]', '[^!]', '[a-z0-9]', '[\\s\\S]', '\\D'];
const QUANTS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{2,}', '*?', '+?', '??', '{0,5}'];
const ANCHORS = ['^', '$', '\\b', '\\B'];

const { expr } = fc.letrec<{ expr: string; seq: string; item: string; atom: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('seq'), fc.array(tie('seq'), { minLength: 2, maxLength: 3 }).map((a) => a.join('|'))),
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 5 }).map((a) => a.join('')),
  item: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(tie('atom'), fc.constantFrom(...QUANTS)).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.constantFrom(...ANCHORS) },
    { weight: 1, arbitrary: fc.constantFrom('\\1', '\\2', '\\k<n>') },
  ),
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: fc.constantFrom(...LITERAL_ATOMS, ...CLASS_ATOMS) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('(', '(?:', '(?<n>'), tie('expr')).map(([o, e]) => `${o}${e})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('(?=', '(?!', '(?<=', '(?<!'), tie('expr')).map(([o, e]) => `${o}${e})`) },
  ),
}));
const pattern = expr.filter((p) => p.length <= 80);
const flags = fc.constantFrom('', '', 'i', 'm', 's', 'u');

/** Literal characters of a pattern (outside escapes), to build inputs that the pattern half-matches. */
function literalsOf(p: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      const c = p[++i];
      out.add(c === 'd' ? '1' : c === 'w' ? 'a' : c === 's' ? ' ' : c === 'S' || c === 'D' ? 'a' : '');
    } else if (/[a-z0-9!: ]/i.test(p[i])) out.add(p[i]);
  }
  out.delete('');
  return [...out];
}

/** Adversarial inputs: pumped literal runs (each followed by a breaking character) and long runs of 'a'. */
function pumped(p: string, length: number): string[] {
  const lits = literalsOf(p);
  if (!lits.length) return [];
  const unit = lits.join('');
  const reps = Math.max(1, Math.floor(length / unit.length));
  return [`${unit.repeat(reps)}\u0007`, `${lits[0].repeat(length)}\u0007`, `${lits.at(-1)!.repeat(length)}${lits[0]}\u0007`];
}

interface Verdict {
  problem?: string;
}

/** The property for one pattern; returns a description of the problem, if any. */
function probe(p: string, f: string): Verdict {
  if (checkPattern(p, f) !== undefined) return {};
  const re = linearRegExp(p, f);
  // catastrophic: small inputs
  const small = [
    ...[8, 16, 24, 32, 40].flatMap((n) => pumped(p, n)),
    ...[50, 500, 2_000].flatMap((n) => ['a'.repeat(n) + '!', ' '.repeat(n) + '!', '1'.repeat(n) + '!', 'ab'.repeat(n / 2) + '!']),
  ];
  for (const s of small) {
    const ms = timeMatch(re, s, 1_000);
    if (ms > CATASTROPHIC_MS) return { problem: `/${p}/${f} took ${ms === Infinity ? '> 1000' : ms.toFixed(0)} ms on ${JSON.stringify(s.slice(0, 40))}… (${s.length} chars)` };
  }
  // Scaling: 3,000 → 16,384 (the scanner's line cap) or 12,000 (pumped literals), then 30,000.
  const families: [(n: number) => string, number, number][] = [
    [(n) => 'a'.repeat(n) + '!', 3_000, MAX_LINE_CHARS],
    [(n) => pumped(p, n)[0] ?? 'x'.repeat(n) + '!', 3_000, 12_000],
  ];
  for (const [fam, n1, n2] of families) {
    const t1 = Math.max(timeMatch(re, fam(n1), HARD_CAP_MS), 0.05);
    const t2 = timeMatch(re, fam(n2), HARD_CAP_MS);
    if (t2 === Infinity) return { problem: `/${p}/${f} did not finish in ${HARD_CAP_MS} ms on ${n2} chars` };
    if (t2 > 30 && t2 > 3 * (n2 / n1) * t1) return { problem: `/${p}/${f} grows super-linearly: ${t1.toFixed(1)} ms at ${n1} chars, ${t2.toFixed(0)} ms at ${n2}` };
    const t3 = timeMatch(re, fam(30_000), HARD_CAP_MS);
    if (t3 > LINEAR_30K_MS) return { problem: `/${p}/${f} took ${t3 === Infinity ? `> ${HARD_CAP_MS}` : t3.toFixed(0)} ms on 30,000 chars (${t2.toFixed(1)} ms at ${n2})` };
  }
  return {};
}

let accepted = 0;
let total = 0;
afterAll(() => console.log(`fuzz: regex: checkPattern accepted ${accepted} of ${total} generated patterns`));

/** Patterns that passed checkPattern and backtracked catastrophically before the fix (see pattern-safety.ts). */
const REGRESSIONS: [string, string][] = [
  ['\\d*\\d+^', ''], // found with seed -798265703: cubic on '1'.repeat(2000), > 1 s
  ['(a?a)+$', ''], // `?` inside a repeated group was not counted as a quantifier: exponential (Fibonacci) on 'a'.repeat(40)
  ['(?:a?a)+$', ''],
  ['\\w+:?\\w+!', ''], // an optional item between two overlapping repeats does not separate them
  ['\\d+(\\d+)!', ''], // nor does a plain group boundary
  ['x\\s*\\s*\\s*!', ''], // three in a row: O(n^3) even from a single start
  ['a+?a{0,5}1', ''], // a variable bounded repeat multiplies the splits too: > 3 s on 30,000 chars
  ['a{0,5}a{2,}x', ''],
  [' |a{2,}a{0,5}\\da', ''],
];

describe('checkPattern under fuzzing', () => {
  it('every accepted pattern matches adversarial input without catastrophic backtracking', () => {
    fuzz('regex: accepted patterns stay fast', 400, [pattern, flags], (p, f) => {
      total++;
      if (checkPattern(p, f) === undefined) accepted++;
      const v = probe(p, f);
      if (v.problem) throw new Error(`checkPattern accepted a catastrophic pattern: ${v.problem}`);
    });
  });

  it('the classic catastrophic patterns are rejected', () => {
    for (const p of ['(a+)+$', '(a*)*b', '(a|a)*$', '(a|aa)+$', '(\\w+\\s?)+$', '(.*a){12}', '(a)\\1', '(?=a)a', '(?<!b)a'])
      expect(checkPattern(p), p).toBeDefined();
  });

  it('regression seeds: accepted-but-catastrophic patterns found by this fuzzer are now rejected', () => {
    for (const [p, f] of REGRESSIONS) {
      expect(checkPattern(p, f), `/${p}/${f}`).toBeDefined();
      expect(probe(p, f).problem).toBeUndefined();
    }
  });
});
