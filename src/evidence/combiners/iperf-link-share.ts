/**
 * iperf against the nominal speed of the link the same paste shows (link.speed_mbps from ethtool or
 * Get-NetAdapter): the slower direction measured, as a share of the fastest link that is up. Reaching 90 %
 * of the NIC's speed means iperf gets what the link can give; less says nothing (the path may be slower
 * than the NIC). Not computed when a run in that paste stalled.
 */
import type { IperfFlow } from '../parsers/iperf.js';
import { round } from '../parsers/types.js';
import type { CombinedObservation, CombinerDef } from './types.js';

export const iperfLinkShare: CombinerDef = {
  id: 'iperf-link-share',
  needs: ['iperf.flows', 'link.speed_mbps'],
  emits: {
    'iperf.link_share_pct': { type: 'number', unit: '%', meaning: "iperf's slower measured direction as a share of the link speed shown in the same paste" },
  },
  samples: [
    {
      name: '941 Mbit/s on a 1000Mb/s link',
      input: [
        { key: 'link.speed_mbps', value: 1000, file: 'a.txt', line: 3 },
        { key: 'iperf.flows', value: 1, file: 'a.txt', line: 9, data: [{ dir: 'up', mbps: 941, role: 'client', defaultWindow: true, streams: 1, simultaneous: false, stalled: false, line: 9, text: '…' }] },
      ],
      yields: { 'iperf.link_share_pct': 94.1 },
    },
  ],
  combine(input, withhold) {
    const out: CombinedObservation[] = [];
    for (const link of input.all('link.speed_mbps')) {
      const speed = Number(link.value);
      const flows = input.all('iperf.flows').filter((o) => o.file === link.file).flatMap((o) => o.data as IperfFlow[]);
      if (!flows.length || !(speed > 0)) continue;
      if (flows.some((f) => f.stalled)) {
        withhold('iperf_throughput_fine', `an iperf run in ${link.file} stalled`);
        continue;
      }
      const best = (['up', 'down'] as const).map((d) => flows.filter((f) => f.dir === d).reduce((a, f) => Math.max(a, f.mbps), -1)).filter((x) => x >= 0);
      const slower = Math.min(...best);
      out.push({ file: link.file, key: 'iperf.link_share_pct', value: round((100 * slower) / speed, 1), line: link.line, text: `iperf ${round(slower, 1)} Mbit/s on a ${speed} Mbit/s link` });
    }
    return out.slice(0, 1);
  },
};
