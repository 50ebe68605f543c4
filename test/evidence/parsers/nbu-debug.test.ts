import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nbuDebugParser } from '../../../src/evidence/parsers/nbu-debug.js';
import { FIX, runParser } from '../helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('NetBackup debug log parser', () => {
  it('seed 001 bpbrm: 10 s between connect attempts', () => {
    const o = runParser(nbuDebugParser, fx('bpbrm.log'));
    expect(o['nbu.connect_attempt_gap_s'].value).toBe(10);
    expect(o['nbu.connect_attempt_gap_s'].line).toBe(2);
    expect(o['nbu.slow_connect_attempts'].value).toBe(2);
  });
  it('dated timestamps with AM/PM and a midnight wrap', () => {
    const t = ['05/25/2023 11:59:55.500 PM [100.200] <2> vnet_async_connect: connect in progress: 1 0x1', '05/26/2023 12:00:05.500 AM [100.200] <2> vnet_async_connect: connect in progress: 2 0x2'];
    expect(runParser(nbuDebugParser, t.join('\n'))['nbu.connect_attempt_gap_s'].value).toBe(10);
  });
  it('threads are kept apart; quick retries give small gaps', () => {
    const t = ['10:00:00.000 [1.1] <2> x: connect in progress: 1 0x1', '10:00:00.100 [2.2] <2> x: connect in progress: 1 0x1', '10:00:00.050 [1.1] <2> x: connect in progress: 2 0x2', '10:00:00.300 [2.2] <2> x: connect in progress: 2 0x2'];
    expect(runParser(nbuDebugParser, t.join('\n'))['nbu.connect_attempt_gap_s'].value).toBe(0.2);
  });
});
