/**
 * Which lines a pipeline lets through, read from its grep-like stages (grep/egrep/fgrep, findstr, find,
 * Select-String), with their flags: case, inversion, whole words, fixed strings, BRE or ERE. A reader asks
 * whether a line of a known shape would have been shown (`lsmod | grep conntrack` shows an
 * nf_conntrack_amanda line; `lsmod | grep AMANDA` does not), which is what an absence can rest on. Any
 * stage whose effect is not known (awk, sed, cut, grep -o/-c/-n) makes the view opaque: no absence then.
 */
import type { CommandLine, Stage } from './transcript.js';

export interface LineTest {
  /** The stage as written, for "withheld" notes. */
  text: string;
  /** True when the stage keeps this line. */
  keeps(line: string): boolean;
}

export interface View {
  tests: LineTest[];
  /** The stage that makes the output unreadable for absences, if any. */
  opaque?: string;
}

const GREP = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'findstr', 'find', 'select-string', 'sls']);
/** Stages that reorder or page lines but neither drop nor change them. */
const HARMLESS = new Set(['sort', 'sort-object', 'cat', 'less', 'more', 'tee', 'column', 'format-table', 'ft', 'out-string', 'out-host', 'uniq']);
/** grep options that take a value (the next word, or glued: -m1). */
const GREP_VALUED = new Set(['-e', '-f', '-m', '-A', '-B', '-C', '--regexp', '--file', '--max-count', '--after-context', '--before-context', '--context']);
const MAX_PATTERN = 200;

/** POSIX bracket classes and GNU word anchors in JavaScript syntax. */
function posixToJs(p: string): string {
  return p
    .replace(/\[:space:\]/g, '\\s')
    .replace(/\[:digit:\]/g, '0-9')
    .replace(/\[:alpha:\]/g, 'A-Za-z')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
    .replace(/\[:upper:\]/g, 'A-Z')
    .replace(/\[:lower:\]/g, 'a-z')
    .replace(/\\[<>]/g, '\\b');
}

/** A basic regular expression (grep without -E) in ERE syntax: \| \( \) \{ \} \+ \? are the operators. */
function breToEre(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      const n = p[i + 1];
      out += '|(){}+?'.includes(n) ? n : `\\${n}`;
      i++;
    } else out += '|(){}+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface PatternOpts {
  fixed: boolean;
  extended: boolean;
  ignoreCase: boolean;
  word: boolean;
  whole: boolean;
}

/** One pattern as a tester, or undefined when it cannot be read safely. */
function tester(pattern: string, o: PatternOpts): ((line: string) => boolean) | undefined {
  if (pattern.length > MAX_PATTERN) return undefined;
  let src = o.fixed ? escapeRe(pattern) : posixToJs(o.extended ? pattern : breToEre(pattern));
  if (o.word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
  if (o.whole) src = `^(?:${src})$`;
  try {
    const re = new RegExp(src, o.ignoreCase ? 'i' : '');
    return (line) => re.test(line);
  } catch {
    return undefined;
  }
}

/** A grep/egrep/fgrep stage, or a reason it cannot be read. */
function grepStage(st: Stage): LineTest | string {
  const o: PatternOpts = { fixed: st.name === 'fgrep', extended: st.name === 'egrep', ignoreCase: false, word: false, whole: false };
  let negate = false;
  const patterns: string[] = [];
  const loose: string[] = [];
  const a = st.args;
  for (let k = 0; k < a.length; k++) {
    const w = a[k];
    if (w === '--') {
      loose.push(...a.slice(k + 1));
      break;
    }
    if (w.startsWith('--')) {
      const [name, value] = w.split('=', 2);
      if (name === '--regexp') patterns.push(value ?? a[++k] ?? '');
      else if (name === '--ignore-case') o.ignoreCase = true;
      else if (name === '--invert-match') negate = true;
      else if (name === '--word-regexp') o.word = true;
      else if (name === '--line-regexp') o.whole = true;
      else if (name === '--fixed-strings') o.fixed = true;
      else if (name === '--extended-regexp' || name === '--perl-regexp') o.extended = true;
      else if (name === '--color' || name === '--colour' || name === '--no-messages' || name === '--binary-files' || name === '--text') continue;
      else if (GREP_VALUED.has(name) && value === undefined) k++;
      else return `${st.text} (${name})`;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const f = w[j];
        if (f === 'i' || f === 'y') o.ignoreCase = true;
        else if (f === 'v') negate = true;
        else if (f === 'w') o.word = true;
        else if (f === 'x') o.whole = true;
        else if (f === 'F') o.fixed = true;
        else if (f === 'E' || f === 'P') o.extended = true;
        else if (f === 's' || f === 'a' || f === 'h' || f === 'I' || f === 'r' || f === 'R') continue;
        else if (f === 'e') {
          patterns.push(w.length > j + 1 ? w.slice(j + 1) : (a[++k] ?? ''));
          break;
        } else if (f === 'A' || f === 'B' || f === 'C') {
          if (w.length === j + 1) k++;
          break;
        } else return `${st.text} (-${f})`; // -c -l -q -o -n -m -f …: the output is no longer the lines
      }
      continue;
    }
    loose.push(w);
  }
  // without -e, the first loose word is the pattern and the rest are files
  if (!patterns.length) {
    if (!loose.length) return `${st.text} (no pattern)`;
    patterns.push(loose[0]);
  }
  const tests: ((line: string) => boolean)[] = [];
  for (const p of patterns) {
    const alts = o.fixed ? p.split('\n') : [p];
    for (const alt of alts) {
      const t = tester(alt, o);
      if (!t) return `${st.text} (pattern not read)`;
      tests.push(t);
    }
  }
  return { text: st.text, keeps: (line) => tests.some((t) => t(line)) !== negate };
}

