/**
 * Streaming evidence reader: bytes → decoded blocks of whole lines, in constant memory.
 * Decoding: UTF-8 (BOM stripped), UTF-16LE/BE (BOM, or BOM-less UTF-16LE recognised by its zero bytes),
 * Latin-1 when the start is not valid UTF-8. NUL bytes in the start of a file that is not UTF-16 mean
 * binary input: the file is refused with a message. CRLF and lone CR line ends are accepted.
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';

/** Longest line kept; the rest of a longer line is dropped (a line is evidence, not a payload). */
export const MAX_LINE_CHARS = 16 * 1024;
/** Read size: large enough that per-chunk overhead vanishes, small enough for constant memory. */
const CHUNK_BYTES = 1024 * 1024;
/** A run of bytes without any line end longer than this goes to the text path (which drops over-long lines). */
const MAX_CARRY_BYTES = 4 * MAX_LINE_CHARS;
const SNIFF_BYTES = 64 * 1024;
/**
 * The text path decodes this many bytes at a time. Decoding a whole read chunk makes a string of 2 MB
 * (UTF-16) per MB, built outside the V8 heap and then copied in, plus a copy with the line ends folded:
 * short-lived blocks that big pile up faster than they are collected, and grew peak RSS by over 200 MB on
 * a 200 MB log read this way. Pieces this small are ordinary young objects, collected as they go.
 */
const TEXT_PIECE_BYTES = 32 * 1024;

export class SkipInput extends Error {}

/** Tests turn the byte fast path off to compare it with the line-by-line text path. */
export const readerOptions = { byteBlocks: true };

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

/** A run of complete lines (joined by "\n", no trailing newline) and the 1-based number of its first line. */
export interface Block {
  text: string;
  firstLine: number;
  /** Number of lines in the block. */
  count: number;
  /**
   * Fast path (UTF-8 / Latin-1 input with "\n" or "\r\n" line ends, no NUL, no over-long line): the raw
   * bytes of the lines, so they can be searched without decoding; `text` is then decoded only when read.
   */
  bytes?: ByteLines;
}

/**
 * Line [start, end) of a decoded text block, as a string of its own. A plain slice shares the block's
 * memory, and V8 keeps the whole block alive for as long as any slice of it is referenced: the lines that
 * parsers and signature hits keep as provenance (one per trace, per volume host, per signature...) would
 * pin block after block. Appending a character and cutting it off again makes V8 copy the line.
 */
export function ownLine(text: string, start: number, end: number): string {
  return `${text.slice(start, end)} `.slice(0, -1);
}

type LatinSlice = Buffer & { latin1Slice(start: number, end: number): string };
const UTF8_LINE = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Complete lines as raw bytes (separated by 0x0A, optionally preceded by 0x0D; no other CR, no NUL, none
 * longer than MAX_LINE_CHARS bytes), with the offset of every "\n". A line is the bytes from the start of
 * its line to its end(): the CR of a CRLF line end is not part of it. Decoding a line here gives exactly
 * what the text path gives for it (which folds CRLF to LF).
 */
export class ByteLines {
  /** Pure ASCII: a line decodes as Latin-1 (one byte, one char). */
  readonly ascii: boolean;
  constructor(
    readonly buf: Buffer,
    /** Offset of the "\n" ending each line but the last (whose end is buf.length). */
    readonly ends: Int32Array,
    readonly count: number,
    readonly encoding: 'utf-8' | 'latin1',
    /** Some line ends are CRLF (then every CR in buf is the CR of one, or the last byte of buf). */
    readonly crlf = false,
  ) {
    this.ascii = encoding === 'latin1' || isAscii(buf);
  }
  /** End offset (exclusive) of line i (0-based within the block), before its CR if it ends in CRLF. */
  end(i: number): number {
    const e = i < this.count - 1 ? this.ends[i] : this.buf.length;
    return this.crlf && e > 0 && this.buf[e - 1] === 13 ? e - 1 : e;
  }
  /**
   * The decoded text of bytes [start, end) (a line, or a run of lines: those are joined by "\n", the CRs of
   * CRLF line ends dropped).
   */
  text(start = 0, end = this.buf.length): string {
    // latin1Slice: Buffer#toString('latin1', …) without its argument checks (this is per line read).
    const s = this.ascii ? (this.buf as LatinSlice).latin1Slice(start, end) : UTF8_LINE.decode(this.buf.subarray(start, end));
    return this.crlf && s.includes('\r') ? s.replace(/\r/g, '') : s;
  }
}

