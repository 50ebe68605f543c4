/**
 * A paste that mixes two hosts' socket tables (each after its own command line or header) is read as two
 * snapshots: counts and shares come from one table each, with the line where that table starts, never
 * from the two added together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketsParser } from '../../src/evidence/parsers/sockets.js';
import { FIX, runParser } from './helpers.js';

const linux = readFileSync(join(FIX, 'netstat-linux.txt'), 'utf8').trimEnd();
const windows = readFileSync(join(FIX, 'netstat-windows.txt'), 'utf8').replace(/\r/g, '').trimEnd();

describe('two hosts in one paste', () => {
  it('keeps each table apart and cites the table each figure comes from', () => {
    const text = ['$ netstat -ant    # media server', linux, '', 'C:\\> netstat -ano    # client', windows].join('\n');
    const windowsStart = text.split('\n').findIndex((l) => l.startsWith('C:\\>')) + 1;
    const o = runParser(socketsParser, text);
    expect(o['sockets.snapshots'].value).toBe(2);
    // The media server's table alone (398 sockets), not 398 + the client's.
    expect(o['sockets.total'].value).toBe(398);
    expect(o['sockets.share.TIME_WAIT'].value).toBeCloseTo(60.3, 1);
    expect(o['sockets.share.TIME_WAIT'].line).toBeLessThan(windowsStart);
    // The client's SYN_SENT sockets to PBX, cited in the client's table.
    expect(o['sockets.syn_sent.1556'].value).toBe(15);
    expect(o['sockets.syn_sent.1556'].line).toBeGreaterThan(windowsStart);
  });
});
