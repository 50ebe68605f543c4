/**
 * A traced path as traceroute, tracert, pathping, Data Domain `net route trace`, mtr and tracepath print
 * it: hops by TTL with the addresses that answered. Here are the comparisons the readers share: whether a
 * trace taken during the job dies where a complete one reached (compared only with traces from the same
 * source, to the same destination, by the same probe method), and the hop list handed to the combiner that
 * compares forward and reverse traces.
 */
import type { Observation, ReaderContext } from '../parsers/types.js';
import type { CommandLine } from '../transcript.js';
import { emitOnce, type Verdict } from './verdict.js';
import type { Timeline } from './timeline.js';

export interface Hop {
  ttl: number;
  /** Addresses (or names when no address is printed) that answered at this TTL; empty for "* * *". */
  addrs: string[];
  /** Annotations: "!H", "!N", "!X", "!F-1400", or "unreachable" for Windows "reports: …" lines. */
  notes: string[];
  line: number;
  text: string;
}

export interface Trace {
  tool: 'traceroute' | 'tracert' | 'pathping' | 'net route trace' | 'mtr' | 'tracepath';
  /** Names and addresses of the destination, lower case. */
  dest: string[];
  /** The host it ran on: a prompt, or mtr's "HOST:" line. */
  src?: string;
  /** The source address when the output prints it (pathping's hop 0). */
  srcAddr?: string;
  /** "icmp", "udp", "tcp:111", or "default" when the command does not say. */
  method: string;
  line: number;
  text: string;
  hops: Hop[];
  reached: boolean;
  lastLine: number;
}

/** The payload of a "trace.path" observation, read by the route-symmetry combiner. */
export interface TracePath {
  tool: Trace['tool'];
  src?: string;
  srcAddr?: string;
  dest: string[];
  method: string;
  reached: boolean;
  /** Per TTL (index 0 = TTL 1), the addresses that answered. */
  hops: string[][];
  line: number;
}

const MAX_HOPS = 255;

export const isIPv4 = (s: string) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s);
export const isAddress = (s: string) => isIPv4(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s) && s.length >= 3);

/** Probe method of a trace command: ICMP (-I, tracert, mtr), TCP with its port (-T -p 111), or UDP. */
export function methodOf(cmd: CommandLine | undefined, tool: Trace['tool']): string {
  const a = cmd?.stages[0]?.args ?? [];
  const name = cmd?.stages[0]?.name ?? '';
  if (tool === 'tracert' || tool === 'pathping') return 'icmp';
  const port = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 && /^\d+$/.test(a[i + 1] ?? '') ? `:${a[i + 1]}` : '';
  };
  if (name === 'tcptraceroute') return `tcp${a.find((x) => /^\d+$/.test(x)) ? `:${a.filter((x) => /^\d+$/.test(x)).pop()}` : ''}`;
  const flags = a.filter((x) => /^-[a-zA-Z]+$/.test(x)).join('');
  if (tool === 'mtr') {
    if (flags.includes('T') || a.includes('--tcp')) return `tcp${port('-P')}`;
    if (flags.includes('u') || a.includes('--udp')) return 'udp';
    return 'icmp';
  }
  if (tool === 'tracepath') return 'udp';
  if (flags.includes('I') || a.includes('--icmp')) return 'icmp';
  if (flags.includes('T') || a.includes('--tcp')) return `tcp${port('-p')}`;
  const m = a.indexOf('-M');
  if (m >= 0 && a[m + 1]) return a[m + 1] === 'icmp' ? 'icmp' : a[m + 1].startsWith('tcp') ? `tcp${port('-p')}` : a[m + 1];
  return cmd && (name === 'traceroute' || name === 'traceroute6') ? 'udp' : 'default';
}

/** The destination a trace command names: its last argument that is not an option or an option's value. */
export function commandTarget(cmd: CommandLine, valueOpts: ReadonlySet<string>): string | undefined {
  const a = cmd.stages[0]?.args ?? [];
  let target: string | undefined;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (/^[-/][a-zA-Z]$/.test(x) && valueOpts.has(x.slice(1))) {
      i++;
      continue;
    }
    if (x.startsWith('-') || (x.startsWith('/') && x.length <= 3)) continue;
    if (/^\d+$/.test(x) && target) continue; // traceroute's packet length after the host
    if (x === 'route' || x === 'trace') continue; // Data Domain "net route trace HOST"
    target = x;
  }
  return target?.toLowerCase();
}

