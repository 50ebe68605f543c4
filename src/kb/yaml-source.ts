/**
 * Safe YAML reading with source positions. Every value read from a knowledge file can be traced back to
 * `file:line:col`, so schema and semantic errors point at the exact spot.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import type { SourcePos } from './types.js';

export type PathSegment = string | number;

export interface YamlSource {
  file: string;
  data: unknown;
  /** Position of the value at `path`, or of the closest existing ancestor. */
  locate(path: readonly PathSegment[]): SourcePos;
  /** Position of the key of the property at `path` (for unknown-property messages). */
  locateKey(path: readonly PathSegment[]): SourcePos;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_ALIASES = 20;
export const MAX_DEPTH = 64;

export interface ParseOutcome {
  source?: YamlSource;
  diagnostics: Diagnostic[];
}

/** Parser messages may quote the input: keep them on one line and free of control characters. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const oneLine = (m: string) => m.split('\n')[0].replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function parseYamlText(file: string, text: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, col };
  };
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    // The line counter is filled by the parser, which has not run: count lines up to the NUL here.
    const before = text.slice(0, nul);
    const line = before.split(/\r\n|\r|\n/).length;
    const col = nul - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return { diagnostics: [{ file, line, col, severity: 'error', message: 'binary content (NUL byte): not a YAML text file' }] };
  }
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    schema: 'core',
    customTags: [],
    // No YAML 1.1 extras (!!binary → Uint8Array, !!set → Set, !!omap, !!pairs, !!timestamp → Date): plain data only.
    resolveKnownTags: false,
    strict: true,
  }) as Document.Parsed;

  for (const e of doc.errors) {
    let message = oneLine(e.message);
    // The parser's own recursion gave out: only pathological nesting gets there.
    if (/call stack/i.test(message)) message = `nesting deeper than ${MAX_DEPTH} levels`;
    if (e.code === 'DUPLICATE_KEY') message = `duplicate key: ${message}`;
    diagnostics.push({ ...at(e.pos[0]), severity: 'error', message });
  }
  for (const w of doc.warnings) {
    const first = oneLine(w.message);
    const message = w.code === 'TAG_RESOLVE_FAILED' ? `custom tags are not allowed: ${first}` : first;
    diagnostics.push({ ...at(w.pos[0]), severity: 'error', message });
  }
  if (diagnostics.length) return { diagnostics };

  checkTree(doc.contents as Node | null, 0, at, diagnostics);
  if (diagnostics.length) return { diagnostics };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { diagnostics: [{ ...at(0), severity: 'error', message: `cannot read YAML: ${oneLine((e as Error).message)}` }] };
  }

  const nodeAt = (path: readonly PathSegment[]): { node: Node | null; depth: number } => {
    let node: unknown = doc.contents;
    let depth = 0;
    for (const seg of path) {
      let next: unknown;
      if (isMap(node)) {
        next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (!next) break;
      node = next;
      depth++;
    }
    return { node: node as Node | null, depth };
  };

  const source: YamlSource = {
    file,
    data,
    locate(path) {
      const { node } = nodeAt(path);
      return at(node?.range?.[0]);
    },
    locateKey(path) {
      const parentPath = path.slice(0, -1);
      const { node, depth } = nodeAt(parentPath);
      const key = path[path.length - 1];
      if (depth === parentPath.length && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (pair && isScalar(pair.key)) return at(pair.key.range?.[0]);
      }
      return at(node?.range?.[0]);
    },
  };
  return { source, diagnostics };
}

/** Refuse prototype-polluting keys and pathological nesting before converting to JS. */
function checkTree(node: Node | null, depth: number, at: (o: number | undefined) => SourcePos, out: Diagnostic[]): void {
  if (!node) return;
  if (depth > MAX_DEPTH) {
    out.push({ ...at(node.range?.[0]), severity: 'error', message: `nesting deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        out.push({
          ...at(pair.key.range?.[0]),
          severity: 'error',
          message: `forbidden key "${String(pair.key.value)}" (could alter object prototypes)`,
        });
      } else if (pair.key && !isScalar(pair.key)) {
        out.push({ ...at((pair.key as Node).range?.[0]), severity: 'error', message: 'mapping keys must be plain scalars' });
      }
      checkTree(pair.value as Node | null, depth + 1, at, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) checkTree(item as Node | null, depth + 1, at, out);
  }
}
