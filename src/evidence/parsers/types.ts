/**
 * The contract of an evidence reader. A reader declares what it emits (like ESLint's `meta.messages`), carries
 * samples of its input with what they must yield (insights-core's doctest habit), and reads the output lines
 * of one file. Command lines and prompts never reach `line()`: the transcript (../transcript.ts) hands them to
 * `command()` as context, so a reader knows when a listing was filtered, cut or counted.
 */
import type { FactValue, ObservationDecl } from '../../kb/types.js';
import type { ByteLines } from '../lines.js';
import type { CommandLine, Mark } from '../transcript.js';

export type { ObservationDecl } from '../../kb/types.js';

export interface Observation {
  /** Observation key, e.g. "sockets.share.TIME_WAIT"; declared by the reader, mapped onto facts by kb/evidence/*.yaml. */
  key: string;
  value: FactValue;
  /** 1-based line number the observation rests on. */
  line?: number;
  /** The evidence line itself, or for an aggregate a one-line summary. */
  text?: string;
  /** Structured payload for combiners (declared type "data"); never mapped onto a fact. */
  data?: unknown;
  /** The host the output came from, when a prompt or the output names it. */
  host?: string;
}

/** Something a reader saw but would not turn into an observation, and why ("listing is filtered by grep: …"). */
export interface Withheld {
  /** What was not concluded (an observation key or a short phrase). */
  about: string;
  why: string;
  line?: number;
}

/** What a reader gets from the scanner when it is created (one per file). */
export interface ReaderContext {
  /** Say why something was not concluded; shown by `backup-triage evidence`. */
  withhold(about: string, why: string, line?: number): void;
}

export interface Parser {
  /** Read output line `no`. `text` shares no memory with the rest of the input, so it may be kept as provenance. */
  line(no: number, text: string): void;
  /**
   * Optional fast path for byte blocks: read line `no`, bytes [start, end) of `lines`, without decoding it
   * first. Returns false when the line is not one it reads from bytes; it is then given to line() instead.
   * Must leave the parser exactly as line() would with the decoded text.
   */
  bytes?(no: number, lines: ByteLines, start: number, end: number): boolean;
  /** A command line (after a prompt) was seen at line `no`: the output that follows belongs to it. */
  command?(no: number, cmd: CommandLine): void;
  /** An empty prompt line was seen at line `no`: the output of the last command ended before it. */
  prompt?(no: number): void;
  /** A time stamp line (`date`, a `watch` header) or a marker such as "job started" was seen at line `no`. */
  mark?(no: number, mark: Mark): void;
  finish(): Observation[];
}

/** A sample of the reader's input and what reading it alone must give: run as a test for every reader. */
export interface ReaderSample {
  /** What the sample is (format, version, locale), and where its shape is documented. */
  name: string;
  input: string;
  /** Observations it must emit, with their values (numbers compared to 0.1). */
  yields: Record<string, FactValue>;
  /** Observation keys (or prefixes ending in ".") it must not emit. */
  never?: string[];
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
  /** Every observation key it may emit ("prefix.*" for a family keyed by port, state…), with its meaning. */
  emits: Record<string, ObservationDecl>;
  /** At least one sample; each runs as a test (test/evidence/reader-samples.test.ts). */
  samples: ReaderSample[];
  create(ctx: ReaderContext): Parser;
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

/** Does `key` fall under the declared pattern (exact, or "prefix.*")? */
export function keyMatches(pattern: string, key: string): boolean {
  return pattern.endsWith('.*') ? key.startsWith(pattern.slice(0, -1)) && key.length > pattern.length - 1 : pattern === key;
}

/** The declaration covering `key` in `emits`, if any. */
export function declarationOf(emits: Record<string, ObservationDecl>, key: string): ObservationDecl | undefined {
  const exact = emits[key];
  if (exact) return exact;
  for (const [pattern, decl] of Object.entries(emits)) if (keyMatches(pattern, key)) return decl;
  return undefined;
}

/** A reader context that drops what it is told (for callers that only want observations). */
export const QUIET_CONTEXT: ReaderContext = { withhold() {} };

/**
 * For readers written before command lines were context: hands the command back to line() as it was
 * written, so their own command checks keep working. New readers implement command() themselves.
 */
export function withCommandsAsLines(p: Parser): Parser {
  p.command ??= (no, cmd) => p.line(no, `${cmd.prompt ? `${cmd.prompt} ` : '$ '}${cmd.command}`);
  return p;
}
