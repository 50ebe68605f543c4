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
