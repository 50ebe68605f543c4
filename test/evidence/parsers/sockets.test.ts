import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { socketsParser } from '../../../src/evidence/parsers/sockets.js';
import { FIX, runParser } from '../helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('sockets parser', () => {
  it('Linux netstat -antp: per-state counts and TIME_WAIT share', () => {
    const o = runParser(socketsParser, fx('netstat-linux.txt'));
    expect(o['sockets.total'].value).toBe(398);
    expect(o['sockets.count.TIME_WAIT'].value).toBe(240);
    expect(o['sockets.share.TIME_WAIT'].value).toBeCloseTo(60.3, 1);
    expect(o['sockets.count.CLOSE_WAIT'].value).toBe(36);
  });
  it('ss -tan: ss state names, SYN_SENT by port', () => {
    const o = runParser(socketsParser, fx('ss-tan.txt'));
    expect(o['sockets.count.SYN_SENT'].value).toBe(10);
    expect(o['sockets.syn_sent.1556'].value).toBe(10);
    expect(o['sockets.share.TIME_WAIT'].value).toBe(60);
  });
  it('ss with a state filter takes the state from the command line', () => {
    const o = runParser(socketsParser, fx('ss-state-filter.txt'));
    expect(o['sockets.count.TIME_WAIT'].value).toBe(25);
  });
  it('ss -tanp with Netid column and process', () => {
    const rows = ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
    for (let i = 0; i < 12; i++) rows.push(`tcp   CLOSE-WAIT 1 0 10.0.0.5:13782 10.0.0.8:${50000 + i} users:(("bpcd",pid=311,fd=${i}))`);
    expect(runParser(socketsParser, rows.join('\n'))['sockets.count.CLOSE_WAIT'].value).toBe(12);
  });
  it('Windows netstat -ano (CRLF)', () => {
    const o = runParser(socketsParser, fx('netstat-windows.txt'));
    expect(o['sockets.syn_sent.1556'].value).toBe(15);
    expect(o['sockets.count.ESTABLISHED'].value).toBe(15);
  });
  it('grep-filtered netstat (seed 000): Send-Q stuck on 111, no state counts', () => {
    const o = runParser(socketsParser, fx('netstat-avamar.txt'));
    expect(o['sockets.sendq_stuck.111'].value).toBe(1);
    expect(o['sockets.syn_sent.111'].value).toBe(1);
    expect(o['sockets.count.CLOSE_WAIT']).toBeUndefined();
  });
  it('Data Domain netstat (service side, local port 111)', () => {
    const o = runParser(socketsParser, ['ddboost@datadomain# netstat', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State', 'tcp        0     32 DATA_DOMAIN_IP:111      AVAMAR_IP:44361         ESTABLISHED', 'tcp        0     32 DATA_DOMAIN_IP:111      AVAMAR_IP:44419         ESTABLISHED'].join('\n'));
    expect(o['sockets.sendq_stuck.111'].value).toBe(2);
  });
  it('Solaris dotted ports', () => {
    const rows = ['   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State'];
    for (let i = 0; i < 12; i++) rows.push(`10.0.0.5.${40000 + i}     10.0.0.9.1556      64240      0 64240      0 TIME_WAIT`);
    expect(runParser(socketsParser, rows.join('\n'))['sockets.count.TIME_WAIT'].value).toBe(12);
  });
});
