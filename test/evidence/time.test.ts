import { describe, expect, it } from 'vitest';
import { readStamp, secondsBetween, stampLine } from '../../src/evidence/time.js';

const at = (s: string) => {
  const st = readStamp(s);
  if (!st) throw new Error(`no stamp in ${s}`);
  return st;
};

describe('time stamps', () => {
  it.each([
    ['2026-11-24 02:10:01', '2026-11-24 02:10:11', 10],
    ['2026-11-24T02:10:01.250Z', '2026-11-24T02:10:02.750Z', 1.5],
    ['2026-11-24 02:10:01,100', '2026-11-24 02:10:01,600', 0.5],
    ['2026/11/24 23:59:59', '2026/11/25 00:00:09', 10],
    ['11/24/2026 11:59:59 PM', '11/25/2026 12:00:09 AM', 10],
    ['Tue Nov 24 02:10:01 UTC 2026', 'Tue Nov 24 02:40:01 UTC 2026', 1800],
    ['Tue 24 Nov 2026 02:10:01 AM UTC', 'Tue 24 Nov 2026 02:10:31 AM UTC', 30],
    ['mar. 24 nov. 2026 02:10:01 CET', 'mar. 24 nov. 2026 02:10:05 CET', 4],
    ['2026. 11. 24. (화) 02:10:01 KST', '2026. 11. 24. (화) 오후 02:10:01 KST', 12 * 3600],
    ['Nov 24 02:10:01', 'Nov 24 02:10:21', 20],
    ['02:10:01.100000', '02:10:04.100000', 3],
    ['23:59:58', '00:00:03', 5],
    ['[1700000000.100000]', '[1700000002.600000]', 2.5],
    ['Tuesday, November 24, 2026 2:10:01 AM', 'Tuesday, November 24, 2026 2:11:01 AM', 60],
  ])('%s → %s', (a, b, d) => expect(secondsBetween(at(a), at(b))).toBeCloseTo(d, 3));

  it('a stamp line is a stamp and decoration only', () => {
    expect(stampLine('=== Tue Nov 24 02:10:01 UTC 2026 ===')).toBeDefined();
    expect(stampLine('--- sample 3 at 02:10:03 ---')).toBeDefined();
    expect(stampLine('02:10:01 connect in progress: 1')).toBeUndefined();
    expect(stampLine('Active Internet connections')).toBeUndefined();
  });
});
