import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteLines } from '../../../src/evidence/lines.js';
import { socketRowFromBytes, socketRowFromText, socketsParser } from '../../../src/evidence/parsers/sockets.js';
import { QUIET_CONTEXT } from '../../../src/evidence/parsers/types.js';
import { FIX } from '../helpers.js';

/** Lines → ByteLines as lines.ts hands them out (LF or CRLF line ends; the encoding decides how a line decodes). */
function byteLines(lines: string[], encoding: 'utf-8' | 'latin1' = 'utf-8', eol = '\n'): ByteLines {
  const buf = Buffer.from(lines.join(eol), encoding === 'latin1' ? 'latin1' : 'utf8');
  const ends: number[] = [];
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) ends.push(i);
  return new ByteLines(buf, Int32Array.from(ends), ends.length + 1, encoding, eol === '\r\n');
}

/** Observations from the regex path (line() only) and from the byte fast path with line() as fallback. */
function bothWays(lines: string[], encoding: 'utf-8' | 'latin1' = 'utf-8', eol = '\n') {
  const slow = socketsParser.create(QUIET_CONTEXT);
  lines.forEach((l, i) => slow.line(i + 1, l));
  const bl = byteLines(lines, encoding, eol);
  const fast = socketsParser.create(QUIET_CONTEXT);
  let taken = 0;
  for (let i = 0; i < bl.count; i++) {
    const s = i === 0 ? 0 : bl.ends[i - 1] + 1;
    const e = bl.end(i);
    if (fast.bytes!(i + 1, bl, s, e)) taken++;
    else fast.line(i + 1, bl.text(s, e));
  }
  return { slow: slow.finish(), fast: fast.finish(), taken };
}

const STATE_NAMES = [
  'ESTABLISHED', 'ESTAB', 'SYN_SENT', 'SYN-SENT', 'SYN_SEND', 'SYN_RECV', 'SYN-RECV', 'SYN_RECEIVED', 'FIN_WAIT1', 'FIN-WAIT-1', 'FIN_WAIT_1',
  'FIN_WAIT2', 'FIN-WAIT-2', 'TIME_WAIT', 'TIME-WAIT', 'CLOSE_WAIT', 'CLOSE-WAIT', 'LAST_ACK', 'LAST-ACK', 'CLOSING', 'CLOSED', 'CLOSE',
  'LISTEN', 'LISTENING', 'BOUND', 'IDLE', 'UNCONN', 'ÉTABLIE', 'ETABLIE', 'ÉTABLI', 'ÉCOUTE', 'HERGESTELLT', 'ABHÖREN', 'WARTEND',
  'SCHLIESSEN_WARTEN', 'SYN_GESENDET', 'ESTABLECIDO', 'ESCUCHANDO', 'established', 'Time_Wait', 'hergestellt', 'établie',
  'ESTABLISHED/x', 'ESTAB-', 'TIME_WAITX', 'FOO', 'CLOSE_WAIT,', '1556',
];

