import { describe, it, expect, afterEach } from 'vitest';
import { loadKnowledge } from '../../src/cli/context.js';
import { readerOptions } from '../../src/evidence/lines.js';
import { readEvidenceFiles } from '../../src/evidence/read.js';
import { tmpFile } from './helpers.js';

const k = await loadKnowledge([]);

/** A log mixing NetBackup messages, netstat rows, odd encodings and line ends, past the paste size. */
function mixedLog(): Buffer {
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  text('$ netstat -ant\nProto Recv-Q Send-Q Local Address           Foreign Address         State\n');
  for (let i = 0; i < 40; i++) text(`tcp        0      ${i % 7 === 0 ? 4096 : 0} 10.0.0.1:${40000 + i}     10.0.0.2:1556        ${['ESTABLISHED', 'TIME_WAIT', 'SYN_SENT', 'CLOSE_WAIT'][i % 4]}\n`);
  text('net.ipv4.ip_local_port_range = 40000\t40100\n');
  text('17:00:00.001 [1.1] <2> vnet_async_connect: ... 0: connect in progress: 1 0x00000001\n');
  const filler = (i: number) =>
    [
      `17:00:${String(i % 60).padStart(2, '0')}.000 [1.1] <2> bptm write_data: waited for full buffer ${i} times, delayed ${i % 9} times`,
      `tcp        0      ${i % 13 === 0 ? 512 : 0} 10.1.2.3:${32768 + (i % 28000)}     10.1.9.${i % 250}:${i % 3 ? 1556 : 13724}        ${['TIME_WAIT', 'ESTABLISHED', 'FIN_WAIT1', 'CLOSE_WAIT', 'SYN_SENT', 'LAST_ACK'][i % 6]}`,
      `17:00:00.000 [1.1] <2> logconnections: BPCD CONNECT FROM 10.1.2.3.${3000 + (i % 6000)} TO 10.1.9.9.13724 fd = ${i % 2000}`,
    ][i % 3];
  let n = 0;
  const block = (lines: number, eol = '\n') => {
    const out: string[] = [];
    for (let j = 0; j < lines; j++, n++) {
      if (n % 9973 === 0) out.push('17:00:00.000 [1.1] <8> getsockbound: bind() failed ERRNO=98 Address already in use');
      else if (n % 7919 === 0) out.push('17:00:00.000 [1.1] <2> bpcr_put_vnetd_forward_socket: bpcd returned failure: 25');
      else if (n % 10007 === 0) out.push('17:00:00.000 [1.1] <16> bpcd: CANNOT CONNECT ON SOCKET (25)');
      else if (n % 5003 === 0) out.push('Volume 0b5f0c2e-8d1c-4c87-9b7e-4a3c5e2f1a9b could not be found. (HTTP 404) — café');
      else out.push(filler(n));
    }
    text(out.join(eol) + eol);
  };
  block(60000);
  block(3000, '\r\n'); // CRLF part: byte path too, the CRs left out of the lines
  block(20000);
  text('x'.repeat(40000) + ' TIME_WAIT bind() failed ERRNO=98\n'); // over-long line: text path
  block(20000);
  parts.push(Buffer.from('17:00:00.000 [1.1] <2> a NUL \u0000 here: bind() failed ERRNO=98\n', 'utf8'));
  while (parts.reduce((a, b) => a + b.length, 0) < 17.5 * 1024 * 1024) block(20000);
  block(3000, '\r\n'); // CRLF past the paste size: lines found by literal search over the bytes
  block(3000, '\r'); // lone CRs: text path
  text('tail without line end: remote host supports PBX, but PBX is not running');
  return Buffer.concat(parts);
}

const summary = async (path: string, kind?: string) => {
  const r = await readEvidenceFiles(k, [kind ? `${kind}:${path}` : path], { redact: true });
  const f = r.findings[0];
  const warnings = r.warnings.map((w) => w.replaceAll(path, 'FILE'));
  const facts = [...r.facts].map(([id, rec]) => [id, { ...rec, source: { ...rec.source, file: rec.source.file === path ? 'FILE' : rec.source.file } }]);
  return { lines: f.lines, matched: f.matchedLines, kinds: f.kinds, encoding: f.encoding, observations: f.observations, signatures: f.signatures, facts, warnings };
};

/** A few MB (several read chunks, under the paste size) of netstat rows and NetBackup messages, as lines. */
function twinLines(): string[] {
  const out = ['$ netstat -ant # café', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
  for (let i = 0; i < 40_000; i++) {
    if (i % 4999 === 0) out.push('17:00:00.000 [1.1] <8> getsockbound: bind() failed ERRNO=98 Address already in use');
    else if (i % 3001 === 0) out.push('17:00:00.001 [1.1] <2> vnet_async_connect: ... 0: connect in progress: 1 0x00000001');
    else if (i % 2003 === 0) out.push('Volume 0b5f0c2e-8d1c-4c87-9b7e-4a3c5e2f1a9b could not be found. (HTTP 404) café');
    else if (i % 2) out.push(`tcp        0      ${i % 13 === 0 ? 512 : 0} 10.1.2.3:${32768 + (i % 28000)}     10.1.9.${i % 250}:${i % 3 ? 1556 : 13724}        ${['TIME_WAIT', 'ESTABLISHED', 'SYN_SENT', 'CLOSE_WAIT'][(i >> 1) % 4]}`);
    else out.push(`17:00:${String(i % 60).padStart(2, '0')}.000 [1.1] <2> bptm write_data: waited for full buffer ${i} times, delayed ${i % 9} times`);
  }
  out.push('17:00:01.000 [1.1] <2> vnet_async_connect: ... 0: connect in progress: 2 0x00000002');
  return out;
}

describe('CRLF line ends', () => {
  it('a CRLF log and its LF twin give the same facts, observations, signatures and line numbers', async () => {
    const lines = twinLines();
    // UTF-8, and Latin-1 (the "é" then is not valid UTF-8, as in a Windows ANSI save).
    for (const enc of ['utf8', 'latin1'] as const) {
      const lf = tmpFile('twin.log', Buffer.from(`${lines.join('\n')}\n`, enc));
      const crlf = tmpFile('twin.log', Buffer.from(`${lines.join('\r\n')}\r\n`, enc));
      // Every line read (the detected socket table), and literal search only (forced to a literal-fed kind).
      for (const kind of [undefined, 'nbu-debug']) {
        const a = await summary(lf, kind);
        const b = await summary(crlf, kind);
        expect(a.lines).toBe(lines.length);
        expect(a.encoding).toBe(enc === 'utf8' ? 'utf-8' : 'latin1');
        expect(a.facts.length).toBeGreaterThan(kind ? 0 : 3);
        expect(a.signatures.length).toBeGreaterThan(0);
        if (!kind) expect(a.observations.map((o) => o.key)).toEqual(expect.arrayContaining(['sockets.syn_sent_port', 'sockets.sendq_stuck_port']));
        expect(b).toEqual(a);
      }
    }
  }, 60_000);
});

describe('byte fast path', () => {
  afterEach(() => {
    readerOptions.byteBlocks = true;
  });
  it('gives the same facts, observations, line numbers and warnings as the line-by-line text path', async () => {
    const p = tmpFile('mixed.log', mixedLog());
    const fast = await summary(p);
    readerOptions.byteBlocks = false;
    const slow = await summary(p);
    expect(fast.observations.length).toBeGreaterThan(5);
    expect(fast.signatures.length).toBeGreaterThan(2);
    expect(fast.lines).toBeGreaterThan(200_000);
    expect(fast).toEqual(slow);
  }, 60_000);
});
