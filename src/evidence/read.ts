/**
 * Evidence files → facts with provenance. Each file is streamed once: its kind is detected from the first
 * lines (or forced with KIND:FILE), structured parsers read the lines they need, message signatures from
 * the KB are searched by their literal, and observations are mapped onto fact ids (evidence-map.ts).
 * Unreadable, binary, empty and unrecognised inputs are skipped with a one-line warning; when every input
 * is unreadable, binary or empty, that is a one-line UserError (exit 2).
 */
import { statSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { FactRecord } from '../inference/facts.js';
import { coerceFactValue, formatValue, ValueError } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';
import type { FactValue } from '../kb/types.js';
import { detectKinds, findParser, isKnownKind, SIGNATURE_KINDS } from './detect.js';
import { mapObservation } from './evidence-map.js';
import { runCombiners } from './combiners/index.js';
import { Transcript, type CommandLine, type Mark } from './transcript.js';
import { openInput, ownLine, SkipInput, type ByteLines } from './lines.js';
import { PARSERS } from './parsers/index.js';
import type { Observation, Parser, ParserDef, Withheld } from './parsers/types.js';
import { clip, declarationOf } from './parsers/types.js';
import { LiteralSet, type Literal } from './multi-literal.js';
import { redact } from './redact.js';
import { compileSignatures, sigMatches, type CompiledSignature, type SignatureHit, type SignatureSet } from './signatures.js';

/** Parsers that read every line keep reading undetected formats up to this many bytes (pastes mix formats). */
export const PASTE_SNIFF_BYTES = 16 * 1024 * 1024;
/**
 * Readers whose format was not seen at the start of a file read every line of its first MiB (a paste mixes
 * formats), then only the lines holding one of their literals: twenty readers on every line of 16 MB of log
 * cost more than the rest of a 1 GB scan.
 */
export const PROBATION_BYTES = 1024 * 1024;
const PROVENANCE_CHARS = 300;

export interface FactFinding {
  fact: string;
  value: FactValue;
  line?: number;
  text?: string;
  /** Observation key or "signature:ID". */
  via: string;
  /** From the map row: which of several differing numbers to keep. */
  several?: 'max' | 'min';
}

export interface FileFinding {
  file: string;
  kinds: string[];
  forced?: string;
  encoding?: string;
  lines: number;
  bytes: number;
  /** Lines matched by at least one signature. */
  matchedLines: number;
  skipped?: string;
  /** Nothing of the file could be read (unreadable, binary, empty): bad input, not merely unrecognised. */
  unusable?: boolean;
  observations: Observation[];
  signatures: SignatureHit[];
  facts: FactFinding[];
  /** Facts the evidence points at that the loaded KB does not define. */
  unknownFacts: FactFinding[];
  /** What readers saw but would not conclude, and why. */
  withheld: (Withheld & { reader: string })[];
  /** Command lines seen (prompts and pipelines): context, never evidence. */
  commands: number;
}

export interface EvidenceResult {
  facts: Map<string, FactRecord>;
  warnings: string[];
  findings: FileFinding[];
}

export interface EvidenceSpec {
  kind?: string;
  path: string;
  display: string;
}

/** "FILE", "-", or "KIND:FILE" where KIND is a known evidence kind (so C:\path stays a path). */
export function parseSpec(spec: string): EvidenceSpec {
  const m = /^([a-z][a-z0-9-]+):(.+)$/i.exec(spec);
  if (m && isKnownKind(m[1])) return { kind: m[1].toLowerCase(), path: m[2], display: m[2] === '-' ? 'stdin' : m[2] };
  if (m && !/^[a-z]$/i.test(m[1]) && !existsQuiet(spec)) {
    throw new UserError(`--evidence ${spec}: unknown kind "${m[1]}" (known: ${[...PARSERS.map((p) => p.kind), ...SIGNATURE_KINDS.map((s) => s.kind)].join(', ')})`);
  }
  return { path: spec, display: spec === '-' ? 'stdin' : spec };
}

function existsQuiet(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function checkReadable(spec: EvidenceSpec): void {
  if (spec.path === '-') return;
  let st;
  try {
    st = statSync(spec.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`--evidence ${spec.display}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`);
  }
  if (st.isDirectory()) throw new UserError(`--evidence ${spec.display}: is a directory; give the log files themselves`);
}

interface ActiveParser {
  def: ParserDef;
  p: Parser;
  literals?: string[];
  /** Fed only while the file is small (undetected line parser). */
  probation: boolean;
}

export async function scanFile(sigset: SignatureSet, spec: EvidenceSpec, warn: (m: string) => void): Promise<{ finding: FileFinding; internal: Observation[] }> {
  const finding: FileFinding = { file: spec.display, kinds: [], lines: 0, bytes: 0, matchedLines: 0, observations: [], signatures: [], facts: [], unknownFacts: [], withheld: [], commands: 0 };
  const internal: Observation[] = [];
  if (spec.kind) finding.forced = spec.kind;
  let input;
  try {
    input = await openInput(spec.path);
  } catch (e) {
    finding.unusable = true;
    if (e instanceof SkipInput) {
      finding.skipped = e.message;
      warn(`${spec.display}: ${e.message}`);
      return { finding, internal };
    }
    const code = (e as NodeJS.ErrnoException).code;
    finding.skipped = `cannot read (${code ?? (e as Error).message})`;
    warn(`${spec.display}: ${finding.skipped}; skipped`);
    return { finding, internal };
  }
  finding.encoding = input.encoding;
  const detected = detectKinds(input.head);
  finding.kinds = spec.kind ? [findParser(spec.kind)?.kind ?? spec.kind] : detected.kinds;

  const active: ActiveParser[] = [];
  const forcedParser = spec.kind ? findParser(spec.kind) : undefined;
  for (const def of PARSERS) {
    if (forcedParser) {
      if (def !== forcedParser) continue;
    }
    const isDetected = forcedParser === def || detected.kinds.includes(def.kind);
    if (spec.kind && !forcedParser && !def.literals) continue; // forced to a signature-only kind
    const reader = def.kind;
    const ctx = { withhold: (about: string, why: string, line?: number) => void finding.withheld.push({ reader, about, why, ...(line ? { line } : {}) }) };
    active.push({ def, p: def.create(ctx), literals: def.literals, probation: !isDetected && !def.literals });
  }
  const transcript = new Transcript();
  /** Names of the commands seen, for the message when nothing in the file was recognised. */
  const commandNames = new Set<string>();
  /** A command line or a mark goes to the readers as context; true when the line is not output. */
  const context = (no: number, text: string): boolean => {
    const c = transcript.read(text);
    if (c.kind === 'output') return false;
    if (c.kind === 'command') {
      finding.commands++;
      const cmd: CommandLine = c.cmd;
      if (commandNames.size < 8 && cmd.stages[0]?.name) commandNames.add(cmd.stages[0].name);
      for (const a of active) a.p.command?.(no, cmd);
    }
    if (c.kind === 'note' && c.prompt) for (const a of active) a.p.prompt?.(no);
    const mark: Mark | undefined = c.mark;
    if (mark) for (const a of active) a.p.mark?.(no, mark);
    return true;
  };
  const hits = new Map<string, SignatureHit>();
  const onSig = (s: CompiledSignature, no: number, text: string) => {
    const h = hits.get(s.def.id);
    if (h) h.count++;
    else hits.set(s.def.id, { id: s.def.id, count: 1, line: no, text, sets: s.def.sets });
  };
  /** Which lines each parser reads: undefined = every line, [] = none, else lines holding a literal. */
  let big = false;
  let pastProbation = false;
  const feedOf = (a: ActiveParser): string[] | undefined => {
    if (a.literals) return a.literals;
    if (!big) return a.probation && pastProbation ? (a.def.bigFileLiterals ?? []) : undefined;
    return a.probation ? [] : (a.def.bigFileLiterals ?? []);
  };
  let feeds = active.map(feedOf);
  const dispatch = (no: number, text: string, allLines: boolean) => {
    if (context(no, text)) return;
    for (let i = 0; i < active.length; i++) {
      const feed = feeds[i];
      if (feed === undefined || feed.some((l) => text.includes(l))) active[i].p.line(no, text);
    }
    let matched = false;
    for (const s of sigset.sigs) {
      if (!allLines && !s.literal && !s.literalRe) continue;
      if (sigMatches(s, text)) {
        onSig(s, no, text);
        matched = true;
      }
    }
    if (matched) finding.matchedLines++;
  };
  /**
   * The literals searched in blocks (signature literals and the literals of parsers fed by literal) and,
   * for each, the parsers (index in `active`) and signatures (index in sigset.sigs) whose literal it is.
   */
  const literalsNow = () => {
    const lits: Literal[] = [];
    const parserOf: number[][] = [];
    const sigOf: number[][] = [];
    const ids = new Map<string, number>();
    const idOf = (text: string, ci: boolean) => {
      const key = `${ci ? 'i' : 's'}:${text}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = lits.length;
        ids.set(key, id);
        lits.push({ text, ci });
        parserOf.push([]);
        sigOf.push([]);
      }
      return id;
    };
    sigset.sigs.forEach((s) => s.literal && idOf(s.literal, false));
    feeds.forEach((f, i) => f?.forEach((l) => parserOf[idOf(l, false)].includes(i) || parserOf[idOf(l, false)].push(i)));
    sigset.sigs.forEach((s, j) => {
      if (s.literal) sigOf[idOf(s.literal, false)].push(j);
      else if (s.literalRe && s.def.literal) sigOf[idOf(s.def.literal, true)].push(j);
    });
    return { set: new LiteralSet(lits), parserOf, sigOf };
  };
  let plan = literalsNow();
  const parserMark = new Uint8Array(active.length);
  const sigMark = new Uint8Array(sigset.sigs.length);
  /**
   * A line (bytes [ls, le) of `bl`) holding the literals `ids` (all of them): offered only to the parsers and
   * signatures owning one. It is decoded only if some owner needs the text (a parser's byte fast path may not).
   */
  const dispatchHits = (no: number, bl: ByteLines, ls: number, le: number, ids: readonly number[]) => {
    let parsers: readonly number[];
    let sigs: readonly number[];
    if (ids.length === 1) {
      parsers = plan.parserOf[ids[0]];
      sigs = plan.sigOf[ids[0]];
    } else {
      const p: number[] = [];
      const q: number[] = [];
      for (const id of ids) {
        for (const i of plan.parserOf[id]) if (!parserMark[i]) (parserMark[i] = 1), p.push(i);
        for (const j of plan.sigOf[id]) if (!sigMark[j]) (sigMark[j] = 1), q.push(j);
      }
      for (const i of p) parserMark[i] = 0;
      for (const j of q) sigMark[j] = 0;
      parsers = p.sort((a, b) => a - b);
      sigs = q.sort((a, b) => a - b);
    }
    let text: string | undefined;
    let isContext: boolean | undefined;
    for (const i of parsers) {
      const p = active[i].p;
      if (p.bytes !== undefined && p.bytes(no, bl, ls, le)) continue;
      text ??= bl.text(ls, le);
      isContext ??= context(no, text);
      if (!isContext) p.line(no, text);
    }
    if (sigs.length === 0) return;
    text ??= bl.text(ls, le);
    if ((isContext ??= context(no, text))) return;
    let matched = false;
    for (const j of sigs) {
      const s = sigset.sigs[j];
      if (sigMatches(s, text)) {
        onSig(s, no, text);
        matched = true;
      }
    }
    if (matched) finding.matchedLines++;
  };
  /** Every-line mode, a line holding no literal: only what reads every line can use it. */
  const dispatchPlain = (no: number, text: string) => {
    if (context(no, text)) return;
    for (let i = 0; i < active.length; i++) if (feeds[i] === undefined) active[i].p.line(no, text);
    let matched = false;
    for (const s of sigset.sigs) {
      if (s.literal || s.literalRe) continue;
      if (sigMatches(s, text)) {
        onSig(s, no, text);
        matched = true;
      }
    }
    if (matched) finding.matchedLines++;
  };

  let lines = 0;
  try {
    for await (const block of input.blocks) {
      lines = block.firstLine + block.count - 1;
      if (!pastProbation && input.bytes() > PROBATION_BYTES) {
        pastProbation = true;
        feeds = active.map(feedOf);
        plan = literalsNow();
      }
      if (!big && input.bytes() > PASTE_SNIFF_BYTES) {
        big = true;
        feeds = active.map(feedOf);
        plan = literalsNow();
        const stopped = active.filter((a, i) => !a.probation && feeds[i]?.length === 0).map((a) => a.def.kind);
        if (stopped.length) warn(`${spec.display}: over ${PASTE_SNIFF_BYTES / 1024 / 1024} MB; ${stopped.join(', ')} read from the first part only`);
      }
      const lineMode = sigset.needsAllLines || feeds.some((f) => f === undefined);
      const bl = block.bytes;
      if (bl) {
        // Fast path: search the raw bytes; decode only the lines that are read.
        if (!lineMode) {
          plan.set.scanBytes(bl, block.firstLine, (ls, le, no, ids) => dispatchHits(no, bl, ls, le, ids));
          continue;
        }
        // Every line is read, but literal owners only see lines holding their literal (as dispatch() checks).
        let next = 0; // next line (0-based in the block) to hand out
        const upTo = (stop: number) => {
          for (; next < stop; next++) {
            const start = next === 0 ? 0 : bl.ends[next - 1] + 1;
            dispatchPlain(block.firstLine + next, bl.text(start, bl.end(next)));
          }
        };
        plan.set.scanBytes(bl, block.firstLine, (ls, le, no) => {
          upTo(no - block.firstLine);
          dispatch(no, bl.text(ls, le), true);
          next++;
        });
        upTo(bl.count);
        continue;
      }
      const text = block.text;
      if (lineMode) {
        let start = 0;
        let no = block.firstLine;
        while (start <= text.length) {
          let nl = text.indexOf('\n', start);
          if (nl === -1) nl = text.length;
          dispatch(no, ownLine(text, start, nl), true);
          no++;
          start = nl + 1;
        }
        continue;
      }
      // Literal mode: only lines holding some literal are cut out of the block.
      plan.set.scan(text, block.firstLine, (ls, le, no) => dispatch(no, ownLine(text, ls, le), false));
    }
  } catch (e) {
    warn(`${spec.display}: read failed after line ${lines} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); using what was read`);
  }
  finding.lines = lines;
  finding.bytes = input.bytes();
  for (const a of active) {
    for (const o of a.p.finish()) {
      const decl = declarationOf(a.def.emits, o.key);
      if (!decl) {
        warn(`${spec.display}: reader ${a.def.kind} emitted "${o.key}", which it does not declare; ignored`);
        continue;
      }
      if (transcript.host && !o.host) o.host = transcript.host;
      (decl.type === 'data' ? internal : finding.observations).push(o);
    }
  }
  finding.signatures = [...hits.values()].sort((a, b) => a.line - b.line);
  if (!finding.kinds.length && !finding.observations.length && !finding.signatures.length) {
    finding.skipped = commandNames.size
      ? `no reader recognised the output of ${[...commandNames].join(', ')} and no known message was found; skipped`
      : 'format not recognised and no known message found; skipped';
    warn(`${spec.display}: ${finding.skipped}`);
  }
  return { finding, internal };
}

export async function readEvidenceFiles(k: Knowledge, specs: string[], opts: { redact: boolean }): Promise<EvidenceResult> {
  const warnings: string[] = [];
  const parsed = specs.map(parseSpec);
  if (parsed.filter((s) => s.path === '-').length > 1) throw new UserError('--evidence: stdin ("-") can be given only once');
  for (const s of parsed) checkReadable(s);
  const sigset = compileSignatures(k.kb.signatures ?? [], (m) => warnings.push(m));
  const findings: FileFinding[] = [];
  const internals = new Map<FileFinding, Observation[]>();
  for (const spec of parsed) {
    const { finding, internal } = await scanFile(sigset, spec, (m) => warnings.push(m));
    findings.push(finding);
    internals.set(finding, internal);
  }
  // One unusable file among others is a warning; when none could be read, there is no evidence at all.
  if (findings.every((f) => f.unusable)) {
    const why = findings.map((f) => `${f.file}: ${f.skipped?.replace(/; skipped$/, '')}`).join('; ');
    throw new UserError(`no usable evidence (${why}); give a text log or command output`);
  }
  runCombiners(findings, internals, (m) => warnings.push(m));

  const facts = new Map<string, FactRecord>();
  const clean = (t: string | undefined) => (t === undefined ? undefined : clip(opts.redact ? redact(t) : t, PROVENANCE_CHARS));
  const disagreements = new Set<string>();
  const offer = (f: FileFinding, ff: FactFinding) => {
    const def = k.facts.get(ff.fact);
    if (!def) {
      f.unknownFacts.push(ff);
      return;
    }
    let value: FactValue | null;
    try {
      value = coerceFactValue(def, ff.value);
    } catch (e) {
      if (e instanceof ValueError) {
        warnings.push(`${f.file}${ff.line ? `:${ff.line}` : ''}: ${e.message}; ignored`);
        return;
      }
      throw e;
    }
    if (value === null) return;
    if (!f.facts.some((x) => x.fact === ff.fact && x.value === value)) f.facts.push({ ...ff, value });
    const prev = facts.get(ff.fact);
    const source = { origin: 'evidence' as const, file: f.file, ...(ff.line ? { line: ff.line } : {}), ...(ff.text !== undefined ? { text: ff.text } : {}) };
    if (prev && ff.several && typeof prev.value === 'number' && typeof value === 'number') {
      if (ff.several === 'max' ? value > prev.value : value < prev.value) facts.set(ff.fact, { value, source });
      return;
    }
    if (prev) {
      if (prev.value !== value && !disagreements.has(ff.fact)) {
        disagreements.add(ff.fact);
        warnings.push(
          `evidence disagrees on ${ff.fact}: ${prev.source.file}${prev.source.line ? `:${prev.source.line}` : ''} says ${formatValue(def, prev.value)}, ${f.file}${ff.line ? `:${ff.line}` : ''} says ${formatValue(def, value)}; using ${formatValue(def, prev.value)}`,
        );
      }
      return;
    }
    facts.set(ff.fact, { value, source });
  };
  for (const f of findings) {
    for (const o of f.observations) o.text = clean(o.text);
    for (const h of f.signatures) h.text = clean(h.text) ?? '';
    // Signatures first (a line that says it outright), then parser observations, in line order.
    for (const h of f.signatures) for (const [fact, value] of Object.entries(h.sets)) offer(f, { fact, value, line: h.line, text: h.text, via: `signature:${h.id}` });
    for (const o of f.observations) for (const m of mapObservation(k.kb.evidenceMap ?? [], o.key, o.value)) offer(f, { fact: m.fact, value: m.value, line: o.line, text: o.text, via: o.key, ...(m.row.several ? { several: m.row.several } : {}) });
  }
  return { facts, warnings, findings };
}
