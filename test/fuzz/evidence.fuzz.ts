/**
 * Every evidence parser, kind detection, the streaming line reader and readEvidenceFiles on random and
 * mutated input: observations are well-formed, lines are numbered right, nothing throws or hangs.
 * (Read-only towards src/evidence: a failure here is reported, not fixed, by this suite.)
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { detectKinds } from '../../src/evidence/detect.js';
import { mapObservation } from '../../src/evidence/evidence-map.js';
import { MAX_LINE_CHARS, openInput, SkipInput } from '../../src/evidence/lines.js';
import { PARSERS } from '../../src/evidence/parsers/index.js';
import { QUIET_CONTEXT, type Observation } from '../../src/evidence/parsers/types.js';
import { readEvidenceFiles } from '../../src/evidence/read.js';
import { ROOT } from '../helpers.js';
import { assertPrototypeClean, fuzz, fuzzAsync, shippedKb } from './fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-fuzz-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (data: string | Buffer) => {
  const p = join(dir, `e${n++}.txt`);
  writeFileSync(p, data);
  return p;
};

const FIX = join(ROOT, 'test/fixtures/evidence');
const fixtureLines = readdirSync(FIX, { withFileTypes: true })
  .filter((e) => e.isFile() && !e.name.endsWith('.bin'))
  .map((e) => e.name)
  .flatMap((f) => readFileSync(join(FIX, f), 'latin1').split(/\r\n|\n|\r/))
  .filter((l) => l.trim());
const words = [...new Set(fixtureLines.flatMap((l) => l.split(/\s+/)).filter(Boolean))];
const EXTRA = [
  'ESTABLISHED', 'SYN_SENT', 'TIME_WAIT', 'CLOSE_WAIT', 'LISTEN', 'tcp', 'tcp6', 'TCP', '0', '-1', '99999999999999999999', '1e400', 'NaN',
  '0.0.0.0:0', '[::]:*', '*:*', '10.0.0.1:65536', '10.0.0.1.1556', 'ms', 'time=', 'time=0.1', 'ttl=64', 'Mbits/sec', 'Gbits/sec', 'KByte',
  '00:00:00', '23:59:59.999', '12:00:00 AM', '99:99:99', '[1234]', '[1.2]', '<2>', 'connect in progress: 1', 'net.ipv4.ip_local_port_range', '=',
  '65535', '1024', '* * *', 'Request timed out.', 'Destination Host Unreachable', 'Frag needed', 'message too long', 'Query time:', 'msec',
  ';;', 'real', 'user', '0m10.0s', 'req-', 'volume', 'cinder', '$', '#', '>', 'netstat', 'ss', '-tan', 'state', 'Recv-Q', 'Send-Q', '\t', '',
];
const token = fc.oneof(fc.constantFrom(...words), fc.constantFrom(...EXTRA), fc.integer({ min: -5, max: 70000 }).map(String), fc.string({ maxLength: 6 }));
const randomLine = fc.array(token, { maxLength: 14 }).chain((t) => fc.constantFrom(' ', '  ', '\t', '').map((sep) => t.join(sep)));
const mutatedLine = fc.tuple(fc.constantFrom(...fixtureLines), fc.nat(), fc.nat(), token).map(([l, a, b, t]) => {
  const i = a % (l.length + 1);
  return b % 3 === 0 ? l.slice(0, i) + t + l.slice(i) : b % 3 === 1 ? l.slice(0, i) + l.slice(i + 1 + (b % 7)) : l.replace(/\d+/, t);
});
const anyLine = fc.oneof({ weight: 2, arbitrary: mutatedLine }, { weight: 2, arbitrary: randomLine }, { weight: 1, arbitrary: fc.constantFrom(...fixtureLines) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) });

function checkObservations(obs: Observation[], lines: number): void {
  for (const o of obs) {
    expect(typeof o.key).toBe('string');
    const ok = typeof o.value === 'boolean' || typeof o.value === 'string' || (typeof o.value === 'number' && Number.isFinite(o.value));
    if (!ok) throw new Error(`observation ${o.key} has value ${String(o.value)}`);
    if (o.line !== undefined) {
      expect(Number.isInteger(o.line)).toBe(true);
      expect(o.line).toBeGreaterThanOrEqual(1);
      expect(o.line).toBeLessThanOrEqual(lines);
    }
    if (o.text !== undefined) expect(typeof o.text).toBe('string');
    for (const m of mapObservation(shippedKb().kb.evidenceMap, o.key, o.value)) expect(typeof m.fact).toBe('string');
  }
}

describe('evidence parsers under fuzzing', () => {
  for (const def of PARSERS) {
    it(`${def.kind}: any lines give well-formed observations`, () => {
      fuzz(`parser ${def.kind}`, 2000, [fc.array(anyLine, { maxLength: 60 })], (lines) => {
        const p = def.create(QUIET_CONTEXT);
        lines.forEach((l, i) => p.line(i + 1, l));
        checkObservations(p.finish(), lines.length);
        assertPrototypeClean();
      });
    });
  }

  it('kind detection on any head', () => {
    fuzz('detectKinds', 2000, [fc.array(anyLine, { maxLength: 60 })], (head) => {
      const d = detectKinds(head);
      expect(d.kinds.length).toBe(d.labels.length);
    });
  });

  it('pathological single lines (long, repetitive) stay fast in every parser', () => {
    fuzz('parsers: long lines', 100, [fc.constantFrom(...EXTRA, ...words.slice(0, 50)), fc.integer({ min: 100, max: MAX_LINE_CHARS / 4 })], (t, times) => {
      const line = `${t} `.repeat(times).slice(0, MAX_LINE_CHARS);
      for (const def of PARSERS) {
        const p = def.create(QUIET_CONTEXT);
        for (let i = 1; i <= 5; i++) p.line(i, line);
        checkObservations(p.finish(), 5);
      }
    });
  });
});

describe('line reader and readEvidenceFiles under fuzzing', () => {
  /** Text lines with mixed line ends, some multi-byte characters, maybe no final newline. */
  const textFile = fc.tuple(
    fc.array(fc.tuple(fc.oneof(anyLine.map((l) => l.replace(/[\u0000\r\n]/g, '')), fc.constantFrom('é', '🙂 x', 'ü'.repeat(9))), fc.constantFrom('\n', '\r\n', '\r')), { minLength: 1, maxLength: 80 }),
    fc.boolean(),
  );

  it('openInput numbers and returns every line of a UTF-8 text exactly', async () => {
    await fuzzAsync('openInput: line structure', 500, [textFile], async ([parts, finalNl]) => {
      let text = parts.map(([l, e]) => l + e).join('');
      if (!finalNl) text = text.replace(/(\r\n|\r|\n)$/, '');
      const expected = text.split(/\r\n|\r|\n/);
      if (/(\r\n|\r|\n)$/.test(text)) expected.pop();
      let input;
      try {
        input = await openInput(tmp(text));
      } catch (e) {
        if (!(e instanceof SkipInput)) throw e;
        expect(text.trim()).toBe('');
        return;
      }
      const got: string[] = [];
      for await (const b of input.blocks) {
        expect(b.firstLine).toBe(got.length + 1);
        const ls = b.text.split('\n');
        expect(ls.length).toBe(b.count);
        got.push(...ls);
      }
      expect(got).toEqual(expected.map((l) => l.slice(0, MAX_LINE_CHARS)));
    });
  });

  it('lines and line ends across the 1 MiB chunk boundary', async () => {
    await fuzzAsync('openInput: chunk boundary', 12, [fc.integer({ min: -3, max: 3 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom('é', 'x', '🙂')], async (shift, eol, ch) => {
      // Fill to just around 1 MiB, then put a line end (or a multi-byte char) on the boundary.
      const line = `${'a'.repeat(98)}${eol}`;
      const count = Math.floor((1024 * 1024) / line.length);
      const head = line.repeat(count);
      const pad = 1024 * 1024 - Buffer.byteLength(head) + shift;
      const text = `${head}${'b'.repeat(Math.max(0, pad))}${ch}${eol}tail${eol}`;
      const input = await openInput(tmp(text));
      const got: string[] = [];
      for await (const b of input.blocks) got.push(...b.text.split('\n'));
      const expected = text.split(eol);
      expected.pop();
      expect(got.length).toBe(expected.length);
      expect(got[got.length - 1]).toBe('tail');
      expect(got[got.length - 2]).toBe(expected[expected.length - 2]);
    });
  });

  const k = shippedKb();
  it('readEvidenceFiles on random bytes, mutated logs and odd encodings never throws', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
      fc.array(anyLine, { maxLength: 50 }).map((ls) => Buffer.from(ls.join('\n'))),
      fc.tuple(fc.constantFrom('utf16le', 'utf16be'), fc.array(anyLine, { maxLength: 30 }), fc.boolean()).map(([enc, ls, bom]) => {
        const le = Buffer.from(ls.join('\r\n'), 'utf16le');
        if (enc === 'utf16be') le.swap16();
        return bom ? Buffer.concat([Buffer.from(enc === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]) : le;
      }),
    );
    await fuzzAsync('readEvidenceFiles: any file', 500, [fc.array(bytes, { minLength: 1, maxLength: 3 })], async (files) => {
      let r;
      try {
        r = await readEvidenceFiles(k, files.map((b) => tmp(b)), { redact: true });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return;
      }
      for (const w of r.warnings) expect(typeof w).toBe('string');
      for (const [id, rec] of r.facts) {
        expect(k.facts.has(id)).toBe(true);
        expect(rec.source.origin).toBe('evidence');
      }
      assertPrototypeClean();
    });
  });
});
