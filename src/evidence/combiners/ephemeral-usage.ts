/**
 * Ephemeral ports in use against the configured range: a socket table's local ports (sockets.local_ports,
 * from a full listing only) and a range read from sysctl, netsh, ndd or no (ports.ephemeral_low/high),
 * possibly in another file.
 */
import type { CombinedObservation, CombinerDef } from './types.js';

interface LocalPorts {
  ports: number[];
}

export const ephemeralUsage: CombinerDef = {
  id: 'ephemeral-usage',
  needs: ['sockets.local_ports', 'ports.ephemeral_low', 'ports.ephemeral_high'],
  emits: {
    'sockets.ephemeral_in_use': { type: 'number', unit: 'ports', meaning: 'distinct local ports of the busiest full listing that lie in the configured ephemeral range' },
    'sockets.ephemeral_in_use_pct': { type: 'number', unit: '%', meaning: 'those ports as a share of the range' },
  },
  samples: [
    {
      name: 'a listing using 3 of a 4-port range',
      input: [
        { key: 'ports.ephemeral_low', value: 1024, file: 'sysctl.txt' },
        { key: 'ports.ephemeral_high', value: 1027, file: 'sysctl.txt' },
        { key: 'sockets.local_ports', value: 4, data: { ports: [1024, 1025, 1026, 1026, 22] }, file: 'netstat.txt', line: 2 },
      ],
      yields: { 'sockets.ephemeral_in_use': 3, 'sockets.ephemeral_in_use_pct': 75 },
    },
  ],
  combine(input) {
    const lo = input.all('ports.ephemeral_low')[0];
    const hi = input.all('ports.ephemeral_high')[0];
    const low = Number(lo.value);
    const high = Number(hi.value);
    if (!(high >= low)) return [];
    let best: { file: string; pct: number; n: number; line?: number; host?: string } | undefined;
    for (const o of input.all('sockets.local_ports')) {
      const { ports } = o.data as LocalPorts;
      const inRange = new Set(ports.filter((p) => p >= low && p <= high)).size;
      const pct = Math.round((1000 * inRange) / (high - low + 1)) / 10;
      if (!best || pct > best.pct) best = { file: o.file, pct, n: inRange, line: o.line, host: o.host };
    }
    if (!best) return [];
    const out: CombinedObservation[] = [
      { file: best.file, key: 'sockets.ephemeral_in_use', value: best.n, line: best.line, text: `${best.n} distinct local ports in use in the ephemeral range ${low}-${high}` },
      { file: best.file, key: 'sockets.ephemeral_in_use_pct', value: best.pct, line: best.line, text: `${best.n} of ${high - low + 1} ephemeral ports (${best.pct}%) in use` },
    ];
    return out;
  },
};
