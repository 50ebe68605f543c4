/**
 * Socket tables wrapped by a narrow terminal (each row continued on the next line) or cut: a wrapped row
 * is joined with its continuation and read as the whole row; a row that stays without its state is
 * counted, reported with the first such line, and keeps its table out of the state counts — instead of
 * a table of "0 in CLOSE_WAIT" that is really "state unknown".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketsParser } from '../../src/evidence/parsers/sockets.js';
import { readEvidenceFiles } from '../../src/evidence/read.js';
import { compileSources } from '../../src/kb/load.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { FIX, runParser, tmpFile } from './helpers.js';

/** Wrap every line at `width` columns, as a terminal does (the rest continues on the next line). */
const wrap = (text: string, width: number) =>
  text
    .split(/\r?\n/)
    .flatMap((l) => {
      const out: string[] = [];
      for (; l.length > width; l = l.slice(width)) out.push(l.slice(0, width));
      out.push(l);
      return out;
    })
    .join('\n');

const linux = readFileSync(join(FIX, 'netstat-linux.txt'), 'utf8');
const windows = readFileSync(join(FIX, 'netstat-windows.txt'), 'utf8');
const keys = ['sockets.total', 'sockets.count.TIME_WAIT', 'sockets.share.TIME_WAIT', 'sockets.count.CLOSE_WAIT', 'sockets.count.ESTABLISHED', 'sockets.syn_sent.1556'];
const values = (o: Record<string, { value: unknown }>) => Object.fromEntries(keys.map((k) => [k, o[k]?.value]));

describe('wrapped socket tables', () => {
  for (const [name, text] of [['Linux netstat', linux], ['Windows netstat', windows]] as const) {
    for (const width of [40, 52, 60, 66, 80]) {
      it(`${name} wrapped at ${width} columns reads as the unwrapped table`, () => {
        const whole = runParser(socketsParser, text);
        const wrapped = runParser(socketsParser, wrap(text, width));
        expect(values(wrapped)).toEqual(values(whole));
        expect(wrapped['sockets.rows_without_state']).toBeUndefined();
      });
    }
  }

  it('rows cut before their state are reported, and their table gives no state counts', () => {
    const rows = linux.split('\n');
    // Cut the state (and what follows) off every third row, as a careless paste might.
    const cut = rows.map((l, i) => (i > 2 && i % 3 === 0 && /^tcp/.test(l) ? l.slice(0, 60).trimEnd() : l)).join('\n');
    const o = runParser(socketsParser, cut);
    expect(o['sockets.rows_without_state'].value).toBeGreaterThan(100);
    expect(o['sockets.rows_without_state'].text).toMatch(/end before the state column/);
    expect(o['sockets.count.CLOSE_WAIT']).toBeUndefined();
    expect(o['sockets.share.TIME_WAIT']).toBeUndefined();
  });

  it('through the file reader, a wrapped table gives the same facts as the original', async () => {
    const k = indexKnowledge(compileSources().kb!);
    const a = await readEvidenceFiles(k, [join(FIX, 'netstat-linux.txt')], { redact: true });
    const b = await readEvidenceFiles(k, [tmpFile('wrapped.txt', wrap(linux, 60))], { redact: true });
    const facts = (r: typeof a) => Object.fromEntries([...r.facts].map(([f, rec]) => [f, rec.value]));
    expect(facts(b)).toEqual(facts(a));
    expect(Object.keys(facts(a))).toContain('time_wait_pct');
  });
});