/** Hand-picked rows: Linux netstat, ss, Windows (localised too), IPv6, Send-Q > 0, and near misses. */
const ROWS = [
  'tcp        0      0 10.1.2.3:40001     10.1.9.7:1556        TIME_WAIT',
  'tcp        0   4096 10.1.2.3:13724      10.1.9.8:40000       ESTABLISHED 4312/vnetd',
  'tcp        0      1 10.0.0.1:51234     10.0.0.2:1556        SYN_SENT    999/bpcd',
  'tcp6       0      0 :::22                   :::*                    LISTEN      1/sshd',
  'tcp6       0    512 [::1]:631               [::1]:45678             CLOSE_WAIT',
  'tcp6       0      0 ::ffff:10.1.1.1:443     ::ffff:10.1.1.2:51000   FIN_WAIT1',
  'tcp4       0     32 10.0.0.1.111           10.0.0.2.44361         ESTABLISHED',
  'TCP        0     32 DATA_DOMAIN_IP:111      AVAMAR_IP:44361         established',
  '   tcp 0 0 0.0.0.0:111 0.0.0.0:* LISTEN',
  'tcp\t0\t77\t10.0.0.1:2049\t10.0.0.9:800\tLAST_ACK',
  'tcp        0      0 10.1.2.3:40001     10.1.9.7:1556        TIME_WAIT > ss',
  'tcp        0      0 10.1.2.3:40001     10.1.9.7:1556        ESTABLISHED/foo',
  'tcp        0      0 10.1.2.3:40001     10.1.9.7:99999999999999999999 ESTABLISHED',
  'tcp        0      0 10.1.2.3:40001     10.1.9.7:1556',
  'udp        0      0 0.0.0.0:68              0.0.0.0:*',
  'tcp46      0      0 *.22                   *.*                    LISTEN',
  'ESTAB      0      0      10.0.0.5:22        10.0.0.9:51514',
  'ESTAB      0      4096   10.0.0.5:1556      10.0.0.9:51514  users:(("bpcd",pid=77,fd=3))',
  'tcp   SYN-SENT   0   1   10.0.0.5:50000   10.0.0.9:1556',
  'TIME-WAIT  0      0      [::ffff:10.0.0.5]:1556 [::ffff:10.0.0.9]:40000',
  'LISTEN     0      128    *:22               *:*',
  'UNCONN     0      0      0.0.0.0:68         0.0.0.0:*',
  'CLOSE-WAIT 1      0      10.0.0.5:22        10.0.0.9:51514 # note',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         ESTABLISHED     4312',
  '  TCP    10.0.0.5:50000         10.0.0.9:1556          SYN_SENT        4312',
  '  TCP    [::]:135               [::]:0                 LISTENING       1000',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         HERGESTELLT     4312',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         ÉTABLIE         4312',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         ABHÖREN         4312',
  '  TCP    10.0.0.5:50000         10.0.0.9:1556          SYN_GESENDET    4312',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         ESTABLECIDO     4312',
  '  TCP    10.0.0.5:1556          10.0.0.9:51514         WARTEND         4312',
  '  TCP    10.0.0.5:1556\u00a0         10.0.0.9:51514         ESTABLISHED     4312',
  '10.0.0.5.1556        10.0.0.9.51514       49640      0 49640      0 ESTABLISHED',
  '$ netstat -ant',
  'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
  'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port',
];

/** Deterministic pseudo-random rows built from the pieces the regexes care about. */
function randomRows(n: number, seed = 12345): string[] {
  let x = seed;
  const rnd = (k: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  const pick = <T>(a: readonly T[]) => a[rnd(a.length)];
  /** Mostly well-formed pieces, some near misses. */
  const mix = <T>(good: readonly T[], bad: readonly T[]) => (rnd(10) < 8 ? pick(good) : pick(bad));
  const proto = () => mix(['tcp', 'TCP', 'tcp4', 'tcp6', 'Tcp6'], ['tcp46', 'udp', 'tc', 'tcpx']);
  const num = () => mix(['0', '1', '32', '4096', '0007', '123456789012345'], ['1234567890123456', '-1', '1e3', '']);
  const addr = () =>
    mix(
      ['10.0.0.1:80', '[::1]:22', '*:*', '0.0.0.0:*', 'a:*', '1.2.3.4.1556', 'host:0080', '::ffff:10.1.1.1:443', '[::]:*', 'DATA_DOMAIN_IP:111', ':::22', '[fe80::1%eth0]:22'],
      [':80', ':*', 'x:12*', 'h:', 'h.80x', 'h:123456789012345678', '[::1]', 'é:80', '10.0.0.1:5$', '1556'],
    );
  const state = () => pick(STATE_NAMES);
  const tail = ['', ' 4312/vnetd', ' users:(("sshd",pid=1,fd=3))', ' > ss -tan', ' $ netstat', ' 1234', ' café', ' # x', ' 100%', '/x', ',', '-'];
  const sep = () => mix([' ', '   ', '\t', ' \t '], ['\u000b', '\u000c', '\u00a0', '\u0085', '\u2003', '\u001f']);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const shape = rnd(5);
    let toks: string[];
    if (shape === 0) toks = [proto(), num(), num(), addr(), addr(), state()];
    else if (shape === 1) toks = [proto(), addr(), addr(), state()];
    else if (shape === 2) toks = [state(), num(), num(), addr(), addr()];
    else if (shape === 3) toks = [proto(), state(), num(), num(), addr(), addr()];
    else toks = Array.from({ length: 3 + rnd(5) }, () => [proto, num, addr, state][rnd(4)]());
    let row = (rnd(3) === 0 ? sep() : '') + toks.map((t, j) => (j ? sep() : '') + t).join('');
    row += pick(tail);
    rows.push(row);
  }
  return rows;
}

