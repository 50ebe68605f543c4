/** What a structured parser reports: named observations, each with the line it rests on. */
import type { FactValue } from '../../kb/types.js';
import type { ByteLines } from '../lines.js';

export interface Observation {
  /** Observation key, e.g. "sockets.share.TIME_WAIT"; mapped onto fact ids by evidence-map.ts. */
  key: string;
  value: FactValue;
  /** 1-based line number the observation rests on. */
  line?: number;
  /** The evidence line itself, or for an aggregate a one-line summary. */
  text?: string;
}

export interface Parser {
  /** Read line `no`. `text` shares no memory with the rest of the input, so it may be kept as provenance. */
  line(no: number, text: string): void;
  /**
   * Optional fast path for byte blocks: read line `no`, bytes [start, end) of `lines`, without decoding it
   * first. Returns false when the line is not one it reads from bytes; it is then given to line() instead.
   * Must leave the parser exactly as line() would with the decoded text.
   */
  bytes?(no: number, lines: ByteLines, start: number, end: number): boolean;
  finish(): Observation[];
}

export interface ParserDef {
  /** Kind name, usable to force it: --evidence KIND:FILE */
  kind: string;
  label: string;
  /** Aliases accepted when forcing the kind. */
  aliases?: string[];
  /** Lines of the start of a file that identify this kind. */
  detect: RegExp[];
  /**
   * Substrings every line this parser needs contains; lets huge logs be scanned by substring search only.
   * Undefined: the parser reads every line (command output, small files).
   */
  literals?: string[];
  /**
   * For parsers that read every line: once a file is past the paste size (16 MB), only lines holding one
   * of these are read (a long capture of this kind), or none when undefined.
   */
  bigFileLiterals?: string[];
  create(): Parser;
}

/** Shortened copy of a line for a summary. */
export function clip(s: string, n = 200): string {
  const t = s.trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
