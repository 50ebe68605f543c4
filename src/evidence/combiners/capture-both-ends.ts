/**
 * Captures taken at both ends, in different files: the client's SYNs to a port go unanswered, and a capture
 * on the destination (its prompt names the host the SYNs go to) shows them arriving, or shows none while
 * its filter covers that port. Ties the client's address of the destination to the destination's host by
 * names either file prints (tcpdump without -n, ping, getent, ip addr on the destination).
 */
import type { CaptureEnds } from '../parsers/capture.js';
import type { CombinedObservation, CombinerDef } from './types.js';

const label = (s: string) => (/^\d+(?:\.\d+){3}$/.test(s) || s.includes(':') ? s : s.toLowerCase().split('.')[0]);

export const captureBothEnds: CombinerDef = {
  id: 'capture-both-ends',
  needs: ['capture.ends'],
  emits: {
    'capture.syn_at_destination': { type: 'boolean', meaning: 'the destination\'s own capture shows the unanswered SYNs arriving (true) or, its filter covering the port, none of them (false)' },
  },
  samples: [
    {
      name: 'the client retries 1556 to 10.20.4.39; the capture on appcl09 (10.20.4.39 by its ip addr) saw 0 packets',
      input: [
        { key: 'capture.ends', value: 1, file: 'media.txt', data: { blocks: [{ host: 'nbmed01', line: 3, empty: false, covers: [1556], synPorts: [1556] }], retrying: [{ server: '10.20.4.39', port: 1556, synCount: 4, line: 9, client: '10.20.1.15' }], names: [] } satisfies CaptureEnds },
        { key: 'capture.ends', value: 1, file: 'client.txt', data: { blocks: [{ host: 'appcl09', line: 12, empty: true, covers: [1556], synPorts: [] }], retrying: [], names: [['10.20.4.39', ['appcl09']]] } satisfies CaptureEnds },
      ],
      yields: { 'capture.syn_at_destination': false },
    },
  ],
  combine(input, withhold) {
    const files = input.all('capture.ends');
    const names = new Map<string, Set<string>>();
    for (const f of files) for (const [a, ns] of (f.data as CaptureEnds).names) names.set(a, new Set([...(names.get(a) ?? []), ...ns]));
    const found: { value: boolean; file: string; line: number; text: string }[] = [];
    for (const src of files) {
      for (const r of (src.data as CaptureEnds).retrying) {
        for (const dst of files) {
          if (dst.file === src.file) continue;
          for (const b of (dst.data as CaptureEnds).blocks) {
            const h = label(b.host);
            if (label(r.server) !== h && !names.get(r.server)?.has(h)) continue;
            if (b.synPorts.includes(r.port)) found.push({ value: true, file: dst.file, line: b.line, text: `the capture on ${b.host} shows the SYNs to ${r.port} arriving while ${r.client} gets no answer` });
            else if (b.covers === 'all' || b.covers.includes(r.port)) found.push({ value: false, file: dst.file, line: b.line, text: `${b.empty ? '"0 packets captured"' : `no SYN to ${r.port}`} on ${b.host} while ${r.client} retried ${r.synCount} SYNs to ${r.server}:${r.port}` });
          }
        }
      }
    }
    const values = new Set(found.map((f) => f.value));
    if (values.size > 1) {
      withhold('capture.syn_at_destination', 'the captures at the destination disagree: some show the SYNs arriving, others none');
      return [];
    }
    const f = found[0];
    const out: CombinedObservation[] = f ? [{ file: f.file, key: 'capture.syn_at_destination', value: f.value, line: f.line, text: f.text }] : [];
    return out;
  },
};