export function lastAnswer(t: Trace): Hop | undefined {
  for (let i = t.hops.length - 1; i >= 0; i--) if (t.hops[i].addrs.length) return t.hops[i];
  return undefined;
}

/** Does the hop answer as the destination itself? */
export function isDest(t: Trace, addrs: readonly string[]): boolean {
  return addrs.some((a) => t.dest.includes(a.toLowerCase()));
}

const sameHost = (a: string, b: string) => a === b || a.split('.')[0] === b.split('.')[0];

/** Same destination: a name or address in common. */
export function sameDest(a: Trace, b: Trace): boolean {
  return a.dest.some((x) => b.dest.some((y) => sameHost(x, y)));
}

/** Traces that may be compared as "the same trace at another time": same source, destination and method. */
function sameKind(a: Trace, b: Trace): boolean {
  return (a.src ?? '') === (b.src ?? '') && a.method === b.method && sameDest(a, b);
}

export function tracePath(t: Trace): TracePath {
  const hops: string[][] = [];
  for (const h of t.hops) {
    if (h.ttl < 1 || h.ttl > MAX_HOPS) continue;
    while (hops.length < h.ttl - 1) hops.push([]);
    hops[h.ttl - 1] = [...(hops[h.ttl - 1] ?? []), ...h.addrs.map((a) => a.toLowerCase())];
  }
  return { tool: t.tool, src: t.src, srcAddr: t.srcAddr, dest: t.dest, method: t.method, reached: t.reached, hops, line: t.line };
}

const NOTE_MEANING: Record<string, string> = { H: 'host_unreachable', N: 'net_unreachable', X: 'prohibited', A: 'prohibited', C: 'prohibited', Z: 'prohibited', P: 'protocol_unreachable', F: 'frag_needed', S: 'source_route_failed', unreachable: 'unreachable' };

/** What an annotation on the last answering hop says ("!X" → prohibited). */
export function noteMeaning(note: string): string | undefined {
  if (note === 'unreachable') return NOTE_MEANING.unreachable;
  return NOTE_MEANING[note.slice(1, 2)];
}

/**
 * The observations every trace reader shares: the trace reported (the first that did not reach, else the
 * last), whether the path dies during the job where a complete trace reached, and the hop lists.
 */
export function traceObservations(traces: readonly Trace[], timeline: Timeline, ctx: ReaderContext): Observation[] {
  const out: Observation[] = [];
  const done = traces.filter((t) => t.hops.length > 0);
  if (!done.length) return out;
  const failed = done.find((t) => !t.reached);
  const t = failed ?? done[done.length - 1];
  const last = lastAnswer(t);
  out.push({ key: 'trace.count', value: done.length, host: t.src });
  out.push({
    key: 'trace.reached',
    value: t.reached,
    line: t.reached ? (last?.line ?? t.line) : t.lastLine,
    text: t.reached ? last?.text : `${t.tool} to ${t.dest[0] ?? '?'}: no answer after hop ${last?.ttl ?? 0} (last hop tried: ${t.hops[t.hops.length - 1].ttl})`,
    host: t.src,
  });
  if (last) out.push({ key: 'trace.last_answering_hop', value: last.ttl, line: last.line, text: last.text, host: t.src });
  if (!t.reached) {
    const lastTried = t.hops[t.hops.length - 1].ttl;
    out.push({ key: 'trace.silent_hops', value: lastTried - (last?.ttl ?? 0), line: t.lastLine, text: `hops ${(last?.ttl ?? 0) + 1}..${lastTried} silent`, host: t.src });
    const meaning = last?.notes.map(noteMeaning).find(Boolean);
    if (meaning && last) out.push({ key: 'trace.annotation', value: meaning, line: last.line, text: last.text, host: t.src });
  }
  const fragMtu = done.flatMap((x) => x.hops.flatMap((h) => h.notes.filter((n) => n.startsWith('!F-')).map((n) => ({ h, mtu: Number(n.slice(3)) }))))[0];
  if (fragMtu && fragMtu.mtu >= 68 && fragMtu.mtu <= 65535) out.push({ key: 'trace.frag_needed_mtu', value: fragMtu.mtu, line: fragMtu.h.line, text: fragMtu.h.text });

  // like with like: one group per source, destination and probe method
  const groups: Trace[][] = [];
  for (const x of done) {
    const g = groups.find((gr) => sameKind(gr[0], x));
    if (g) g.push(x);
    else groups.push([x]);
  }
  emitOnce(out, ctx, 'trace.verdict', groups.map((g) => duringJob(g, timeline)));
  const mixed = groups.find((g) => g.some((x) => x.reached) && g.some((x) => !x.reached));
  if (mixed) {
    const f = mixed.find((x) => !x.reached)!;
    out.push({ key: 'trace.intermittent', value: true, line: f.line, text: `of ${mixed.length} traces from ${f.src ?? 'the same host'} to ${f.dest[0]}, some reached it and some died on the way`, host: f.src });
  }
  for (const x of done) out.push({ key: 'trace.path', value: x.hops.length, line: x.line, text: x.text, data: tracePath(x), ...(x.src ? { host: x.src } : {}) });
  return out;
}

