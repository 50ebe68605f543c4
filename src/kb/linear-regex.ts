/**
 * Signature patterns run on V8's linear-time regular expression engine (the `l` flag, behind
 * --enable-experimental-regexp-engine): matching costs time linear in the line whatever the pattern,
 * where the default backtracking engine can take quadratic or exponential time. The engine refuses what
 * it cannot run in linear time (backreferences, lookaround, the `u` flag), and in Node 20 it has no
 * case-insensitive mode: a case-insensitive pattern is rewritten with both cases spelt out
 * (`Status` → `[Ss][Tt][Aa][Tt][Uu][Ss]`), which matches the same lines.
 *
 * Where the engine is not available (a Node built without it), patterns compile on the default engine
 * and the structural checks of pattern-safety.ts are the only guard.
 */
import { setFlagsFromString } from 'node:v8';

let available: boolean | undefined;

/** Turn the linear engine on (once per process) and report whether it works here. */
export function linearEngineAvailable(): boolean {
  if (available === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', 'l');
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** Why the linear engine will not take this pattern, or undefined when it will (or is not available). */
export function linearProblem(pattern: string, flags: string): string | undefined {
  if (!linearEngineAvailable()) return undefined;
  try {
    linearRegExp(pattern, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Compile a signature pattern for the linear engine (flags: '' or 'i'; 'g'/'y' are dropped). Throws an
 * Error with a message for the author when the pattern cannot run in linear time.
 */
export function linearRegExp(pattern: string, flags: string): RegExp {
  const f = flags.replace(/[gy]/g, '');
  if (!linearEngineAvailable()) return new RegExp(pattern, f);
  const ci = f.includes('i');
  let source: string;
  try {
    // Validate first with the default engine, so syntax errors read as usual.
    new RegExp(pattern, f);
    source = expandCounts(ci ? spellBothCases(pattern) : pattern);
  } catch (e) {
    throw new Error((e as Error).message.startsWith('Invalid regular expression') ? `invalid regular expression: ${(e as Error).message}` : (e as Error).message);
  }
  try {
    return new RegExp(source, `${f.replace('i', '')}l`);
  } catch (e) {
    if (/linear time/.test((e as Error).message)) {
      throw new Error('cannot run in linear time: backreferences, lookahead/lookbehind and the u flag are not allowed');
    }
    throw new Error(`invalid regular expression: ${(e as Error).message}`);
  }
}

/**
 * How the `i` flag (without `u`) compares characters: by upper case, when that is one code unit and does
 * not turn a non-ASCII character into an ASCII one (so 'ſ' does not match 's', nor the Kelvin sign 'k').
 */
function canonical(ch: string): string {
  if (ch.length !== 1) return ch;
  const u = ch.toUpperCase();
  if (u.length !== 1) return ch;
  if (ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) return ch;
  return u;
}

/** The other characters the `i` flag treats as this one (empty when there are none). */
function otherCases(c: string): string[] {
  const key = canonical(c);
  const out = new Set<string>();
  for (const v of [c.toLowerCase(), c.toUpperCase(), key, key.toLowerCase()]) if (v !== c && v.length === 1 && canonical(v) === key) out.add(v);
  return [...out];
}

const CLASS_SPECIAL = /[\\\]^-]/;
const escapeInClass = (c: string) => (CLASS_SPECIAL.test(c) ? `\\${c}` : c);

/** Decode a \xHH, \uHHHH or \u{H…} escape starting at `i` (the backslash); undefined when it is not one. */
function readCodeEscape(p: string, i: number): { char: string; end: number } | undefined {
  const m = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]+)\})/.exec(p.slice(i, i + 12));
  if (!m) return undefined;
  const cp = Number.parseInt(m[1] ?? m[2] ?? m[3], 16);
  if (cp > 0x10ffff) return undefined;
  return { char: String.fromCodePoint(cp), end: i + m[0].length };
}

/** The widest class range whose other cases are worked out one character at a time. */
const MAX_FOLDED_RANGE = 0x3000;

/**
 * Rewrite a pattern written for the `i` flag so that it matches the same text without it: every letter
 * outside a class becomes a class of its cases; every class gets the other cases of its letters and
 * ranges. Escapes such as \d, \w, \s, \b keep their meaning (they are the same under `i` without `u`).
 */
export function spellBothCases(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === '\\') {
      const code = readCodeEscape(p, i);
      if (code) {
        const others = otherCases(code.char);
        out += others.length ? `[${[code.char, ...others].map(escapeInClass).join('')}]` : p.slice(i, code.end);
        i = code.end;
        continue;
      }
      // \cX, \p{…} and friends: copy whole; any other escape is two characters.
      const m = /^\\(?:c[a-zA-Z]|[pPk][{<][^}>]*[}>])/.exec(p.slice(i));
      const len = m ? m[0].length : 2;
      out += p.slice(i, i + len);
      i += len;
      continue;
    }
    if (c === '[') {
      const { text, end } = foldClass(p, i);
      out += text;
      i = end;
      continue;
    }
    if (c === '(' && p[i + 1] === '?' && p[i + 2] === '<' && p[i + 3] !== '=' && p[i + 3] !== '!') {
      // A group name is not text to match.
      const close = p.indexOf('>', i);
      const end = close < 0 ? p.length : close + 1;
      out += p.slice(i, end);
      i = end;
      continue;
    }
    if (c === '{') {
      // A quantifier's bounds (or a literal brace): no letters to fold inside.
      const m = /^\{\d+(?:,\d*)?\}/.exec(p.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    const cp = p.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const others = otherCases(ch);
    out += others.length ? `[${[ch, ...others].map(escapeInClass).join('')}]` : ch;
    i += ch.length;
  }
  return out;
}

