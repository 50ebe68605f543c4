import { describe, expect, it } from 'vitest';
import { jobRateParser, type JobRate } from '../../../src/evidence/parsers/job-rate.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const jobs = (text: string) => (runParser(jobRateParser, text)['job.rates']?.data ?? []) as JobRate[];

describe('job-rate reader', () => {
  it('NetBackup bptm log line: the backup id names the client, KB are 1024 bytes', () => {
    const [j] = jobs('03:44:40.112 [23145] <2> write_data: successfully wrote backup id client01_1715475612, copy 1, fragment 1, 5242880 Kbytes at 39.900 Kbytes/sec');
    expect(j).toMatchObject({ product: 'netbackup', client: 'client01' });
    expect(j.mbps).toBeCloseTo((39.9 * 1024 * 8) / 1e6, 4);
  });

  it('NetBackup job details: KB/Sec with Client and Media Server lines', () => {
    const [j] = jobs('Job ID:        4711\nClient:        client01.example.com\nMedia Server:  media01\nKB/Sec:        40\n');
    expect(j).toMatchObject({ client: 'client01.example.com', server: 'media01' });
  });

  it('a restore and a duplication are not backup rates, and say so', () => {
    const t = 'read backup id client01_1715475612, copy 1, fragment 1, 5242880 Kbytes at 900.000 Kbytes/sec\nwrote backup id client01_1715475612, copy 2, fragment 1, 5242880 Kbytes at 98000.000 Kbytes/sec';
    expect(jobs(t)).toEqual([]);
    expect(readTextWith(jobRateParser, t).withheld.map((w) => w.why).join(' ')).toMatch(/restore.*duplication/s);
  });

  it('Amanda 3.3 DUMP SUMMARY (ORIG-GB columns): the dumper KB/s, one job per host row', () => {
    const t = [
      '                                                          DUMPER STATS   TAPER STATS',
      'HOSTNAME     DISK        L ORIG-GB  OUT-GB  COMP%  MMM:SS   KB/s MMM:SS   KB/s',
      'local01      /           1     2.0     2.0    --     0:20 104857.6  0:10 209715.2',
      'suzuki       /home       0     1.9     1.9    --   830:02   39.9    2:00 16552.7',
      'suzuki       /etc        0     0.0     0.0    --     0:01    0.0    0:00    0.0',
    ].join('\n');
    const j = jobs(t);
    expect(j.map((x) => x.client)).toEqual(['local01', 'suzuki']);
    expect(runParser(jobRateParser, t)['job.rate_mbps'].value).toBeCloseTo(0.327, 3);
  });

  it('Amanda log: SUCCESS dumper counts, SUCCESS taper does not', () => {
    const j = jobs('SUCCESS dumper suzuki /home 20051114 0 [sec 49802.012 kb 1986528 kps 39.9 orig-kb 1986528]\nSUCCESS taper suzuki /home 20051114 0 [sec 2.1 kb 1986528 kps 16552.7 {wr: writers 62079}]');
    expect(j).toHaveLength(1);
    expect(j[0].client).toBe('suzuki');
  });

  it('Amanda STATISTICS: Avg Dump Rate only when no host row was read; the tape write rate never', () => {
    const t = 'Avg Dump Rate (k/s)         39.9       39.9       35.2\nAvg Tp Write Rate (k/s)  16644.9    16702.2     4985.3';
    const j = jobs(t);
    expect(j).toHaveLength(1);
    expect(j[0].mbps).toBeCloseTo(0.327, 3);
  });

  it('a table row without its header is not read', () => {
    expect(jobs('suzuki       /home       0 1986528 1986528   --    830:02   39.9   2:00 16552.7')).toEqual([]);
  });

  it('reads 16 K hostile lines in linear time', () => {
    expect(jobs([`${'Kbytes at '.repeat(1600)}`, `KB/Sec: ${'1,'.repeat(8000)}`, `SUCCESS dumper ${'kps '.repeat(4000)}`].join('\n'))).toEqual([]);
  });
});