describe('socket rows read from bytes', () => {
  it('read each row as the regexes do, or leave it to them', () => {
    const rows = [...ROWS, ...randomRows(20_000)];
    let taken = 0;
    for (const r of rows) {
      for (const enc of ['utf8', 'latin1'] as const) {
        if (enc === 'latin1' && /[^\x00-\xff]/.test(r)) continue;
        const fast = socketRowFromBytes(Buffer.from(r, enc));
        if (fast === undefined) continue;
        taken++;
        expect({ row: r, ...fast }).toEqual({ row: r, ...socketRowFromText(r) });
      }
    }
    // The common forms do take the fast path; localised (non-ASCII) states, prompts and odd blanks do not.
    expect(taken).toBeGreaterThan(800);
    const fastOf = (r: string) => socketRowFromBytes(Buffer.from(r, 'utf8'));
    expect(fastOf(ROWS[0])).toEqual({ state: 'TIME_WAIT', sendQ: 0, local: 40001, remote: 1556 });
    expect(fastOf(ROWS[1])).toEqual({ state: 'ESTABLISHED', sendQ: 4096, local: 13724, remote: 40000 });
    expect(fastOf(ROWS[3])).toEqual({ state: 'LISTEN', sendQ: 0, local: 22, remote: undefined });
    expect(fastOf(ROWS[4])?.state).toBe('CLOSE_WAIT');
    expect(fastOf('ESTAB      0      4096   10.0.0.5:1556      10.0.0.9:51514  users:(("bpcd",pid=77,fd=3))')).toEqual({ state: 'ESTABLISHED', sendQ: 4096, local: 1556, remote: 51514 });
    expect(fastOf('  TCP    10.0.0.5:50000         10.0.0.9:1556          SYN_SENT        4312')).toEqual({ state: 'SYN_SENT', sendQ: undefined, local: 50000, remote: 1556 });
    expect(fastOf('  TCP    10.0.0.5:1556          10.0.0.9:51514         HERGESTELLT     4312')?.state).toBe('ESTABLISHED');
    expect(fastOf('  TCP    10.0.0.5:1556          10.0.0.9:51514         ÉTABLIE         4312')).toBeUndefined();
    expect(fastOf('tcp        0      0 10.1.2.3:40001     10.1.9.7:1556        TIME_WAIT > ss')).toBeUndefined();
    expect(fastOf('tcp        0      0 10.1.2.3:40001     10.1.9.7:1556        ESTABLISHED/foo')).toBeUndefined();
  });

  it('leave the parser as the line-by-line regex path does (fixtures, varied and random rows, both encodings)', () => {
    const fixtures = ['netstat-linux.txt', 'ss-tan.txt', 'ss-state-filter.txt', 'netstat-windows.txt', 'netstat-avamar.txt'].map((f) =>
      readFileSync(join(FIX, f), 'utf8').split(/\r?\n/),
    );
    const lists = [...fixtures, ROWS, randomRows(5000, 7), [...fixtures[0], ...ROWS, ...fixtures[1], ...randomRows(3000, 99), ...fixtures[3]]];
    let taken = 0;
    for (const lines of lists) {
      const r = bothWays(lines);
      expect(r.fast).toEqual(r.slow);
      taken += r.taken;
      const latin = lines.filter((l) => !/[^\x00-\xff]/.test(l));
      const r2 = bothWays(latin, 'latin1');
      expect(r2.fast).toEqual(r2.slow);
      const r3 = bothWays(lines, 'utf-8', '\r\n');
      expect(r3.fast).toEqual(r3.slow);
      expect(r3.taken).toBe(r.taken);
    }
    expect(taken).toBeGreaterThan(1000);
    // Send-Q > 0 and SYN_SENT rows: their entries keep the text of their first row, decoded from the bytes.
    const r = bothWays(ROWS);
    const keys = r.fast.map((o) => o.key);
    expect(keys).toContain('sockets.sendq_stuck.1556');
    expect(keys).toContain('sockets.syn_sent.1556');
    expect(r.fast.find((o) => o.key === 'sockets.sendq_stuck.1556')?.text).toContain('ESTAB');
  });
});
