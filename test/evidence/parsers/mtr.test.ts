import { describe, it, expect } from 'vitest';
import { mtrParser } from '../../../src/evidence/parsers/mtr.js';
import type { TracePath } from '../../../src/evidence/path/trace.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const read = (lines: string[]) => runParser(mtrParser, lines.join('\n'));

describe('mtr reader', () => {
  it('columns come from the header, counted from the end: -b names and AS numbers do not shift them', () => {
    const r = readTextWith(mtrParser, ['$ mtr -rbz -c 10 dd02', 'HOST: avamar                             Loss%   Snt   Last   Avg  Best  Wrst StDev', '  1. AS64500  gw.site-a (10.1.1.1)       0.0%    10    0.4   0.4   0.3   0.5   0.1', '  2. AS???    ???                      100.0    10    0.0   0.0   0.0   0.0   0.0', '  3. AS64501  dd02 (10.2.0.5)          20.0%    10    4.2   4.3   4.1   4.6   0.1'].join('\n'));
    const o = Object.fromEntries(r.observations.map((x) => [x.key, x]));
    expect(o['trace.reached'].value).toBe(true);
    expect(o['mtr.dest_loss_pct'].value).toBe(20);
    const p = o['trace.path'].data as TracePath;
    expect(p.src).toBe('avamar');
    expect(p.hops).toEqual([['gw.site-a', '10.1.1.1'], [], ['dd02', '10.2.0.5']]);
  });

  it('other fields chosen with -o, and extra routers of one hop', () => {
    const r = readTextWith(mtrParser, ['$ mtr -r -o "LSD NBAW" -n 10.2.2.9', 'HOST: media01         Loss%   Snt  Drop   Last  Best   Avg  Wrst', '  1.|-- 10.1.1.1       0.0%    10     0    0.4   0.3   0.4   0.5', '  2.|-- 10.0.5.1       0.0%    10     0    2.1   1.9   2.2   3.1', '    |  `|-- 10.0.6.1', '  3.|-- 10.2.2.9       0.0%    10     0    4.2   4.1   4.3   4.6'].join('\n'));
    const p = r.observations.find((o) => o.key === 'trace.path')!.data as TracePath;
    expect(p.hops).toEqual([['10.1.1.1'], ['10.0.5.1', '10.0.6.1'], ['10.2.2.9']]);
    expect(p.reached).toBe(true);
  });

  it('a report that ends in ??? did not reach', () => {
    const o = read(['$ mtr --report -n 10.2.2.9', 'HOST: media01     Loss%   Snt   Last   Avg  Best  Wrst StDev', '  1.|-- 10.1.1.1   0.0%    10    0.5   0.5   0.4   0.7   0.1', '  2.|-- ???       100.0    10    0.0   0.0   0.0   0.0   0.0', '  3.|-- ???       100.0    10    0.0   0.0   0.0   0.0   0.0']);
    expect(o['trace.reached'].value).toBe(false);
    expect(o['trace.silent_hops'].value).toBe(2);
  });

  it('nothing without the header, and nothing from numbered lists', () => {
    expect(read(['  1.|-- 10.1.1.1   0.0%    10    0.5   0.5   0.4   0.7   0.1', '1. first item', '2. second item'])).toEqual({});
  });
});
