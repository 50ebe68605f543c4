/**
 * Forward against reverse: a trace from host A to B beside one from B to A (in one paste with two prompts,
 * or a file per host). A trace's source is known from its prompt (or mtr's HOST:, or pathping's hop 0), or
 * placed by its first hop: a first router on the subnet of the other trace's destination.
 *
 * Routers answer a trace from the interface facing the prober, so the reverse trace of the very same path
 * shows other addresses (the same routers, their other interfaces). Different addresses therefore prove
 * nothing. What does: two complete traces whose hop counts differ (the way back crosses another number of
 * routers), and, the other way, the same addresses in mirrored order (routers answering from one address
 * each, on the same path both ways). Traces from the same source at different times are never a pair.
 */
import type { TracePath } from '../path/trace.js';
import type { CombinedObservation, CombinerDef, Located } from './types.js';

const isIPv4 = (s: string) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s);
const net24 = (s: string | undefined) => (s && isIPv4(s) ? s.split('.').slice(0, 3).join('.') : undefined);
const label = (s: string) => s.toLowerCase().split('.')[0];

/** Did trace `a` start where trace `b` ends (a's host is b's destination)? */
function startsAtEndOf(a: TracePath, b: TracePath): boolean {
  const hosts = [a.src, a.srcAddr].filter((x): x is string => !!x);
  if (hosts.some((h) => b.dest.some((d) => d === h.toLowerCase() || (!isIPv4(d) && !isIPv4(h) && label(d) === label(h))))) return true;
  // a's first router on the subnet of b's destination address
  const firstHop = a.hops[0]?.find(isIPv4);
  const bAddr = b.dest.find(isIPv4);
  return !!firstHop && !!bAddr && net24(firstHop) === net24(bAddr) && firstHop !== bAddr;
}

/** Same side: the same prompt host or source address, or (sources unknown) the same first router. */
function sameSource(a: TracePath, b: TracePath): boolean {
  if (a.src && b.src) return label(a.src) === label(b.src);
  if (a.srcAddr && b.srcAddr) return a.srcAddr === b.srcAddr;
  const fa = a.hops[0]?.find(isIPv4);
  return !!fa && fa === b.hops[0]?.find(isIPv4);
}

/** The hop count of a complete trace: the TTL at which its destination answered. */
function destTtl(t: TracePath): number | undefined {
  if (!t.reached) return undefined;
  const i = t.hops.findIndex((h) => h.some((a) => t.dest.includes(a)));
  return i >= 0 ? i + 1 : t.hops.length;
}

type Outcome = { value: boolean; why: string } | { withheld: string };

function compare(f: TracePath, r: TracePath): Outcome {
  const n = destTtl(f);
  const m = destTtl(r);
  if (n === undefined || m === undefined) return { withheld: 'one of the forward/reverse traces did not reach its destination: the routes are not compared' };
  if (f.method !== r.method && f.method !== 'default' && r.method !== 'default') return { withheld: `the forward trace used ${f.method} and the reverse one ${r.method}: not compared` };
  if (n !== m) return { value: true, why: `${n} hops from ${f.src ?? f.srcAddr ?? 'one end'} to ${f.dest[0]}, ${m} hops back: the return crosses another set of routers` };
  // mirrored: forward hop i and reverse hop n - i are the same router
  let compared = 0;
  for (let i = 1; i < n; i++) {
    const a = f.hops[i - 1] ?? [];
    const b = r.hops[n - i - 1] ?? [];
    if (!a.length || !b.length) continue;
    if (!a.some((x) => b.includes(x))) return { withheld: `both ways take ${n} hops but the routers answer with other addresses (they reply from the interface facing the prober), so this does not show another route` };
    compared++;
  }
  if (compared >= Math.max(1, Math.ceil((n - 1) / 2))) return { value: false, why: `the same ${n - 1} routers in mirrored order both ways` };
  return { withheld: `both ways take ${n} hops, but too few hops answered in both traces to compare` };
}

export const routeSymmetry: CombinerDef = {
  id: 'route-symmetry',
  needs: ['trace.path'],
  emits: {
    'route.asymmetric': { type: 'boolean', meaning: 'a forward and a reverse trace between the same two hosts: another hop count back (true), or the same routers mirrored (false)' },
  },
  samples: [
    {
      name: 'forward 5 hops, reverse 6 hops: asymmetric',
      input: [
        { key: 'trace.path', value: 5, file: 'a.txt', line: 1, data: { tool: 'traceroute', src: 'avamar', dest: ['10.2.2.9'], method: 'icmp', reached: true, hops: [['10.1.1.1'], ['172.16.0.1'], ['172.16.1.1'], ['10.2.2.1'], ['10.2.2.9']], line: 1 } satisfies TracePath },
        { key: 'trace.path', value: 6, file: 'b.txt', line: 1, data: { tool: 'traceroute', src: 'dd01', dest: ['10.1.1.5'], method: 'icmp', reached: true, hops: [['10.2.2.1'], ['172.16.8.1'], ['172.16.9.1'], ['172.16.0.9'], ['10.1.1.1'], ['10.1.1.5']], line: 1 } satisfies TracePath },
      ],
      yields: { 'route.asymmetric': true },
    },
    {
      name: 'the same routers (loopback-sourced replies) mirrored: symmetric',
      input: [
        { key: 'trace.path', value: 4, file: 'a.txt', line: 1, data: { tool: 'traceroute', src: 'media01', dest: ['dd02', '10.2.0.5'], method: 'icmp', reached: true, hops: [['10.255.0.1'], ['10.255.0.2'], ['10.255.0.3'], ['10.2.0.5']], line: 1 } satisfies TracePath },
        { key: 'trace.path', value: 4, file: 'b.txt', line: 1, data: { tool: 'traceroute', src: 'dd02', dest: ['media01', '10.1.0.5'], method: 'icmp', reached: true, hops: [['10.255.0.3'], ['10.255.0.2'], ['10.255.0.1'], ['10.1.0.5']], line: 1 } satisfies TracePath },
      ],
      yields: { 'route.asymmetric': false },
    },
  ],
  combine(input, withhold) {
    const traces = input.all('trace.path').filter((o): o is Located & { data: TracePath } => !!o.data && Array.isArray((o.data as TracePath).hops));
    const out: CombinedObservation[] = [];
    const verdicts: { o: Located; value: boolean; why: string }[] = [];
    for (let i = 0; i < traces.length && i < 200; i++) {
      for (let j = i + 1; j < traces.length && j < 200; j++) {
        const f = traces[i].data;
        const r = traces[j].data;
        if (sameSource(f, r)) continue;
        if (!(startsAtEndOf(f, r) && startsAtEndOf(r, f))) continue;
        const c = compare(f, r);
        if ('withheld' in c) withhold('route.asymmetric', c.withheld);
        else verdicts.push({ o: traces[i], value: c.value, why: c.why });
      }
    }
    if (!verdicts.length) return out;
    if (verdicts.some((v) => v.value !== verdicts[0].value)) {
      withhold('route.asymmetric', 'forward/reverse pairs disagree about the return path: not concluded');
      return out;
    }
    const v = verdicts[0];
    out.push({ file: v.o.file, key: 'route.asymmetric', value: v.value, line: v.o.line, text: v.why, ...(v.o.host ? { host: v.o.host } : {}) });
    return out;
  },
};
