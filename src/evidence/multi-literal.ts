/**
 * One pass over a block for many literals at once, as grep does with several -e patterns.
 * Literals of 5+ characters are searched with Wu-Manber (bigram shift table over the shortest such length,
 * case folded for ASCII, so most positions are skipped); shorter literals, if any, by indexOf each.
 * Calls back once per line that holds any literal, in line order, with the line number. Lines are only
 * cut out of the block on a hit, so a multi-gigabyte log is read at close to memory speed.
 */
import type { ByteLines } from './lines.js';

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

/** A literal as bytes, found through the window bytes[off, off + m). */
interface ByteEntry {
  id: number;
  bytes: Uint8Array;
  off: number;
  ci: boolean;
}

interface ByteTables {
  m: number;
  shift: Uint8Array;
  /** Entries by the raw bigram that ends their window (every case variant for case-insensitive ones). */
  cand: (ByteEntry[] | undefined)[];
  /**
   * Case-sensitive literals shorter than SHORT_BYTES, searched with Buffer#indexOf instead: in the shift
   * table they would cap every shift at 1 or 2 bytes for all the other literals.
   */
  short: { id: number; bytes: Uint8Array }[];
}

/** Literals of fewer bytes than this (and more than one) are searched on their own when longer ones exist. */
const SHORT_BYTES = 4;

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const caseVariants = (c: number, ci: boolean) => (ci && isAsciiLetter(c) ? [c | 0x20, c & ~0x20] : [c]);

export class LiteralSet {
  private readonly m: number;
  private readonly shift: Uint8Array;
  private readonly byBigram = new Map<number, Entry[]>();
  private readonly short: Entry[] = [];
  readonly empty: boolean;
  private readonly literals: readonly Literal[];
  private byteTables?: ByteTables | null;
  private readonly ids: number[] = [];
  private readonly hits: number[][] = [[], [], [], []];