class FastBlock implements Block {
  private decoded?: string;
  constructor(readonly bytes: ByteLines, readonly firstLine: number) {}
  get count(): number {
    return this.bytes.count;
  }
  get text(): string {
    return (this.decoded ??= this.bytes.text());
  }
}

/**
 * Lines of `buf` (complete, the last one without its "\n") as ByteLines, or undefined when they need the
 * text path: a NUL byte, a CR that is not part of a CRLF line end, or a line longer than MAX_LINE_CHARS
 * bytes. A CR as the last byte of `buf` ends its last line: `buf` is cut just before a "\n", or is the end of
 * the input, where the text path reads a lone CR as a line end all the same.
 */
function byteLines(buf: Buffer, encoding: 'utf-8' | 'latin1'): ByteLines | undefined {
  if (buf.indexOf(0) !== -1) return undefined;
  const crlf = buf.indexOf(13) !== -1;
  if (crlf && !onlyCrlf(buf)) return undefined;
  let ends = new Int32Array(Math.max(16, buf.length >> 6));
  let n = 0;
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl === -1) break;
    if (nl - start > MAX_LINE_CHARS + (crlf && buf[nl - 1] === 13 ? 1 : 0)) return undefined;
    if (n === ends.length) {
      const grown = new Int32Array(ends.length * 2);
      grown.set(ends);
      ends = grown;
    }
    ends[n++] = nl;
    start = nl + 1;
  }
  if (buf.length - start > MAX_LINE_CHARS + (crlf && buf[buf.length - 1] === 13 ? 1 : 0)) return undefined;
  return new ByteLines(buf, ends.subarray(0, n), n + 1, encoding, crlf);
}

/** Every CR in `buf` is followed by a "\n" or is its last byte (a line end the text path folds to one "\n"). */
function onlyCrlf(buf: Buffer): boolean {
  const last = buf.length - 1;
  for (let cr = buf.indexOf(13); cr !== -1; cr = buf.indexOf(13, cr + 1)) {
    if (cr !== last && buf[cr + 1] !== 10) return false;
  }
  return true;
}

export function sniffEncoding(head: Buffer): { encoding: Encoding; bom: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const n = Math.min(head.length, SNIFF_BYTES);
  let nul = 0;
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      nul++;
      if (i & 1) oddNul++;
      else evenNul++;
    }
  }
  if (nul) {
    const half = n / 2;
    if (oddNul > half * 0.6 && evenNul < half * 0.05) return { encoding: 'utf-16le', bom: 0 };
    if (evenNul > half * 0.6 && oddNul < half * 0.05) return { encoding: 'utf-16be', bom: 0 };
    throw new SkipInput('binary data (NUL bytes), not a text log; skipped');
  }
  try {
    // Valid UTF-8 apart from a sequence cut at the end of the sniffed window?
    const cut = head.subarray(0, n);
    let end = cut.length;
    for (let back = 0; back < 3 && end > 0 && (cut[end - 1] & 0xc0) === 0x80; back++) end--;
    if (end > 0 && cut[end - 1] >= 0xc0) end--;
    new TextDecoder('utf-8', { fatal: true }).decode(cut.subarray(0, end));
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'latin1', bom: 0 };
  }
}

function makeDecoder(enc: Encoding): (buf: Buffer, final: boolean) => string {
  if (enc === 'latin1') return (b) => b.toString('latin1');
  if (enc === 'utf-16be') {
    const d = new TextDecoder('utf-16le');
    let odd: Buffer | undefined;
    return (b, final) => {
      let buf = odd ? Buffer.concat([odd, b]) : Buffer.from(b);
      odd = undefined;
      if (buf.length & 1) {
        odd = buf.subarray(buf.length - 1);
        buf = buf.subarray(0, buf.length - 1);
      }
      buf.swap16();
      return d.decode(buf, { stream: !final });
    };
  }
  const d = new TextDecoder(enc);
  return (b, final) => d.decode(b, { stream: !final });
}

export interface OpenedInput {
  encoding: Encoding;
  /** The first lines (decoded), for kind detection. */
  head: string[];
  blocks: AsyncGenerator<Block>;
  /** Bytes read so far (for the report). */
  bytes(): number;
}

