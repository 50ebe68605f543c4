import { describe, it, expect } from 'vitest';
import { LiteralSet } from '../../src/evidence/multi-literal.js';

function naive(text: string, lits: { text: string; ci: boolean }[]): number[] {
  return text.split('\n').flatMap((l, i) => (lits.some((x) => (x.ci ? l.toLowerCase().includes(x.text.toLowerCase()) : l.includes(x.text))) ? [i + 1] : []));
}

describe('multi-literal scanner', () => {
  it('finds exactly the lines a naive search finds', () => {
    const words = ['bind() failed', 'ESTAB', 'avc:', ': 25', 'connect in progress', 'Timeout waiting for device', 'x', 'TIME_WAIT'];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = Array.from({ length: 3000 }, () => {
      let s = '';
      for (let j = 0; j < 8; j++) s += rnd() < 0.05 ? words[Math.floor(rnd() * words.length)] : String.fromCharCode(97 + Math.floor(rnd() * 26)).repeat(1 + Math.floor(rnd() * 5));
      return s;
    });
    const text = lines.join('\n');
    for (const lits of [
      [{ text: 'bind() failed', ci: false }, { text: 'ESTAB', ci: false }],
      [{ text: 'avc:', ci: false }, { text: ': 25', ci: false }, { text: 'connect in progress', ci: false }],
      [{ text: 'TIMEOUT WAITING', ci: true }, { text: 'time_wait', ci: true }],
      [{ text: 'x', ci: false }],
    ]) {
      const got: number[] = [];
      new LiteralSet(lits).scan(text, 1, (s, e, no) => {
        expect(text.slice(s, e)).toBe(lines[no - 1]);
        got.push(no);
      });
      expect(got).toEqual(naive(text, lits));
    }
  });
});

describe('multi-literal scanner over bytes', () => {
  it('finds the same lines as the text scanner, and exactly the literals each line holds', async () => {
    const { ByteLines } = await import('../../src/evidence/lines.js');
    const words = ['bind() failed', 'ESTAB', 'ESTABLISHED', 'avc:', ': 25', 'connect in progress', 'Timeout waiting for device', 'TIME_WAIT', 'café', 'Cannot Connect', 'DiG', 'DiDiGG', 'é:'];
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = Array.from({ length: 5000 }, () => {
      let s = '';
      for (let j = 0; j < 10; j++) s += rnd() < 0.06 ? words[Math.floor(rnd() * words.length)] : ' ' + String.fromCharCode(65 + Math.floor(rnd() * 58)).repeat(1 + Math.floor(rnd() * 4));
      return s;
    });
    // LF line ends, and CRLF on every other line (the CR is not part of the line handed out).
    const texts = [lines.join('\n'), lines.map((l, i) => (i % 2 ? `${l}\r` : l)).join('\n')];
    for (const [enc, text] of (['utf-8', 'latin1'] as const).flatMap((e) => texts.map((t) => [e, t] as const))) {
      const buf = Buffer.from(text, enc === 'utf-8' ? 'utf8' : 'latin1');
      const ends: number[] = [];
      for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) ends.push(i);
      const bl = new ByteLines(buf, Int32Array.from(ends), ends.length + 1, enc, text.includes('\r'));
      for (const lits of [
        [{ text: 'bind() failed', ci: false }, { text: 'ESTAB', ci: false }, { text: 'ESTABLISHED', ci: false }],
        [{ text: 'avc:', ci: false }, { text: ': 25', ci: false }, { text: 'connect in progress', ci: false }, { text: 'cannot connect', ci: true }],
        [{ text: 'TIMEOUT WAITING', ci: true }, { text: 'time_wait', ci: true }, { text: 'café', ci: false }],
        [{ text: 'x', ci: false }, { text: 'ESTAB', ci: false }],
        // Short literals (under 4 bytes) are searched apart from the shift table: same lines, same ids.
        [{ text: 'DiG', ci: false }, { text: 'ESTAB', ci: false }, { text: ': 25', ci: false }, { text: 'AA', ci: false }, { text: 'é:', ci: false }, { text: 'TIME_WAIT', ci: false }],
        [{ text: 'DiG', ci: false }, { text: 'GG', ci: false }, { text: 'time_wait', ci: true }],
      ]) {
        const got: { no: number; ids: number[] }[] = [];
        new LiteralSet(lits).scanBytes(bl, 1, (s, e, no, ids) => {
          expect(bl.text(s, e)).toBe(lines[no - 1]);
          got.push({ no, ids: [...ids].sort() });
        });
        const want = lines.flatMap((l, i) => {
          const ids = lits.flatMap((x, id) => ((x.ci ? l.toLowerCase().includes(x.text.toLowerCase()) : l.includes(x.text)) ? [id] : []));
          return ids.length ? [{ no: i + 1, ids }] : [];
        });
        expect(got).toEqual(want);
      }
    }
  });
});