  constructor(literals: readonly Literal[]) {
    this.literals = literals;
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

  /**
   * Wu-Manber over raw bytes (UTF-8 or Latin-1 lines from lines.ts). Every occurrence of every literal is
   * found (not just the first per line), so the caller learns which literals a line holds and only offers
   * it to their owners. Each literal is searched through its rarest window of m bytes (bigram counts of a
   * sample of the input), which keeps verifications few. null when the literals cannot be searched as
   * bytes (a literal under 2 bytes, a case-insensitive non-ASCII one, or one holding a line end).
   */
  private tables(encoding: 'utf-8' | 'latin1', sample: Uint8Array): ByteTables | null {
    // Built once, for the encoding of the first block: a set serves one file (read.ts builds one per file).
    if (this.byteTables !== undefined) return this.byteTables;
    const raw: { id: number; bytes: Uint8Array; ci: boolean }[] = [];
    for (let id = 0; id < this.literals.length; id++) {
      const l = this.literals[id];
      if (!l.text.length) continue;
      if (/[\n\r\u0000\ufffd\ud800-\udfff]/.test(l.text) || (l.ci && /[^\x00-\x7f]/.test(l.text))) return (this.byteTables = null);
      // A Latin-1 file never decodes to a character above U+00FF: such a literal cannot occur.
      if (encoding === 'latin1' && /[^\x00-\xff]/.test(l.text)) continue;
      const bytes = Buffer.from(l.text, encoding === 'latin1' ? 'latin1' : 'utf8');
      if (bytes.length < 2) return (this.byteTables = null);
      raw.push({ id, bytes: l.ci ? bytes.map((c) => LOWER[c]) : bytes, ci: l.ci });
    }
    const short = raw.some((r) => r.ci || r.bytes.length >= SHORT_BYTES) ? raw.filter((r) => !r.ci && r.bytes.length < SHORT_BYTES) : [];
    if (short.length) raw.splice(0, raw.length, ...raw.filter((r) => !short.includes(r)));
    const m = raw.length ? Math.min(32, ...raw.map((r) => r.bytes.length)) : 2;
    const freq = new Uint32Array(1 << 16);
    for (let i = 1; i < sample.length; i++) freq[(LOWER[sample[i - 1]] << 8) | LOWER[sample[i]]]++;
    const shift = new Uint8Array(1 << 16).fill(m - 1);
    const cand: (ByteEntry[] | undefined)[] = new Array(1 << 16);
    for (const r of raw) {
      // Rarest window: fewest sample occurrences of its bigrams, the last (which triggers a check) weighted.
      let off = 0;
      let best = Infinity;
      for (let k = 0; k + m <= r.bytes.length; k++) {
        let cost = 0;
        for (let j = 1; j < m; j++) cost += freq[(LOWER[r.bytes[k + j - 1]] << 8) | LOWER[r.bytes[k + j]]] * (j === m - 1 ? 4 : 1);
        if (cost < best) {
          best = cost;
          off = k;
        }
      }
      const e: ByteEntry = { id: r.id, bytes: r.bytes, off, ci: r.ci };
      for (let j = 1; j < m; j++) {
        const sv = m - 1 - j;
        for (const a of caseVariants(r.bytes[off + j - 1], r.ci)) {
          for (const b of caseVariants(r.bytes[off + j], r.ci)) {
            const bg = (a << 8) | b;
            if (sv < shift[bg]) shift[bg] = sv;
            if (sv === 0) (cand[bg] ??= []).push(e);
          }
        }
      }
    }
    return (this.byteTables = { m, shift, cand, short: short.map((r) => ({ id: r.id, bytes: r.bytes })) });
  }

  /**
   * onLine(start, end, lineNo, ids) for every line of the block holding a literal, in line order; ids are
   * the indices (into the constructor's list) of all literals the line holds, valid during the call only.
   */
  scanBytes(lines: ByteLines, firstLine: number, onLine: (start: number, end: number, lineNo: number, ids: readonly number[]) => void): void {
    if (this.empty) return;
    const buf = lines.buf;
    const t = this.tables(lines.encoding, buf.subarray(0, 64 * 1024));
    if (!t) return this.scanBytesAsText(lines, firstLine, onLine);
    const { m, shift } = t;
    const len = buf.length;
    const ends = lines.ends;
    const nEnds = ends.length;
    // Four independent cursors over four runs of whole lines: each step of one cursor waits on two loads, so
    // interleaving them keeps the CPU busy (about 3x faster than one cursor). A literal never spans a line end.
    const cut = nEnds >= 8 ? [0, ends[nEnds >> 2] + 1, ends[nEnds >> 1] + 1, ends[(3 * nEnds) >> 2] + 1, len + 1] : [0, len + 1, len + 1, len + 1, len + 1];
    const hits = this.hits;
    for (const h of hits) h.length = 0;
    let p0 = cut[0] + m - 1;
    let p1 = cut[1] + m - 1;
    let p2 = cut[2] + m - 1;
    let p3 = cut[3] + m - 1;
    const e0 = Math.min(len, cut[1] - 1);
    const e1 = Math.min(len, cut[2] - 1);
    const e2 = Math.min(len, cut[3] - 1);
    const e3 = len;
    while (p0 < e0 && p1 < e1 && p2 < e2 && p3 < e3) {
      const s0 = shift[(buf[p0 - 1] << 8) | buf[p0]];
      const s1 = shift[(buf[p1 - 1] << 8) | buf[p1]];
      const s2 = shift[(buf[p2 - 1] << 8) | buf[p2]];
      const s3 = shift[(buf[p3 - 1] << 8) | buf[p3]];
      if (s0 !== 0) p0 += s0;
      else this.verify(buf, p0++, t, hits[0]);
      if (s1 !== 0) p1 += s1;
      else this.verify(buf, p1++, t, hits[1]);
      if (s2 !== 0) p2 += s2;
      else this.verify(buf, p2++, t, hits[2]);
      if (s3 !== 0) p3 += s3;
      else this.verify(buf, p3++, t, hits[3]);
    }
    const rest = (pos: number, end: number, out: number[]) => {
      while (pos < end) {
        const sv = shift[(buf[pos - 1] << 8) | buf[pos]];
        if (sv !== 0) pos += sv;
        else this.verify(buf, pos++, t, out);
      }
    };
    rest(p0, e0, hits[0]);
    rest(p1, e1, hits[1]);
    rest(p2, e2, hits[2]);
    rest(p3, e3, hits[3]);
    if (t.short.length) this.addShortHits(buf, t, hits);
    // Hits (position, literal id pairs, in position order per run) → lines.
    const ids = this.ids;
    ids.length = 0;
    let li = 0;
    let pendingLine = -1;
    const flush = () => {
      const start = pendingLine === 0 ? 0 : ends[pendingLine - 1] + 1;
      onLine(start, lines.end(pendingLine), firstLine + pendingLine, ids);
      if (ids.length === 1) ids.pop();
      else ids.length = 0;
    };
    for (const h of hits) {
      for (let k = 0; k < h.length; k += 2) {
        const pos = h[k];
        while (li < nEnds && ends[li] < pos) li++;
        if (li !== pendingLine) {
          if (pendingLine !== -1) flush();
          pendingLine = li;
        }
        if (!ids.includes(h[k + 1])) ids.push(h[k + 1]);
      }
    }
    if (pendingLine !== -1) flush();
    for (const h of hits) h.length = 0;
  }

  /**
   * Occurrences of the short literals (Buffer#indexOf), merged into the hits: when there are any, all hits
   * go to hits[0] in position order (the other runs emptied), as the line assignment needs.
   */
  private addShortHits(buf: Buffer, t: ByteTables, hits: number[][]): void {
    const found: number[] = [];
    for (const e of t.short) {
      for (let i = buf.indexOf(e.bytes); i !== -1; i = buf.indexOf(e.bytes, i + 1)) found.push(i, e.id);
    }
    if (!found.length) return;
    const pairs: [number, number][] = [];
    for (const h of [...hits, found]) for (let k = 0; k < h.length; k += 2) pairs.push([h[k], h[k + 1]]);
    pairs.sort((a, b) => a[0] - b[0]);
    for (const h of hits) h.length = 0;
    for (const [pos, id] of pairs) hits[0].push(pos, id);
  }

  /** The window ending at pos has the bigram of some literals' windows: record those that are there. */
  private verify(buf: Uint8Array, pos: number, t: ByteTables, out: number[]): void {
    const list = t.cand[(buf[pos - 1] << 8) | buf[pos]]!;
    const len = buf.length;
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      const st = pos - t.m + 1 - e.off;
      const b = e.bytes;
      const n = b.length;
      if (st < 0 || st + n > len) continue;
      let j = 0;
      if (e.ci) while (j < n && LOWER[buf[st + j]] === b[j]) j++;
      else while (j < n && buf[st + j] === b[j]) j++;
      if (j === n) out.push(pos, e.id);
    }
  }

  /** Fallback for literals the byte search cannot take: decode, find lines, then which literals each holds. */
  private scanBytesAsText(lines: ByteLines, firstLine: number, onLine: (start: number, end: number, lineNo: number, ids: readonly number[]) => void): void {
    const text = lines.text();
    // Line start offsets in the text differ from byte offsets for non-ASCII UTF-8: map through line numbers.
    const ids = this.ids;
    this.scan(text, firstLine, (s, e, no) => {
      const line = text.slice(s, e);
      ids.length = 0;
      this.literals.forEach((l, id) => {
        if (l.text && (l.ci ? line.toLowerCase().includes(l.text.toLowerCase()) : line.includes(l.text))) ids.push(id);
      });
      const i = no - firstLine;
      if (ids.length) onLine(i === 0 ? 0 : lines.ends[i - 1] + 1, lines.end(i), no, ids);
    });
    ids.length = 0;
  }
}
