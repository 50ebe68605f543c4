import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectKinds } from '../../src/evidence/detect.js';
import { FIX } from './helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('kind detection', () => {
  it('recognises formats from their first lines', () => {
    expect(detectKinds(fx('netstat-linux.txt').split('\n').slice(0, 20)).kinds[0]).toBe('sockets');
    expect(detectKinds(fx('bpbrm.log').split('\n')).kinds).toContain('nbu-debug');
    expect(detectKinds(fx('ddpconnchk.txt').split('\n')).kinds).toContain('ddpconnchk');
    expect(detectKinds(fx('tracert.txt').split('\n')).kinds).toContain('traceroute');
    expect(detectKinds(['type=AVC msg=audit(1130000000.123:42): avc:  denied  { read } for  pid=2345 comm="amindexd"']).kinds).toContain('audit');
    expect(detectKinds(['just words']).kinds).toEqual([]);
  });
});
