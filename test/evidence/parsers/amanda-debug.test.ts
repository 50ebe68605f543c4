import { describe, expect, it } from 'vitest';
import { amandaDebugParser } from '../../../src/evidence/parsers/amanda-debug.js';
import { runParser } from '../helpers.js';

describe('Amanda debug-log parser (daemon lifetime)', () => {
  it('amindexd that exits after a second (seed 003)', () => {
    const o = runParser(amandaDebugParser, [
      'amindexd: debug 1 pid 14822 ruid 33 euid 33: start at Fri Nov 18 15:25:02 2005',
      'amindexd: version 2.4.5',
      'amindexd: getpeername returned: Socket operation on non-socket',
      'amindexd: pid 14822 finish time Fri Nov 18 15:25:03 2005',
    ].join('\n'));
    expect(o['amanda.daemon_lifetime_s'].value).toBe(1);
    expect(o['amanda.daemon_lifetime_s'].line).toBe(4);
  });

  it('interleaved runs of two pids: the shortest lifetime is reported; CRLF is fine', () => {
    const o = runParser(amandaDebugParser, [
      'amandad: debug 1 pid 200 ruid 33 euid 33: start at Wed Nov  9 22:00:00 2005',
      'amindexd: debug 1 pid 201 ruid 33 euid 33: start at Wed Nov  9 22:00:05 2005',
      'amindexd: pid 201 finish time Wed Nov  9 22:00:07 2005',
      'amandad: pid 200 finish time Wed Nov  9 22:14:00 2005',
    ].join('\r\n'));
    expect(o['amanda.daemon_lifetime_s'].value).toBe(2);
  });

  it('a start without its finish (still running) says nothing', () => {
    const o = runParser(amandaDebugParser, 'amindexd: debug 1 pid 7 ruid 33 euid 33: start at Fri Nov 18 15:25:02 2005\namindexd: version 2.4.5');
    expect(o['amanda.daemon_lifetime_s']).toBeUndefined();
  });
});
