import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParserDef, Observation } from '../../src/evidence/parsers/types.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures', 'evidence');

export function runParser(def: ParserDef, text: string): Record<string, Observation> {
  const p = def.create();
  text.split(/\r?\n/).forEach((l, i) => p.line(i + 1, l));
  return Object.fromEntries(p.finish().map((o) => [o.key, o]));
}

export function tmpFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'bt-ev-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
