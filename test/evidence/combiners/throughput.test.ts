import { describe, expect, it } from 'vitest';
import { backupVsIperf } from '../../../src/evidence/combiners/backup-vs-iperf.js';
import { combineInput } from '../../../src/evidence/combiners/index.js';
import { relate } from '../../../src/evidence/combiners/path-hosts.js';
import { transferVsJob } from '../../../src/evidence/combiners/transfer-vs-job.js';
import type { Located } from '../../../src/evidence/combiners/types.js';

const job = (mbps: number, client?: string, server?: string): Located => ({ key: 'job.rates', value: 1, file: 'job.txt', line: 3, data: [{ product: 'netbackup', mbps, client, server, line: 3, text: 'job' }] });
const flow = (mbps: number, dir: 'up' | 'down', clientHost?: string, serverHost?: string, stalled = false) => ({ dir, mbps, role: 'client', clientHost, serverHost, defaultWindow: true, streams: 1, simultaneous: false, stalled, line: 9, text: 'iperf' });
const flows = (...f: ReturnType<typeof flow>[]): Located => ({ key: 'iperf.flows', value: f.length, file: 'iperf.txt', line: 9, data: f });
const copy = (mbps: number, dir: 'out' | 'in' | undefined, localHost?: string, peer?: string): Located => ({ key: 'transfer.runs', value: 1, file: 'scp.txt', line: 2, data: [{ tool: 'scp', mbps, bytes: 1 << 30, dir, localHost, peer, line: 2, text: 'scp' }] });

function share(c: typeof backupVsIperf, input: Located[]): { value?: number; why: string[] } {
  const why: string[] = [];
  const out = c.combine(combineInput(input), (_a, w) => void why.push(w));
  return { value: out[0]?.value as number | undefined, why };
}

describe('path hosts', () => {
  it('relates a measurement to a job by names, first label only', () => {
    expect(relate('client01', 'media01.example.com', 'client01.example.com', 'media01')).toBe('same');
    expect(relate('media01', 'client01', 'client01', 'media01')).toBe('opposite');
    expect(relate('web01', 'web02', 'client01', 'media01')).toBe('unrelated');
    expect(relate('10.0.0.4', '10.0.0.9', 'client01', 'media01')).toBe('unknown');
  });
});

describe('backup vs iperf', () => {
  it('iperf in the backup direction between the job hosts', () => {
    expect(share(backupVsIperf, [job(40, 'client01', 'media01'), flows(flow(42, 'up', 'client01', 'media01'), flow(400, 'down', 'client01', 'media01'))]).value).toBeCloseTo(95.2, 1);
  });
  it('an iperf run from the server to the client counts as the backup direction when run with -R', () => {
    expect(share(backupVsIperf, [job(40, 'client01', 'media01'), flows(flow(40, 'down', 'media01', 'client01'))]).value).toBe(100);
  });
  it('iperf between other hosts is not compared', () => {
    const r = share(backupVsIperf, [job(40, 'client01', 'media01'), flows(flow(400, 'up', 'web01', 'web02'))]);
    expect(r.value).toBeUndefined();
    expect(r.why.join()).toMatch(/path and direction/);
  });
  it('no names at all: one job against runs in one direction is taken, both directions are not', () => {
    expect(share(backupVsIperf, [job(40), flows(flow(400, 'up'))]).value).toBe(10);
    expect(share(backupVsIperf, [job(40), flows(flow(400, 'up'), flow(40, 'down'))]).value).toBeUndefined();
  });
  it('a stalled run is not the path rate', () => {
    expect(share(backupVsIperf, [job(40, 'client01', 'media01'), flows(flow(400, 'up', 'client01', 'media01', true))]).value).toBeUndefined();
  });
});

describe('other copy vs job', () => {
  it('an scp from the client to the server as slow as the job', () => {
    expect(share(transferVsJob, [job(0.327, 'suzuki', 'triumph'), copy(0.313, 'out', 'suzuki', 'triumph')]).value).toBeCloseTo(95.7, 1);
  });
  it('a copy the other way is not compared (an asymmetric link is faster downstream)', () => {
    const r = share(transferVsJob, [job(0.327, 'suzuki', 'triumph'), copy(0.48, 'in', 'suzuki', 'triumph')]);
    expect(r.value).toBeUndefined();
    expect(r.why.join()).toMatch(/other way/);
  });
  it('a much faster copy of unknown direction between the same hosts', () => {
    expect(share(transferVsJob, [job(10, 'client01', 'media01'), copy(80, undefined, 'client01', 'media01')]).value).toBe(800);
  });
});

describe('iperf vs link speed', () => {
  it('takes the slower direction and only the same paste', async () => {
    const { iperfLinkShare } = await import('../../../src/evidence/combiners/iperf-link-share.js');
    const link: Located = { key: 'link.speed_mbps', value: 1000, file: 'a.txt', line: 2 };
    const same = { ...flows(flow(941, 'up'), flow(300, 'down')), file: 'a.txt' };
    expect(share(iperfLinkShare, [link, same]).value).toBe(30);
    expect(share(iperfLinkShare, [link, { ...flows(flow(941, 'up')), file: 'b.txt' }]).value).toBeUndefined();
    const stalled = share(iperfLinkShare, [link, { ...flows(flow(941, 'up', undefined, undefined, true)), file: 'a.txt' }]);
    expect(stalled.value).toBeUndefined();
    expect(stalled.why.join()).toMatch(/stalled/);
  });
});
