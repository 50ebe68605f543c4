import { describe, it, expect } from 'vitest';
import { openInput, SkipInput, MAX_LINE_CHARS, readerOptions } from '../../src/evidence/lines.js';
import { tmpFile } from './helpers.js';

async function readAll(path: string) {
  const input = await openInput(path);
  const lines: { no: number; text: string }[] = [];
  for await (const b of input.blocks) b.text.split('\n').forEach((t, i) => lines.push({ no: b.firstLine + i, text: t }));
  return { input, lines };
}

describe('streaming line reader', () => {
  it('reads CRLF and lone CR line ends', async () => {
    const { lines } = await readAll(tmpFile('a.txt', 'one\r\ntwo\r\nthree\rfour\n'));
    expect(lines.map((l) => l.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(lines.map((l) => l.no)).toEqual([1, 2, 3, 4]);
  });
  it('decodes UTF-16LE with BOM (Windows PowerShell redirect)', async () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('  TCP    10.0.0.1:50000   10.0.0.2:1556   SYN_SENT   4\r\nline 2\r\n', 'utf16le')]);
    const { input, lines } = await readAll(tmpFile('u16.txt', buf));
    expect(input.encoding).toBe('utf-16le');
    expect(lines[0].text).toContain('SYN_SENT');
    expect(lines[1]).toEqual({ no: 2, text: 'line 2' });
  });
  it('decodes BOM-less UTF-16LE', async () => {
    const { input, lines } = await readAll(tmpFile('u16b.txt', Buffer.from('hello world\nsecond line\n', 'utf16le')));
    expect(input.encoding).toBe('utf-16le');
    expect(lines.map((l) => l.text)).toEqual(['hello world', 'second line']);
  });
  it('decodes UTF-16BE with BOM', async () => {
    const le = Buffer.from('abc\ndef\n', 'utf16le');
    le.swap16();
    const { lines } = await readAll(tmpFile('u16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), le])));
    expect(lines.map((l) => l.text)).toEqual(['abc', 'def']);
  });
  it('strips a UTF-8 BOM and falls back to Latin-1 for invalid UTF-8', async () => {
    const a = await readAll(tmpFile('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x\n')])));
    expect(a.lines[0].text).toBe('x');
    const b = await readAll(tmpFile('l1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])));
    expect(b.input.encoding).toBe('latin1');
    expect(b.lines[0].text).toBe('café');
  });
  it('refuses binary and empty input with SkipInput', async () => {
    await expect(openInput(tmpFile('b.bin', Buffer.from([1, 0, 2, 3, 0, 0, 0, 9, 200, 0, 7])))).rejects.toBeInstanceOf(SkipInput);
    await expect(openInput(tmpFile('e.txt', ''))).rejects.toThrow(/empty/);
    await expect(openInput(tmpFile('w.txt', '\n\n  \n'))).rejects.toThrow(/no text/);
  });
  it('keeps line numbers right across chunk boundaries and caps over-long lines', async () => {
    const many = Array.from({ length: 40000 }, (_, i) => `line ${i + 1} ${'x'.repeat(i % 50)}`);
    many[20000] = 'y'.repeat(MAX_LINE_CHARS * 3);
    const { lines } = await readAll(tmpFile('big.txt', many.join('\r\n') + '\r\n'));
    expect(lines.length).toBe(40000);
    expect(lines[39999]).toEqual({ no: 40000, text: many[39999] });
    expect(lines[20000].text.length).toBe(MAX_LINE_CHARS);
    expect(lines[20001].text).toBe(many[20001]);
  });
  it('hands CRLF lines out as bytes, without their CR, as the text path reads them', async () => {
    const many = Array.from({ length: 30000 }, (_, i) => `line ${i + 1} café ${'x'.repeat(i % 50)}`);
    for (const tail of ['\r\n', '', '\r', '\n\r', '\r\n\r\n\r']) {
      const file = tmpFile('crlf.txt', many.join('\r\n') + tail);
      const input = await openInput(file);
      let fast = 0;
      const got: string[] = [];
      for await (const b of input.blocks) {
        if (b.bytes) fast += b.count;
        got.push(...b.text.split('\n'));
      }
      readerOptions.byteBlocks = false;
      const slow = await readAll(file).finally(() => (readerOptions.byteBlocks = true));
      expect(got).toEqual(slow.lines.map((l) => l.text));
      expect(got.slice(0, many.length)).toEqual(many);
      expect(fast).toBeGreaterThan(many.length - 10);
    }
  });
  it('decodes the text path piece by piece without splitting a character (UTF-8 lone CRs, UTF-16LE)', async () => {
    // Odd-length lines of 2-, 3- and 4-byte characters: piece boundaries fall inside characters somewhere.
    const many = Array.from({ length: 60000 }, (_, i) => `${i} café — 🙂 ${'é'.repeat(i % 7)}${'x'.repeat(i % 5)}`);
    const utf8 = await readAll(tmpFile('cr.txt', many.join('\r') + '\r'));
    expect(utf8.lines.map((l) => l.text)).toEqual(many);
    const utf16 = await readAll(tmpFile('u16big.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(many.join('\r\n'), 'utf16le')])));
    expect(utf16.input.encoding).toBe('utf-16le');
    expect(utf16.lines.map((l) => l.text)).toEqual(many);
  });
  it('caps consecutive over-long lines without losing the line after them (text path, any piece or chunk size)', async () => {
    // Lines longer than a decoded piece (and than a read chunk), back to back: the text holding the end of
    // one holds no other line end, and the next line starts there.
    for (const long of [70_000, 1_500_000]) {
      const many = ['first', 'a'.repeat(long), 'b'.repeat(long), 'after', 'c'.repeat(long), 'last'];
      for (const eol of ['\n', '\r\n', '\r']) {
        const { lines } = await readAll(tmpFile('long.txt', many.join(eol) + eol));
        expect(lines.map((l) => l.text)).toEqual(many.map((l) => l.slice(0, MAX_LINE_CHARS)));
        expect(lines.map((l) => l.no)).toEqual([1, 2, 3, 4, 5, 6]);
      }
    }
  });
  it('handles a last line without newline', async () => {
    const { lines } = await readAll(tmpFile('n.txt', 'a\nb'));
    expect(lines.map((l) => l.text)).toEqual(['a', 'b']);
  });
});