/** Fold one character class starting at `start` ('['): returns the rewritten class and where it ended. */
function foldClass(p: string, start: number): { text: string; end: number } {
  let i = start + 1;
  let head = '[';
  if (p[i] === '^') {
    head += '^';
    i++;
  }
  const items: string[] = [];
  const extra: string[] = [];
  // One class member: a character (possibly escaped) or a class escape like \d (returned as-is, no char).
  const member = (): { raw: string; char?: string } => {
    if (p[i] === '\\') {
      const code = readCodeEscape(p, i);
      if (code) {
        const raw = p.slice(i, code.end);
        i = code.end;
        return { raw, char: code.char };
      }
      const m = /^\\(?:c[a-zA-Z]|[pP]\{[^}]*\})/.exec(p.slice(i));
      const raw = m ? m[0] : p.slice(i, i + 2);
      i += raw.length;
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };
      const e = raw[1];
      if (raw.length === 2 && !/[dDwWsSbB]/.test(e)) return { raw, char: simple[e] ?? (/[a-zA-Z0-9]/.test(e) ? undefined : e) };
      return { raw };
    }
    const ch = String.fromCodePoint(p.codePointAt(i)!);
    i += ch.length;
    return { raw: ch, char: ch };
  };
  // In JavaScript a ']' right after '[' closes the class (an empty class), unlike POSIX.
  while (i < p.length && p[i] !== ']') {
    const a = member();
    if (p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
      i++;
      const b = member();
      items.push(`${a.raw}-${b.raw}`);
      if (a.char !== undefined && b.char !== undefined) {
        const lo = a.char.codePointAt(0)!;
        const hi = b.char.codePointAt(0)!;
        if (hi - lo > MAX_FOLDED_RANGE) throw new Error(`case-insensitive class range ${a.raw}-${b.raw} is too wide to fold; write the cases out or drop the i flag`);
        for (let cp = lo; cp <= hi; cp++) {
          for (const o of otherCases(String.fromCodePoint(cp))) {
            const ocp = o.codePointAt(0)!;
            if (ocp < lo || ocp > hi) extra.push(o);
          }
        }
      }
      continue;
    }
    items.push(a.raw);
    if (a.char !== undefined) extra.push(...otherCases(a.char));
  }
  const end = i < p.length ? i + 1 : i; // past ']'
  const added = [...new Set(extra)].map(escapeInClass).join('');
  return { text: `${head}${items.join('')}${added}]`, end };
}

/** The engine takes counted repetition only up to this bound ({n}, {n,m}); {n,} up to one less. */
const MAX_COUNT = 16;

/**
 * Rewrite counted repetitions beyond the engine's bound as runs of smaller ones, which match the same
 * text: X{36} → X{16}X{16}X{4}, X{20,} → X{16}X{4}X*, X{2,40} → X{2}X{0,16}X{0,16}X{0,6}. A repeated
 * part holding a capturing group cannot be copied (its group numbers would shift): that is refused.
 */
export function expandCounts(p: string): string {
  let out = '';
  const groupStarts: number[] = [];
  let atomStart = -1;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === '\\') {
      const m = /^\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|c[a-zA-Z]|[pPk][{<][^}>]*[}>])/.exec(p.slice(i));
      const len = m ? m[0].length : 2;
      atomStart = out.length;
      out += p.slice(i, i + len);
      i += len;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      atomStart = out.length;
      out += p.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '(') {
      groupStarts.push(out.length);
      const m = /^\((?:\?(?::|=|!|<=|<!|<[^>]*>))?/.exec(p.slice(i))!;
      out += m[0];
      i += m[0].length;
      atomStart = -1;
      continue;
    }
    if (c === ')') {
      atomStart = groupStarts.pop() ?? -1;
      out += c;
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}(\??)/.exec(p.slice(i));
      if (m && atomStart >= 0) {
        const n = Number(m[1]);
        const open = m[2] !== undefined && m[3] === '';
        const max = m[2] === undefined ? n : open ? Infinity : Number(m[3]);
        const fits = open ? n < MAX_COUNT : max <= MAX_COUNT;
        if (!fits) {
          const atom = out.slice(atomStart);
          if (capturing(atom)) throw new Error(`a repeated group with a capture cannot be counted beyond ${MAX_COUNT} in linear time; make the group non-capturing (?:…) or lower the bound`);
          const lazy = m[4];
          let rep = runOf(atom, n, (k) => `{${k}}${lazy}`);
          if (open) rep += `${atom}*${lazy}`;
          else if (max > n) rep += runOf(atom, max - n, (k) => `{0,${k}}${lazy}`);
          out = out.slice(0, atomStart) + rep;
        } else out += m[0];
        i += m[0].length;
        atomStart = -1;
        continue;
      }
    }
    atomStart = /[*+?|^$]/.test(c) ? -1 : out.length;
    out += c;
    i++;
  }
  return out;
}

/** `atom` repeated `total` times, as chunks of at most MAX_COUNT: atom{16}atom{16}…atom{rest}. */
function runOf(atom: string, total: number, quant: (k: number) => string): string {
  let s = '';
  for (let left = total; left > 0; left -= MAX_COUNT) s += `${atom}${quant(Math.min(MAX_COUNT, left))}`;
  return s;
}

/** Does this piece of pattern hold a capturing group? */
function capturing(piece: string): boolean {
  const bare = piece.replace(/\\./g, '').replace(/\[(?:\\.|[^\]])*\]/g, '');
  return /\((?!\?(?::|=|!|<=|<!))/.test(bare);
}
