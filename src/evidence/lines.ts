/**
 * Streaming evidence reader: bytes → decoded blocks of whole lines, in constant memory.
 * Decoding: UTF-8 (BOM stripped), UTF-16LE/BE (BOM, or BOM-less UTF-16LE recognised by its zero bytes),
 * Latin-1 when the start is not valid UTF-8. NUL bytes in the start of a file that is not UTF-16 mean
 * binary input: the file is refused with a message. CRLF and lone CR line ends are accepted.
 */
import { createReadStream } from 'node:fs';

/** Longest line kept; the rest of a longer line is dropped (a line is evidence, not a payload). */
export const MAX_LINE_CHARS = 16 * 1024;
const CHUNK_BYTES = 256 * 1024;
const SNIFF_BYTES = 64 * 1024;

export class SkipInput extends Error {}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

/** A run of complete lines (joined by "\n", no trailing newline) and the 1-based number of its first line. */
export interface Block {
  text: string;
  firstLine: number;
  /** Number of lines in the block. */
  count: number;
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

  async function* blocks(): AsyncGenerator<Block> {
    let carry = '';
    let carryDropping = false; // inside an over-long line: drop until its end
    let lineNo = 1;
    let pendingCR = false;
    const emit = function* (text: string, final: boolean): Generator<Block> {
      if (pendingCR && text.startsWith('\n')) text = text.slice(1);
      pendingCR = false;
      if (text.includes('\r')) {
        if (!final && text.endsWith('\r')) {
          pendingCR = true;
        }
        text = text.replace(/\r\n?/g, '\n');
      }
      if (text.includes('\u0000')) text = text.replace(/\u0000+/g, '');
      const lastNl = text.lastIndexOf('\n');
      if (lastNl === -1 && !final) {
        if (carryDropping) return;
        carry += text;
        if (carry.length > MAX_LINE_CHARS) {
          carry = carry.slice(0, MAX_LINE_CHARS);
          carryDropping = true;
        }
        return;
      }
      let body: string;
      let rest: string;
      if (final) {
        body = text;
        rest = '';
      } else {
        body = text.slice(0, lastNl);
        rest = text.slice(lastNl + 1);
      }
      if (carryDropping) {
        const nl = body.indexOf('\n');
        body = carry + (nl === -1 ? '' : body.slice(nl));
        if (nl === -1 && !final) return;
      } else body = carry + body;
      carryDropping = false;
      carry = rest.length > MAX_LINE_CHARS ? rest.slice(0, MAX_LINE_CHARS) : rest;
      carryDropping = rest.length > MAX_LINE_CHARS;
      if (final && body.endsWith('\n')) body = body.slice(0, -1);
      if (final && body === '' ) return;
      const count = countLines(body);
      if (count > 0) body = capLongLines(body);
      yield { text: body, firstLine: lineNo, count };
      lineNo += count;
    };
    if (done) {
      yield* emit(firstText, true);
      return;
    }
    yield* emit(firstText, false);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      total += r.value.length;
      yield* emit(decode(r.value, false), false);
    }
    yield* emit(decode(Buffer.alloc(0), true), true);
  }
  return { encoding, head, blocks: blocks(), bytes: () => total };
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
