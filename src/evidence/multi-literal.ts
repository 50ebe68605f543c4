/**
 * One pass over a block for many literals at once, as grep does with several -e patterns.
 * Literals of 5+ characters are searched with Wu-Manber (bigram shift table over the shortest such length,
 * case folded for ASCII, so most positions are skipped); shorter literals, if any, by indexOf each.
 * Calls back once per line that holds any literal, in line order, with the line number. Lines are only
 * cut out of the block on a hit, so a multi-gigabyte log is read at close to memory speed.
 */
const LOWER = new Uint8Array(256);
for (let c = 0; c < 256; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
const fold = (c: number) => LOWER[c & 0xff];

export interface Literal {
  text: string;
  ci: boolean;
}

interface Entry {
  text: string;
  lower: string;
  ci: boolean;
}

const LONG = 5;

export class LiteralSet {
  private readonly m: number;
  private readonly shift: Uint8Array;
  private readonly byBigram = new Map<number, Entry[]>();
  private readonly short: Entry[] = [];
  readonly empty: boolean;

  constructor(literals: readonly Literal[]) {
    const entries = literals.filter((l) => l.text.length > 0).map((l) => ({ text: l.text, lower: l.text.toLowerCase(), ci: l.ci }));
    this.empty = entries.length === 0;
    const long = entries.filter((e) => e.text.length >= LONG);
    this.short = entries.filter((e) => e.text.length < LONG);
    this.m = long.length ? Math.min(16, ...long.map((e) => e.text.length)) : 0;
    const m = this.m;
    this.shift = new Uint8Array(1 << 16).fill(Math.max(1, m - 1));
    for (const e of long) {
      for (let j = 1; j < m; j++) {
        const bg = (fold(e.text.charCodeAt(j - 1)) << 8) | fold(e.text.charCodeAt(j));
        const s = m - 1 - j;
        if (s < this.shift[bg]) this.shift[bg] = s;
      }
      const last = (fold(e.text.charCodeAt(m - 2)) << 8) | fold(e.text.charCodeAt(m - 1));
      const list = this.byBigram.get(last) ?? [];
      list.push(e);
      this.byBigram.set(last, list);
    }
  }

  /** Start offsets of the lines (in order, unique) of `text` that hold a literal. */
  private lineStarts(text: string): number[] {
    const starts: number[] = [];
    const len = text.length;
    const m = this.m;
    if (m) {
      const { shift, byBigram } = this;
      let pos = m - 1;
      while (pos < len) {
        const bg = (fold(text.charCodeAt(pos - 1)) << 8) | fold(text.charCodeAt(pos));
        const s = shift[bg];
        if (s !== 0) {
          pos += s;
          continue;
        }
        const start = pos - m + 1;
        let hit = false;
        for (const e of byBigram.get(bg)!) {
          if (e.ci ? text.substr(start, e.text.length).toLowerCase() === e.lower : text.startsWith(e.text, start)) {
            hit = true;
            break;
          }
        }
        if (!hit) {
          pos++;
          continue;
        }
        starts.push(text.lastIndexOf('\n', start) + 1);
        const end = text.indexOf('\n', pos);
        if (end === -1) break;
        pos = end + m; // first window wholly on the next line
      }
    }
    if (this.short.length) {
      const lowerText = this.short.some((e) => e.ci) ? text.toLowerCase() : undefined;
      for (const e of this.short) {
        const hay = e.ci ? lowerText! : text;
        const needle = e.ci ? e.lower : e.text;
        let i = hay.indexOf(needle);
        while (i !== -1) {
          starts.push(text.lastIndexOf('\n', i) + 1);
          const end = text.indexOf('\n', i);
          if (end === -1) break;
          i = hay.indexOf(needle, end + 1);
        }
      }
      starts.sort((a, b) => a - b);
    }
    return starts;
  }

  /** onLine(start, end, lineNo) for every line of `text` (lines separated by "\n") holding a literal. */
  scan(text: string, firstLine: number, onLine: (start: number, end: number, lineNo: number) => void): void {
    if (this.empty) return;
    const starts = this.lineStarts(text);
    let lineNo = firstLine;
    let counted = 0;
    let prev = -1;
    for (const ls of starts) {
      if (ls === prev) continue;
      prev = ls;
      let nl = text.indexOf('\n', counted);
      while (nl !== -1 && nl < ls) {
        lineNo++;
        counted = nl + 1;
        nl = text.indexOf('\n', counted);
      }
      onLine(ls, nl === -1 ? text.length : nl, lineNo);
    }
  }
}