async function* byteChunks(path: string): AsyncGenerator<Buffer> {
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const c of stream) yield typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
}

/**
 * The text path's line splitting: decoded text in, blocks of complete lines out, with CR/CRLF folded to
 * LF, NULs dropped, over-long lines capped (the rest of such a line dropped) and 1-based line numbers.
 * State carries over between calls, so a line may span chunks.
 */
class TextLineSplitter {
  lineNo = 1;
  private carry = '';
  /** Inside an over-long line: drop until its end. */
  private carryDropping = false;
  private pendingCR = false;

  /** Part of a line, or a CR, is waiting for more text. */
  pending(): boolean {
    return this.carry !== '' || this.carryDropping || this.pendingCR;
  }

  /** emit() for bytes, decoded (by a streaming decoder) TEXT_PIECE_BYTES at a time. */
  *emitBytes(data: Buffer, final: boolean, decode: (b: Buffer, final: boolean) => string): Generator<Block> {
    let at = 0;
    for (; data.length - at > TEXT_PIECE_BYTES; at += TEXT_PIECE_BYTES) yield* this.emit(decode(data.subarray(at, at + TEXT_PIECE_BYTES), false), false);
    yield* this.emit(decode(data.subarray(at), final), final);
  }

  *emit(text: string, final: boolean): Generator<Block> {
    if (this.pendingCR && text.startsWith('\n')) text = text.slice(1);
    this.pendingCR = false;
    if (text.includes('\r')) {
      if (!final && text.endsWith('\r')) this.pendingCR = true;
      text = text.replace(/\r\n?/g, '\n');
    }
    if (text.includes('\u0000')) text = text.replace(/\u0000+/g, '');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl === -1 && !final) {
      if (this.carryDropping) return;
      this.carry += text;
      if (this.carry.length > MAX_LINE_CHARS) {
        this.carry = this.carry.slice(0, MAX_LINE_CHARS);
        this.carryDropping = true;
      }
      return;
    }
    let body = final ? text : text.slice(0, lastNl);
    const rest = final ? '' : text.slice(lastNl + 1);
    if (this.carryDropping) {
      // The over-long line ends at the first line end of the text: inside body, or the one body was cut at.
      const nl = body.indexOf('\n');
      body = this.carry + (nl === -1 ? '' : body.slice(nl));
    } else body = this.carry + body;
    this.carry = rest.length > MAX_LINE_CHARS ? rest.slice(0, MAX_LINE_CHARS) : rest;
    this.carryDropping = rest.length > MAX_LINE_CHARS;
    if (final && body.endsWith('\n')) body = body.slice(0, -1);
    if (final && body === '') return;
    const count = countLines(body);
    if (count > 0) body = capLongLines(body);
    yield { text: body, firstLine: this.lineNo, count };
    this.lineNo += count;
  }
}

/**
 * Open an evidence file ("-" = stdin). Throws SkipInput for empty or binary input; fs errors pass through.
 */