/** How far the path gets during the job, from one group of comparable traces. */
function duringJob(group: Trace[], timeline: Timeline): Verdict {
  const marked = timeline.hasMarks('job');
  const phase = (t: Trace) => timeline.phaseAt(t.line, 'job');
  const dest = group[0].dest[0] ?? '?';
  let failing: Trace | undefined;
  let ref: Trace | undefined;
  let assumed = false;
  if (marked) {
    const during = group.filter((t) => phase(t) === 'during');
    if (!during.length) return { why: `no trace to ${dest} was taken during the job (by the marks): not concluded`, line: group[0].line };
    failing = during.find((t) => !t.reached);
    if (!failing) {
      const r = during[0];
      return { value: 'reaches_destination', line: lastAnswer(r)?.line ?? r.line, text: `${lastAnswer(r)?.text.trim() ?? r.text} (${r.tool} to ${dest} during the job reaches it)`, host: r.src };
    }
    ref = group.find((t) => t.reached && phase(t) !== 'during') ?? group.find((t) => t.reached);
  } else {
    // no marks: a complete trace followed by one that dies is read as "before, then during the job"
    const ri = group.findIndex((t) => t.reached);
    const fi = group.findIndex((t, i) => i > ri && !t.reached);
    if (ri < 0 || fi < 0) {
      const only = group.every((t) => t.reached) ? 'every trace reached' : group.every((t) => !t.reached) ? 'no trace reached, so the destination edge is unknown' : 'the trace that died came before the one that reached';
      return { why: `traces to ${dest} without a job mark: ${only}; how far the path gets during the job not concluded`, line: group[0].line };
    }
    ref = group[ri];
    failing = group[fi];
    assumed = true;
  }
  if (!ref) return { why: `the trace to ${dest} during the job died, but no trace that reached it shows where its edge is: not concluded`, line: failing.line };
  const fl = lastAnswer(failing);
  const rl = lastAnswer(ref);
  if (!rl) return undefined;
  const destTtl = rl.ttl;
  // the destination's edge: its last two hops by number, or by address when the traces print real addresses
  const edgeAddrs = new Set(ref.hops.filter((h) => h.ttl >= destTtl - 2 && h.ttl < destTtl).flatMap((h) => h.addrs.filter(isAddress)));
  const edge = !!fl && (fl.ttl >= destTtl - 2 || fl.addrs.some((a) => edgeAddrs.has(a)));
  const value = fl ? (edge ? 'stops_at_destination_edge' : 'stops_earlier') : 'stops_earlier';
  const note = assumed ? '; the later trace is taken as the one during the job' : '';
  return {
    value,
    line: fl?.line ?? failing.line,
    text: `${fl ? fl.text.trim() : failing.text} (last answer at hop ${fl?.ttl ?? 0}; the complete trace reaches ${dest} at hop ${destTtl}${note})`,
    host: failing.src,
  };
}
