/** Answers files and --fact flags → facts with provenance. Unknown ids and bad values are user errors. */
import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { coerceFactValue, quoted, ValueError, type FactRecord } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';
import { answersFileValidator, schemaDiagnostics } from './schema-check.js';
import { parseYamlText } from './yaml-source.js';
import { formatDiagnostic } from './diagnostics.js';

export const MAX_ANSWERS_BYTES = 256 * 1024;
/** A "fact: value" line (or a comment) is short; a longer line is a mistake or a payload, not an answer. */
export const MAX_ANSWERS_LINE_CHARS = 4096;

function suggest(k: Knowledge, id: string): string {
  const near = [...k.facts.keys()].filter((f) => f.includes(id) || id.includes(f)).slice(0, 3);
  return near.length ? ` (did you mean ${near.join(', ')}?)` : ' (run "backup-triage list facts")';
}

export function readAnswersFile(k: Knowledge, path: string): Map<string, FactRecord> {
  let text: string;
  try {
    if (statSync(path).size > MAX_ANSWERS_BYTES) {
      throw new UserError(`${path}: answers file is larger than ${MAX_ANSWERS_BYTES / 1024} KiB; an answers file maps fact ids to values`);
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read answers file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  text = text.replace(/^\uFEFF/, '');
  const long = longLine(text);
  if (long) throw new UserError(`${path}:${long.line}: line is longer than ${MAX_ANSWERS_LINE_CHARS} characters (${long.length}); an answers file holds short "fact_id: value" lines`);
  const parsed = parseYamlText(path, text);
  const first = parsed.diagnostics[0];
  if (first) throw new UserError(formatDiagnostic(first));
  const src = parsed.source!;
  if (src.data === null || src.data === undefined) return new Map();
  // Unknown ids first: a clearer message than the schema's, and it keeps keys such as "toString" (which
  // shadow Object.prototype methods) away from the schema error formatter.
  if (typeof src.data === 'object' && !Array.isArray(src.data)) {
    for (const id of Object.keys(src.data)) {
      if (!k.facts.has(id)) {
        const pos = src.locateKey([id]);
        throw new UserError(`${path}:${pos.line}:${pos.col}: unknown fact ${quoted(id)}${suggest(k, id)}`);
      }
    }
  }
  const schemaErr = schemaDiagnostics(src, answersFileValidator())[0];
  if (schemaErr) throw new UserError(`${formatDiagnostic(schemaErr)} — an answers file is a mapping of fact id to value`);
  const out = new Map<string, FactRecord>();
  for (const [id, raw] of Object.entries(src.data as Record<string, unknown>)) {
    const pos = src.locateKey([id]);
    const fact = k.facts.get(id);
    if (!fact) throw new UserError(`${path}:${pos.line}:${pos.col}: unknown fact ${quoted(id)}${suggest(k, id)}`);
    try {
      out.set(id, { value: coerceFactValue(fact, raw), source: { origin: 'answers-file', file: path, line: pos.line } });
    } catch (e) {
      if (e instanceof ValueError) throw new UserError(`${path}:${pos.line}:${pos.col}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

function longLine(text: string): { line: number; length: number } | undefined {
  if (text.length <= MAX_ANSWERS_LINE_CHARS) return undefined;
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    if (nl - start > MAX_ANSWERS_LINE_CHARS) return { line, length: nl - start };
    start = nl + 1;
  }
  return undefined;
}

/** `--fact ID=VALUE` */
export function parseFactFlag(k: Knowledge, flag: string): [string, FactRecord] {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UserError(`--fact needs ID=VALUE, got ${quoted(flag)}`);
  const id = flag.slice(0, eq).trim();
  const fact = k.facts.get(id);
  if (!fact) throw new UserError(`--fact: unknown fact ${quoted(id)}${suggest(k, id)}`);
  try {
    return [id, { value: coerceFactValue(fact, flag.slice(eq + 1)), source: { origin: 'flag' } }];
  } catch (e) {
    if (e instanceof ValueError) throw new UserError(`--fact: ${e.message}`);
    throw e;
  }
}
