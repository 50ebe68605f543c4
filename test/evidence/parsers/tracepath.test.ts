import { describe, it, expect } from 'vitest';
import { tracepathParser } from '../../../src/evidence/parsers/tracepath.js';
import type { TracePath } from '../../../src/evidence/path/trace.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const read = (lines: string[]) => runParser(tracepathParser, lines.join('\n'));
const reading = (lines: string[]) => readTextWith(tracepathParser, lines.join('\n'));

describe('tracepath reader', () => {
  it('the path MTU comes from a trace that reached, and its hop list goes to the combiner', () => {
    const r = reading(['[root@media01 ~]# tracepath -n 10.2.2.9', ' 1?: [LOCALHOST]                      pmtu 1500', ' 1:  10.1.1.1                                              0.412ms', ' 2:  10.9.0.1                                              1.902ms pmtu 1400', ' 3:  no reply', ' 4:  10.2.2.9                                              3.120ms reached', '     Resume: pmtu 1400 hops 4 back 4 ']);
    const o = Object.fromEntries(r.observations.map((x) => [x.key, x]));
    expect(o['tracepath.path_mtu_bytes'].value).toBe(1400);
    expect(o['tracepath.path_mtu_bytes'].host).toBe('media01');
    expect((o['trace.path'].data as TracePath).hops).toEqual([['10.1.1.1'], ['10.9.0.1'], [], ['10.2.2.9']]);
    // the same count both ways is no proof of the same route
    expect(o['tracepath.return_differs']).toBeUndefined();
    expect(r.withheld.map((w) => w.why).join('\n')).toMatch(/same count does not show the same route/);
  });

  it('an unreached trace gives no path MTU: a black hole hides the real one', () => {
    const r = reading(['$ tracepath dd02', ' 1?: [LOCALHOST]                      pmtu 1500', ' 1:  gw                                                    0.501ms', ' 2:  no reply', ' 3:  no reply', '     Too many hops: pmtu 1500']);
    expect(r.observations.find((o) => o.key === 'tracepath.path_mtu_bytes')).toBeUndefined();
    expect(r.withheld.map((w) => w.why).join('\n')).toMatch(/did not reach/);
  });

  it('"back 63" for 2 hops is a rewritten TTL, not an asymmetric route', () => {
    const o = read(['$ tracepath srv1', ' 1:  srv3                                 0.104ms pmtu 1500', ' 1:  hub-a                                1.015ms', ' 2:  srv1                                 1.267ms reached', '     Resume: pmtu 1500 hops 2 back 63 ']);
    expect(o['tracepath.return_differs']).toBeUndefined();
    expect(o['tracepath.path_mtu_bytes'].value).toBe(1500);
  });

  it('asymm on the reaching line without a Resume line', () => {
    const o = read(['$ tracepath -n 10.2.2.9', ' 1?: [LOCALHOST]                      pmtu 1500', ' 1:  10.1.1.1                0.5ms', ' 2:  10.2.2.9                1.2ms asymm  4 reached']);
    expect(o['tracepath.return_differs'].value).toBe(true);
  });

  it('reads nothing from `ip addr` lines that look like hops', () => {
    expect(read(['$ ip addr', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN', '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500'])).toEqual({});
  });
});