export async function openInput(path: string, headLines = 60): Promise<OpenedInput> {
  const it = byteChunks(path);
  const pending: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    pending.push(r.value);
    have += r.value.length;
  }
  let total = have;
  const first = Buffer.concat(pending);
  if (first.length === 0) throw new SkipInput('empty file; skipped');
  const { encoding, bom } = sniffEncoding(first);
  const decode = makeDecoder(encoding);
  const firstText = decode(first.subarray(bom), done);
  if (!firstText.replace(/[\s\u0000]+/g, '')) throw new SkipInput('no text (only blanks); skipped');
  const head = firstText.slice(0, 64 * 1024).split(/\r\n|\n|\r/).slice(0, headLines);

  async function* textBlocks(): AsyncGenerator<Block> {
    const splitter = new TextLineSplitter();
    const emit = (text: string, final: boolean) => splitter.emit(text, final);
    if (done) {
      yield* emit(firstText, true);
      return;
    }
    yield* emit(firstText, false);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      total += r.value.length;
      yield* splitter.emitBytes(r.value, false, decode);
    }
    yield* emit(decode(Buffer.alloc(0), true), true);
  }

  /**
   * UTF-8 and Latin-1: lines are cut at "\n" bytes (which never occur inside a UTF-8 sequence), so clean
   * runs of lines are handed out as bytes (FastBlock), CRLF line ends included (the CR is left out of the
   * line); anything else the text path has to normalise (a lone CR, NUL, over-long lines, a run without line
   * end) goes through it, decoded, with the same line numbering.
   */
  async function* byteBlocks(enc: 'utf-8' | 'latin1'): AsyncGenerator<Block> {
    // The text path, used only for the parts that need it; it numbers lines for both paths.
    const splitter = new TextLineSplitter();
    const strDecoder = enc === 'latin1' ? undefined : new TextDecoder('utf-8', { ignoreBOM: true });
    const decodeStr = (b: Buffer, final: boolean) => (strDecoder ? strDecoder.decode(b, { stream: !final }) : b.toString('latin1'));
    let strBytes = 0; // bytes given to the text path that may still be pending in it (no line end yet)
    const emitText = (data: Buffer, final: boolean) => splitter.emitBytes(data, final, decodeStr);
    /** The text path holds part of a line (or a CR, or a partial character): later bytes must follow it there. */
    const textPending = () => strBytes > 0 || splitter.pending();
    let rest: Buffer = Buffer.alloc(0);
    // The text path's decoder drops a BOM at the very start of the stream (after the one sniffed): so do we.
    let atStart = enc === 'utf-8';
    const feed = function* (chunk: Buffer, final: boolean): Generator<Block> {
      if (rest.length && !final) {
        // The partial line carried over is completed by the start of this chunk: that one line is joined on
        // its own, so the rest of the chunk is used in place (no copy of every chunk, half the buffer churn).
        const nl = chunk.indexOf(10);
        if (nl !== -1 && nl + 1 < chunk.length) {
          yield* feed(chunk.subarray(0, nl + 1), false);
          yield* feed(chunk.subarray(nl + 1), false);
          return;
        }
      }
      let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      rest = Buffer.alloc(0);
      if (atStart && (data.length >= 3 || final)) {
        atStart = false;
        if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      if (final) {
        if (!textPending()) {
          const head = data.length && data[data.length - 1] === 10 ? data.subarray(0, data.length - 1) : data;
          if (!head.length) return;
          const lines = byteLines(head, enc);
          if (lines) {
            yield new FastBlock(lines, splitter.lineNo);
            splitter.lineNo += lines.count;
            return;
          }
        }
        yield* emitText(data, true);
        return;
      }
      const lastNl = data.lastIndexOf(10);
      if (lastNl === -1) {
        // No line end yet: wait for more, unless this is a long run or has CRs (the text path copes with both).
        if (!textPending() && data.length <= MAX_CARRY_BYTES && !data.includes(13)) {
          rest = data;
          return;
        }
        strBytes += data.length;
        yield* emitText(data, false);
        return;
      }
      rest = data.subarray(lastNl + 1);
      const lines = textPending() ? undefined : byteLines(data.subarray(0, lastNl), enc);
      if (lines) {
        yield new FastBlock(lines, splitter.lineNo);
        splitter.lineNo += lines.count;
        return;
      }
      // Text path: up to and including the line end, so nothing is left pending in it afterwards.
      strBytes = 0;
      yield* emitText(data.subarray(0, lastNl + 1), false);
    };
    if (done) {
      yield* feed(first.subarray(bom), true);
      return;
    }
    yield* feed(first.subarray(bom), false);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      total += r.value.length;
      yield* feed(r.value, false);
    }
    yield* feed(Buffer.alloc(0), true);
  }

  const blocks = readerOptions.byteBlocks && (encoding === 'utf-8' || encoding === 'latin1') ? byteBlocks(encoding) : textBlocks();
  return { encoding, head, blocks, bytes: () => total };
}

export function countLines(text: string): number {
  let n = 1;
  let i = -1;
  while ((i = text.indexOf('\n', i + 1)) !== -1) n++;
  return n;
}

function capLongLines(body: string): string {
  if (body.length <= MAX_LINE_CHARS) return body;
  // Cheap check: only rebuild when some line is actually too long.
  let start = 0;
  let long = false;
  while (start <= body.length) {
    let nl = body.indexOf('\n', start);
    if (nl === -1) nl = body.length;
    if (nl - start > MAX_LINE_CHARS) {
      long = true;
      break;
    }
    start = nl + 1;
  }
  if (!long) return body;
  return body
    .split('\n')
    .map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l))
    .join('\n');
}
