import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParserDef, Observation } from '../../src/evidence/parsers/types.js';
import { readTextWith } from '../../src/evidence/run-text.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures', 'evidence');

/** A reader over a text, lines routed as the file scanner routes them (commands are context, not output). */
export function runParser(def: ParserDef, text: string): Record<string, Observation> {
  return Object.fromEntries(readTextWith(def, text).observations.map((o) => [o.key, o]));
}

export function tmpFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'bt-ev-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
