/**
 * Another bulk copy over the same path (transfer.runs: scp, sftp, rsync, ftp, robocopy) against a backup
 * job's rate (job.rates): within about 25 % means other transfers are just as slow; twice the job or more
 * means the path carries more than the backup gets. A copy the other way, or between other hosts, is not
 * compared.
 */
import type { JobRate } from '../parsers/job-rate.js';
import type { Transfer } from '../parsers/transfer-rate.js';
import { round } from '../parsers/types.js';
import { relate, touches } from './path-hosts.js';
import type { CombinedObservation, CombinerDef } from './types.js';

export const transferVsJob: CombinerDef = {
  id: 'transfer-vs-job',
  needs: ['job.rates', 'transfer.runs'],
  emits: {
    'throughput.transfer_share_of_job_pct': { type: 'number', unit: '%', meaning: "another copy's rate over the same path and direction as a share of the backup job's rate" },
  },
  samples: [
    {
      name: 'scp from the client to the Amanda server at 38.2 KB/s, the dump at 39.9 KB/s',
      input: [
        { key: 'job.rates', value: 1, file: 'report.txt', line: 5, data: [{ product: 'amanda', mbps: 0.327, client: 'suzuki', line: 5, text: '…' }] },
        { key: 'transfer.runs', value: 1, file: 'scp.txt', line: 2, data: [{ tool: 'scp', mbps: 0.313, bytes: 1073741824, dir: 'out', peer: 'triumph', localHost: 'suzuki', line: 2, text: '…' }] },
      ],
      yields: { 'throughput.transfer_share_of_job_pct': 95.7 },
    },
  ],
  combine(input, withhold) {
    const jobs = input.all('job.rates').flatMap((o) => (o.data as JobRate[]).map((rate) => ({ file: o.file, rate })));
    const copies = input.all('transfer.runs').flatMap((o) => (o.data as Transfer[]).map((t) => ({ file: o.file, t })));
    const shares: { share: number; job: (typeof jobs)[number]; copy: (typeof copies)[number] }[] = [];
    for (const job of jobs) {
      let best: (typeof copies)[number] | undefined;
      for (const c of copies) {
        const [from, to] = c.t.dir === 'out' ? [c.t.localHost, c.t.peer] : c.t.dir === 'in' ? [c.t.peer, c.t.localHost] : [undefined, undefined];
        const r = c.t.dir ? relate(from, to, job.rate.client, job.rate.server) : touches([c.t.peer, c.t.localHost], [job.rate.client, job.rate.server]);
        if (r === 'opposite') {
          withhold('other_transfers_equally_slow', `${c.t.tool} at ${c.file}:${c.t.line} copied the other way from the backup`);
          continue;
        }
        if (r === 'unrelated') continue;
        if (!best || (c.t.bytes ?? 0) > (best.t.bytes ?? 0)) best = c;
      }
      if (best && job.rate.mbps > 0) shares.push({ share: (100 * best.t.mbps) / job.rate.mbps, job, copy: best });
    }
    if (!shares.length) return [];
    const close = shares.every((s) => s.share >= 75 && s.share <= 125);
    const faster = shares.every((s) => s.share >= 200);
    if (!close && !faster && shares.length > 1) {
      withhold('other_transfers_equally_slow', 'copies compare differently with the jobs they share a path with');
      return [];
    }
    const s = shares.reduce((a, b) => (Math.abs(b.share - 100) < Math.abs(a.share - 100) ? b : a));
    const out: CombinedObservation = {
      file: s.copy.file,
      key: 'throughput.transfer_share_of_job_pct',
      value: round(s.share, 1),
      line: s.copy.t.line,
      text: `${s.copy.t.tool} ${round(s.copy.t.mbps, 3)} Mbit/s vs job ${round(s.job.rate.mbps, 3)} Mbit/s`,
    };
    return [out];
  },
};
