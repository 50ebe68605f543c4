/**
 * Signature patterns run on every line of multi-gigabyte logs, so a pattern that can backtrack
 * catastrophically would hang the scanner. Patterns are restricted to a linear-time-safe subset:
 * no backreferences, no lookaround, no quantified group that itself contains a quantifier (`?` included)
 * or alternation (the `(a+)+` and `(a?a)+` families), and no chain of unbounded repeats in a row that can
 * match the same character (the `\d*\d+` / `\w+:?\w+` / `a+a{0,5}` family). k such repeats cost O(n^k) per start
 * position on a long run, and an unanchored search tries O(n) starts unless something before the chain
 * pins it (an anchor, a group, or a required character the repeat cannot take): so an unpinned chain of 2,
 * or any chain of 3, is refused. (Plain quadratic cost — one repeat, tried at every start — is inherent to
 * a backtracking engine and bounded by the scanner's line limit.)
 * These structural checks are the second guard: accepted patterns must also compile for V8's linear-time
 * engine (linear-regex.ts), which is what the scanner runs them on, so matching is linear in the line.
 * Returns a message, or undefined when the pattern is acceptable.
 */

import { linearProblem } from './linear-regex.js';

/** Characters tried when deciding whether two single-character atoms can match the same character. */
const PROBE = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), '\u00a0', '\u00e9', '\u0130', '\u017f', '\u212a', '\u2028', '\ufeff', '\u{1F642}'];

/** An unbounded repeat seen in the current sequence, still able to run on into what follows. */
type Run = { src: string; re: RegExp; count: number; pinned: boolean };

function overlaps(a: RegExp, b: RegExp): boolean {
  return PROBE.some((c) => a.test(c) && b.test(c));
}

export function checkPattern(pattern: string, flags = ''): string | undefined {
  // Beyond the structure: the pattern must compile for the linear-time engine it will run on.
  return structuralProblem(pattern, flags) ?? linearProblem(pattern, flags);
}

/** The structural checks alone (for a caller that compiles the pattern for the linear engine itself). */
export function structuralProblem(pattern: string, flags = ''): string | undefined {
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed (they can take exponential time)';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead/lookbehind is not allowed in signatures';
  const f = flags.replace(/[gyd]/g, '');
  const single = (src: string): RegExp => new RegExp(`^(?:${src})$`, f);
  // One frame per open group: whether it contains a quantifier or alternation, and the run before it.
  const stack: { hasQuant: boolean; hasAlt: boolean; runBefore?: Run; pinBefore?: RegExp | true }[] = [];
  let run: Run | undefined;
  /** The last required item of the sequence (true: an anchor or a group), for deciding whether a run is pinned. */
  let pin: RegExp | true | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const start = i;
    const ch = pattern[i];
    let atom: string | undefined; // a single-character atom: literal, escape, class or '.'
    if (ch === '\\') {
      i++;
      if (pattern[i] === 'b' || pattern[i] === 'B') continue; // zero-width
      if ((pattern[i] === 'u' || pattern[i] === 'x' || pattern[i] === 'p' || pattern[i] === 'P' || pattern[i] === 'c') && i + 1 < pattern.length) {
        const m = /^(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[pP]\{[^}]*\}|c[a-zA-Z])/.exec(pattern.slice(i));
        if (m) i += m[0].length - 1;
      }
      atom = pattern.slice(start, i + 1);
    } else if (ch === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        i++;
      }
      atom = pattern.slice(start, i + 1);
    } else if (ch === '^' || ch === '$') {
      if (ch === '^') pin = true;
      continue; // zero-width
    } else if (ch === '(') {
      stack.push({ hasQuant: false, hasAlt: false, runBefore: run, pinBefore: pin });
      // (?: and (?<name> are group syntax, not quantifiers
      if (pattern[i + 1] === '?') i += pattern[i + 2] === '<' ? pattern.indexOf('>', i) - i : 2;
      continue; // the group's contents continue the sequence: a run before it can run on into them
    } else if (ch === '|') {
      if (stack.length) stack[stack.length - 1].hasAlt = true;
      run = stack.length ? stack[stack.length - 1].runBefore : undefined; // each branch starts after what preceded the group
      pin = stack.length ? stack[stack.length - 1].pinBefore : undefined;
      continue;
    } else if (ch === ')') {
      const g = stack.pop();
      const q = readQuantifier(pattern, i + 1);
      if (g && q && q.max > 1 && (g.hasQuant || g.hasAlt)) {
        return 'nested quantifier: a repeated group contains a quantifier or alternation (can backtrack catastrophically); rewrite it without the outer repetition';
      }
      if (g && stack.length && (g.hasQuant || q)) stack[stack.length - 1].hasQuant = true;
      if (q) i = q.end - 1;
      // After a group: simple concatenation keeps the inner run; otherwise be conservative about what follows.
      if (g && (q || g.hasAlt)) run = q && q.min === 0 ? g.runBefore : undefined;
      if (g && (!q || q.min > 0)) pin = true;
      else if (g) pin = g.pinBefore;
      continue;
    } else {
      atom = ch;
    }
    const q = readQuantifier(pattern, i + 1);
    if (q) {
      i = q.end - 1;
      if (stack.length) stack[stack.length - 1].hasQuant = true;
    }
    const re = single(atom);
    // A repeat with a choice of several lengths (unbounded, or like {0,5}) multiplies the ways to split a run.
    if (q && (q.max === Infinity || q.max - q.min >= 2)) {
      const src = `${atom}${pattern.slice(start + atom.length, i + 1)}`;
      if (run && overlaps(run.re, re)) {
        run = { src: `${run.src}… ${src}`, re, count: run.count + 1, pinned: run.pinned };
        if (run.count >= 3 || !run.pinned) {
          return `repeats ${run.src} in a row can match the same characters (polynomial backtracking on a long run); make them exclusive or merge them into one`;
        }
      } else {
        run = { src, re, count: 1, pinned: pin === true || (pin !== undefined && !overlaps(pin, re)) };
      }
    } else if (q && q.min === 0) {
      // optional: can match nothing, so a run before it continues past it
    } else {
      if (run && !overlaps(run.re, re)) run = undefined; // a character the run cannot take ends it
      pin = re;
    }
  }
  return undefined;
}

/** A quantifier at position i: *, +, ?, {n}, {n,}, {n,m} (lazy or not); undefined if none. */
function readQuantifier(p: string, i: number): { min: number; max: number; end: number } | undefined {
  let r: { min: number; max: number; end: number } | undefined;
  const c = p[i];
  if (c === '*') r = { min: 0, max: Infinity, end: i + 1 };
  else if (c === '+') r = { min: 1, max: Infinity, end: i + 1 };
  else if (c === '?') r = { min: 0, max: 1, end: i + 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return undefined;
    const min = Number(m[1]);
    r = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]), end: i + m[0].length };
  }
  if (r && p[r.end] === '?') r.end++;
  return r;
}
