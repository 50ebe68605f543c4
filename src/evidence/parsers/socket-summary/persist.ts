/**
 * The same CLOSE_WAIT connections seen twice: two captures of the CLOSE_WAIT sockets (to a file with
 * `ss -tanH state close-wait > cw1`, or to a variable with `$a = Get-NetTCPConnection -State CloseWait`)
 * compared by `comm -12 cw1 cw2` (the lines in both) or `Compare-Object $a $b -IncludeEqual` (== in both,
 * <= only in the first, => only in the second). How far apart the captures were comes from time stamps
 * before them (`date`, "=== 02:10:01 ===", Get-Date) or, as a lower bound, from the sleeps between them.
 */
import { secondsBetween, type Stamp } from '../../time.js';

export interface Capture {
  name: string;
  line: number;
  stamp?: Stamp;
  /** Seconds slept in the file before the capture (sleeps in the same command line included). */
  slept: number;
  /** Header lines the capture holds (ss without -H): they are "in both" for comm too. */
  headers: number;
  /** Filtered by the CLOSE_WAIT state alone: its size is the host's CLOSE_WAIT count. */
  hostWide: boolean;
}

export interface Gap {
  seconds: number;
  /** Only a lower bound is known (from sleeps, not stamps). */
  atLeast: boolean;
}

/** How long after `a` the capture `b` was taken, or undefined when nothing says. */
export function gapBetween(a: Capture, b: Capture): Gap | undefined {
  if (a.stamp && b.stamp) {
    const s = secondsBetween(a.stamp, b.stamp);
    if (s >= 0) return { seconds: s, atLeast: false };
  }
  const slept = b.slept - a.slept;
  return slept > 0 ? { seconds: slept, atLeast: true } : undefined;
}

/** A capture named by a comparison: the same name, or the same file name under another directory. */
export function findCapture(captures: ReadonlyMap<string, Capture>, name: string): Capture | undefined {
  const exact = captures.get(name);
  if (exact) return exact;
  const base = (n: string) => n.slice(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1).toLowerCase();
  for (const [k, c] of captures) if (base(k) === base(name)) return c;
  return undefined;
}

export interface CompareOperands {
  ref?: string;
  diff?: string;
  includeEqual: boolean;
  excludeDifferent: boolean;
}

/** Options of Compare-Object that take a value (their value is no operand). */
const VALUED = new Set(['-property', '-syncwindow', '-culture']);

/**
 * The operands of `Compare-Object $a $b`, `Compare-Object -ReferenceObject $a -DifferenceObject $b` or
 * `Compare-Object (Get-Content a.txt) (Get-Content b.txt)`: a variable name with its `$`, or a file name.
 */
export function compareOperands(text: string): CompareOperands {
  const words = text.trim().split(/\s+/).slice(1);
  const out: CompareOperands = { includeEqual: false, excludeDifferent: false };
  const positional: string[] = [];
  let want: 'ref' | 'diff' | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const lw = w.toLowerCase();
    if (lw.startsWith('-')) {
      if ('-includeequal'.startsWith(lw) && lw.length > 2) out.includeEqual = true;
      else if ('-excludedifferent'.startsWith(lw) && lw.length > 2) out.excludeDifferent = true;
      else if ('-referenceobject'.startsWith(lw) && lw.length > 1) want = 'ref';
      else if ('-differenceobject'.startsWith(lw) && lw.length > 1) want = 'diff';
      else if (VALUED.has(lw)) i++;
      continue;
    }
    let operand = w;
    if (w.startsWith('(')) {
      // (Get-Content a.txt) or (gc a.txt): the file is the last word before the closing parenthesis
      let j = i;
      while (j < words.length - 1 && !words[j].endsWith(')')) j++;
      operand = words[j].replace(/\)+$/, '');
      if (j === i) operand = operand.replace(/^\(+/, '');
      i = j;
    }
    if (want) {
      out[want] = operand;
      want = undefined;
    } else positional.push(operand);
  }
  out.ref ??= positional.shift();
  out.diff ??= positional.shift();
  return out;
}

/** The two files of `comm -12 a b`. */
export function commOperands(args: readonly string[]): [string, string] | undefined {
  const files = args.filter((a) => !a.startsWith('-'));
  return files.length >= 2 ? [files[0], files[1]] : undefined;
}

/** Seconds a CLOSE_WAIT connection must last to count as lingering (the KB's "more than 30-60 s"). */
export const PERSIST_SECONDS = 30;

export interface PersistInput {
  /** Connections in both captures. */
  same: number;
  /** Connections in the first capture, when known. */
  first?: number;
  gap: Gap;
}

/**
 * Lingering: 30 s or more apart, at least half of the first capture still there (5 connections or more),
 * or 20 or more still there when the first capture's size is unknown. Transient: the first capture held 5
 * or more and a tenth of them or fewer are left, however far apart. Anything else is no conclusion.
 */
export function persistVerdict(p: PersistInput): { value?: boolean; why: string } {
  const gap = `${p.gap.atLeast ? 'at least ' : ''}${Math.round(p.gap.seconds)} s apart`;
  if (p.first !== undefined && p.first >= 5 && p.same <= 0.1 * p.first) return { value: false, why: `${p.same} of ${p.first} CLOSE_WAIT connections still there ${gap}` };
  if (p.gap.seconds < PERSIST_SECONDS) return { why: `captures ${gap}: too close to say whether CLOSE_WAIT connections linger` };
  if (p.first !== undefined) {
    if (p.same >= 5 && p.same >= 0.5 * p.first) return { value: true, why: `${p.same} of ${p.first} CLOSE_WAIT connections still there ${gap}` };
    return { why: `${p.same} of ${p.first} CLOSE_WAIT connections still there ${gap}: neither most nor hardly any` };
  }
  if (p.same >= 20) return { value: true, why: `${p.same} CLOSE_WAIT connections in both captures, ${gap}` };
  return { why: `${p.same} CLOSE_WAIT connections in both captures, ${gap}, and the size of the first is not known` };
}