/** findstr (cmd.exe): literal or regex words, "a b" means a or b, /C:"a b" one literal, /I /V /X /B /E. */
function findstrStage(st: Stage): LineTest | string {
  let ignoreCase = false;
  let negate = false;
  let regex = false;
  let whole = false;
  const words: string[] = [];
  for (const w of st.args) {
    const low = w.toLowerCase();
    if (low.startsWith('/c:')) words.push(w.slice(3));
    else if (/^\/[a-z]+$/i.test(w)) {
      for (const f of low.slice(1)) {
        if (f === 'i') ignoreCase = true;
        else if (f === 'v') negate = true;
        else if (f === 'r') regex = true;
        else if (f === 'l') regex = false;
        else if (f === 'x') whole = true;
        else if (f === 's' || f === 'p' || f === 'o') continue;
        else return `${st.text} (/${f})`; // /N /C /M /B /E change or anchor what is printed
      }
    } else words.push(...w.split(' ').filter(Boolean));
  }
  if (!words.length) return `${st.text} (no string)`;
  const tests: ((line: string) => boolean)[] = [];
  for (const w of words) {
    // findstr regex syntax is close to a small ERE subset; only plain strings are read as regexes here
    if (regex && /[\\[\]^$*]/.test(w.replace(/\./g, ''))) return `${st.text} (regular expression)`;
    const t = tester(w, { fixed: !regex, extended: true, ignoreCase, word: false, whole });
    if (!t) return `${st.text} (string not read)`;
    tests.push(t);
  }
  return { text: st.text, keeps: (line) => tests.some((t) => t(line)) !== negate };
}

/** Windows find: one literal string, /I /V; /C counts and /N numbers, which end the listing. */
function findStage(st: Stage): LineTest | string {
  let ignoreCase = false;
  let negate = false;
  let needle: string | undefined;
  for (const w of st.args) {
    const low = w.toLowerCase();
    if (low === '/i') ignoreCase = true;
    else if (low === '/v') negate = true;
    else if (/^\/[a-z]$/i.test(w)) return `${st.text} (${w})`;
    else needle ??= w;
  }
  if (needle === undefined) return `${st.text} (no string)`;
  const t = tester(needle, { fixed: true, extended: true, ignoreCase, word: false, whole: false });
  if (!t) return `${st.text} (string not read)`;
  return { text: st.text, keeps: (line) => t(line) !== negate };
}

/** Select-String: regex, case-insensitive unless -CaseSensitive; -SimpleMatch, -NotMatch. */
function selectStringStage(st: Stage): LineTest | string {
  let caseSensitive = false;
  let simple = false;
  let negate = false;
  const patterns: string[] = [];
  const a = st.args;
  for (let k = 0; k < a.length; k++) {
    const low = a[k].toLowerCase();
    if (low === '-casesensitive') caseSensitive = true;
    else if (low === '-simplematch') simple = true;
    else if (low === '-notmatch') negate = true;
    else if (low === '-pattern') patterns.push(...(a[++k] ?? '').split(','));
    else if (low === '-quiet' || low === '-list' || low === '-allmatches' || low === '-context') return `${st.text} (${a[k]})`;
    else if (low.startsWith('-')) continue;
    else if (!patterns.length) patterns.push(...a[k].split(','));
  }
  if (!patterns.length) return `${st.text} (no pattern)`;
  const tests: ((line: string) => boolean)[] = [];
  for (const p of patterns) {
    const t = tester(p.trim(), { fixed: simple, extended: true, ignoreCase: !caseSensitive, word: false, whole: false });
    if (!t) return `${st.text} (pattern not read)`;
    tests.push(t);
  }
  return { text: st.text, keeps: (line) => tests.some((t) => t(line)) !== negate };
}

/**
 * The view the stages of `cmd` from index `from` give of the listing (from 0 when the command itself is a
 * grep over a file: `grep denied /var/log/audit/audit.log | grep amindexd`).
 */
export function viewOf(cmd: CommandLine, from = 1): View {
  const view: View = { tests: [] };
  if (cmd.truncated) view.opaque = cmd.truncated;
  if (cmd.counted) view.opaque ??= cmd.counted;
  if (cmd.grouped) view.opaque ??= cmd.grouped;
  for (let i = from; i < cmd.stages.length; i++) {
    const st = cmd.stages[i];
    const name = st.name;
    if (GREP.has(name)) {
      const t =
        name === 'findstr' ? findstrStage(st) : name === 'find' ? findStage(st) : name === 'select-string' || name === 'sls' ? selectStringStage(st) : grepStage(st);
      if (typeof t === 'string') view.opaque ??= t;
      else view.tests.push(t);
    } else if (name === 'uniq' && st.args.some((x) => /^-[a-z]*[cdu]/.test(x))) view.opaque ??= st.text;
    else if (name === 'tail' && st.args.some((x) => /^\+\d+$/.test(x) || /^-n\s*\+\d+$/.test(x) || x === '-n+2')) continue;
    else if (!HARMLESS.has(name)) view.opaque ??= st.text;
  }
  return view;
}

/** Would `line` be shown through the view? undefined when the view is opaque. */
export function keeps(view: View, line: string): boolean | undefined {
  if (view.opaque) return undefined;
  return view.tests.every((t) => t.keeps(line));
}

/** Describes the grep stages, for notes ("grep conntrack"). */
export function describeTests(view: View): string {
  return view.tests.map((t) => t.text).join(' | ');
}
