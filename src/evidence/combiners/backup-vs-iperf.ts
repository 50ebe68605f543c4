/**
 * A backup job's rate (job.rates) against iperf on the same path and in the direction the backup's data
 * flows (iperf.flows): within 20 % of iperf means the job gets all the path gives; iperf at twice the job
 * or more means the network is not its ceiling. Runs between other hosts are not compared, nor stalled ones.
 */
import type { IperfFlow } from '../parsers/iperf.js';
import type { JobRate } from '../parsers/job-rate.js';
import { round } from '../parsers/types.js';
import { relate } from './path-hosts.js';
import type { CombinedObservation, CombinerDef, Located } from './types.js';

interface Pairing {
  share: number;
  job: Located & { rate: JobRate };
  iperf: IperfFlow;
}

export const backupVsIperf: CombinerDef = {
  id: 'backup-vs-iperf',
  needs: ['job.rates', 'iperf.flows'],
  emits: {
    'throughput.job_share_of_iperf_pct': { type: 'number', unit: '%', meaning: "the backup job's rate as a share of iperf's best rate on the same path and direction" },
  },
  samples: [
    {
      name: 'Amanda dumps at 39.9 KB/s, iperf from the client to the server gets 0.34 Mbit/s',
      input: [
        { key: 'job.rates', value: 1, file: 'report.txt', line: 5, data: [{ product: 'amanda', mbps: 0.327, client: 'suzuki', line: 5, text: 'suzuki /home 0 … 39.9' }] },
        { key: 'iperf.flows', value: 1, file: 'iperf.txt', line: 8, data: [{ dir: 'up', mbps: 0.343, role: 'client', clientHost: 'suzuki', serverHost: 'triumph', defaultWindow: false, windowBytes: 32768, streams: 1, simultaneous: false, stalled: false, line: 8, text: '[  3]  0.0-10.3 sec   432 KBytes   343 Kbits/sec' }] },
      ],
      yields: { 'throughput.job_share_of_iperf_pct': 95.3 },
    },
  ],
  combine(input, withhold) {
    const pairings: Pairing[] = [];
    const jobs = input.all('job.rates').flatMap((o) => (o.data as JobRate[]).map((rate) => ({ ...o, rate })));
    const flows = input.all('iperf.flows').flatMap((o) => (o.data as IperfFlow[]).map((f) => ({ ...f, file: o.file })));
    const clean = flows.filter((f) => !f.stalled);
    for (const job of jobs) {
      const fit: IperfFlow[] = [];
      let unknown = 0;
      for (const f of clean) {
        // the data of an "up" run goes from the iperf client to its server
        const [from, to] = f.dir === 'up' ? [f.clientHost, f.serverHost] : [f.serverHost, f.clientHost];
        const r = relate(from, to, job.rate.client, job.rate.server);
        if (r === 'same') fit.push(f);
        else if (r === 'unknown') unknown++;
      }
      let pick: IperfFlow[] = fit;
      if (!pick.length) {
        // no names to go by: only a single job against iperf runs in one direction is unambiguous
        const dirs = new Set(clean.map((f) => f.dir));
        if (unknown === clean.length && jobs.length === 1 && dirs.size === 1) pick = clean;
        else {
          withhold('backup_rate_matches_iperf', `no iperf run is known to cover the path and direction of the job at ${job.file}:${job.rate.line}`);
          continue;
        }
      }
      const best = pick.reduce((a, b) => (b.mbps > a.mbps ? b : a));
      if (best.mbps > 0) pairings.push({ share: (100 * job.rate.mbps) / best.mbps, job, iperf: best });
    }
    if (!pairings.length) return [];
    const allClose = pairings.every((p) => p.share >= 80 && p.share <= 120);
    const allFar = pairings.every((p) => p.share <= 50);
    if (!allClose && !allFar && pairings.length > 1) {
      withhold('backup_rate_matches_iperf', 'jobs on the same path compare differently with iperf');
      return [];
    }
    const p = allFar ? pairings.reduce((a, b) => (b.share > a.share ? b : a)) : pairings.reduce((a, b) => (Math.abs(b.share - 100) < Math.abs(a.share - 100) ? b : a));
    const out: CombinedObservation = {
      file: p.job.file,
      key: 'throughput.job_share_of_iperf_pct',
      value: round(p.share, 1),
      line: p.job.rate.line,
      text: `job ${round(p.job.rate.mbps, 3)} Mbit/s vs iperf ${round(p.iperf.mbps, 3)} Mbit/s (${p.iperf.text})`,
    };
    return [out];
  },
};
