/**
 * tracepath and tracepath6 (Linux iputils): hops with the path MTU they discover ("pmtu 1400"), "no
 * reply", "reached", the return hop counts ("asymm 5") and the closing "Resume: pmtu 1400 hops 8 back 8".
 *
 * It concludes the path MTU only from a trace that reached its destination (one that did not may have met
 * the very black hole that hides the real MTU), and that the way back differs when the destination's
 * replies crossed another number of hops than the probes; a back count far beyond the hop count means a
 * middlebox rewrote the TTL and says nothing. How far the path gets during the job is judged as for
 * traceroute, and the hop list goes to the route-symmetry combiner.
 */
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import type { CommandLine, Mark } from '../transcript.js';
import { Timeline } from '../path/timeline.js';
import { commandTarget, isDest, traceObservations, type Trace } from '../path/trace.js';

const HOP = /^\s*(\d{1,3})(\??):\s+(\S.*)$/;
const RESUME = /^\s*(?:Resume|Too many hops):\s+pmtu\s+(\d+)(?:\s+hops\s+(\d+))?(?:\s+back\s+(\d+))?/;
const TRACEPATH_VALUE_OPTS = new Set(['l', 'm', 'p']);
const MAX_TRACES = 500;

interface PathRun {
  trace: Trace;
  pmtu?: number;
  resume?: { line: number; text: string; pmtu: number; hops?: number; back?: number };
  /** "asymm N" on the line that reached the destination. */
  reachedBack?: { line: number; text: string; back: number };
}

export const tracepathParser: ParserDef = {
  kind: 'tracepath',
  label: 'tracepath / tracepath6',
  aliases: ['tracepath6'],
  detect: [/^\s*1\?:\s+\[LOCALHOST\]/, /^\s*Resume:\s+pmtu\s+\d+/],
  bigFileLiterals: ['pmtu', 'Resume:', 'reached', 'no reply'],
  emits: {
    'tracepath.path_mtu_bytes': { type: 'number', unit: 'bytes', meaning: 'the path MTU tracepath discovered on a trace that reached its destination' },
    'tracepath.return_differs': { type: 'boolean', meaning: "the destination's replies came back over another number of hops than the probes went (true only)" },
    'trace.count': { type: 'number', meaning: 'traces read' },
    'trace.reached': { type: 'boolean', meaning: 'the trace reported (the first that did not reach, else the last) reached its destination' },
    'trace.last_answering_hop': { type: 'number', meaning: 'the last hop that answered in the trace reported' },
    'trace.silent_hops': { type: 'number', meaning: 'hops without an answer after the last one that answered' },
    'trace.verdict': { type: 'string', values: ['reaches_destination', 'stops_at_destination_edge', 'stops_earlier'], meaning: 'how far the path gets during the job, against a complete trace from the same host by the same method' },
    'trace.intermittent': { type: 'boolean', meaning: 'traces from one host to one destination by one method: some reached it, some died on the way' },
    'trace.path': { type: 'data', meaning: 'one trace: source, destination, method and the addresses answering at each hop' },
  },
  samples: [
    {
      name: 'tracepath -n over a tunnel: pmtu 1400, the same hop count both ways',
      input: [
        '[root@media01 ~]# tracepath -n 10.2.2.9',
        ' 1?: [LOCALHOST]                      pmtu 1500',
        ' 1:  10.1.1.1                                              0.412ms',
        ' 1:  10.1.1.1                                              0.388ms',
        ' 2:  10.9.0.1                                              1.902ms pmtu 1400',
        ' 2:  10.9.0.1                                              1.877ms',
        ' 3:  no reply',
        ' 4:  10.2.2.9                                              3.120ms reached',
        '     Resume: pmtu 1400 hops 4 back 4 ',
      ].join('\n'),
      yields: { 'tracepath.path_mtu_bytes': 1400, 'trace.reached': true },
      never: ['tracepath.return_differs'],
    },
    {
      name: 'tracepath whose replies come back over more hops (asymm)',
      input: [' 1?: [LOCALHOST]                      pmtu 1500', ' 1:  10.1.1.1                                              0.544ms', ' 2:  10.9.0.1                                              1.120ms asymm  3', ' 3:  10.2.2.9                                              1.871ms reached', '     Resume: pmtu 1500 hops 3 back 5 '].join('\n'),
      yields: { 'tracepath.return_differs': true, 'tracepath.path_mtu_bytes': 1500 },
    },
    {
      name: 'tracepath that never reaches: its pmtu is not the path MTU',
      input: ['$ tracepath dd02', ' 1?: [LOCALHOST]                      pmtu 1500', ' 1:  gw                                                    0.501ms', ' 2:  no reply', ' 3:  no reply', '     Too many hops: pmtu 1500'].join('\n'),
      yields: { 'trace.reached': false },
      never: ['tracepath.path_mtu_bytes', 'tracepath.return_differs'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    const runs: PathRun[] = [];
    const timeline = new Timeline();
    let cmd: CommandLine | undefined;
    let host: string | undefined;
    let cur: PathRun | undefined;

    const start = (no: number, text: string): PathRun => {
      const named = cmd?.stages[0]?.name.startsWith('tracepath') ? commandTarget(cmd, TRACEPATH_VALUE_OPTS) : undefined;
      const run: PathRun = { trace: { tool: 'tracepath', dest: named ? [named] : [], src: host, method: 'udp', line: no, text, hops: [], reached: false, lastLine: no } };
      if (runs.length < MAX_TRACES) runs.push(run);
      return run;
    };

    return {
      command(_no, c) {
        if (c.host) host = c.host;
        cmd = c;
        cur = undefined;
      },
      mark(no: number, mark: Mark) {
        timeline.add(no, mark);
      },
      line(no, text) {
        const r = RESUME.exec(text);
        if (r && cur) {
          cur.resume = { line: no, text, pmtu: Number(r[1]), hops: r[2] ? Number(r[2]) : undefined, back: r[3] ? Number(r[3]) : undefined };
          cur = undefined;
          return;
        }
        const m = HOP.exec(text);
        if (!m) return;
        const ttl = Number(m[1]);
        const body = m[3];
        if (m[2] === '?') {
          // " 1?: [LOCALHOST]  pmtu 1500" opens a trace
          if (!body.startsWith('[LOCALHOST]')) return;
          cur = start(no, text);
          const pm = /\bpmtu\s+(\d+)/.exec(body);
          if (pm) cur.pmtu = Number(pm[1]);
          return;
        }
        // a hop line without the opening [LOCALHOST] line only counts right after a tracepath command
        if (!cur) {
          if (!cmd?.stages[0]?.name.startsWith('tracepath') || ttl !== 1) return;
          cur = start(no, text);
        }
        const t = cur.trace;
        const toks = body.trim().split(/\s+/);
        const pm = body.indexOf('pmtu ');
        if (pm >= 0) cur.pmtu = Number(body.slice(pm + 5).split(/\s/)[0]) || cur.pmtu;
        const answered = toks[0] !== 'no' && toks[0] !== 'send' && toks[0] !== '[LOCALHOST]';
        const addr = answered ? toks[0].toLowerCase() : undefined;
        // an address in parentheses after a name (tracepath without -n)
        const paren = answered && toks[1]?.startsWith('(') ? toks[1].replace(/[()]/g, '').toLowerCase() : undefined;
        const addrs = [paren ?? addr].filter((x): x is string => !!x);
        const last = t.hops[t.hops.length - 1];
        if (last && last.ttl === ttl) {
          for (const a of addrs) if (!last.addrs.includes(a)) last.addrs.push(a);
        } else if (!last || ttl > last.ttl) t.hops.push({ ttl, addrs, notes: [], line: no, text });
        t.lastLine = no;
        if (toks.includes('reached')) {
          t.reached = true;
          for (const a of [addr, paren]) if (a && !t.dest.includes(a)) t.dest.push(a);
          const asymm = toks.indexOf('asymm');
          if (asymm >= 0) cur.reachedBack = { line: no, text, back: Number(toks[asymm + 1]) };
        } else if (isDest(t, addrs)) t.reached = true;
      },
      finish(): Observation[] {
        const out = traceObservations(
          runs.map((r) => r.trace),
          timeline,
          ctx,
        );
        for (const r of runs) {
          const t = r.trace;
          const pmtu = r.resume?.pmtu ?? r.pmtu;
          if (pmtu === undefined) continue;
          if (!t.reached) {
            ctx.withhold('tracepath.path_mtu_bytes', `tracepath to ${t.dest[0] ?? 'its target'} did not reach it: "pmtu ${pmtu}" is only what it learned on the way (a black hole hides itself)`, r.resume?.line ?? t.lastLine);
            continue;
          }
          if (!out.some((o) => o.key === 'tracepath.path_mtu_bytes')) out.push({ key: 'tracepath.path_mtu_bytes', value: pmtu, line: r.resume?.line ?? t.lastLine, text: r.resume?.text ?? t.text, host: t.src });
          const hops = r.resume?.hops ?? t.hops[t.hops.length - 1]?.ttl;
          const back = r.resume?.back ?? r.reachedBack?.back;
          if (hops === undefined || back === undefined || out.some((o) => o.key === 'tracepath.return_differs')) continue;
          if (back === hops) {
            ctx.withhold('tracepath.return_differs', `tracepath to ${t.dest[0] ?? 'its target'}: ${hops} hops out and ${back} back; the same count does not show the same route`, r.resume?.line);
          } else if (back < 1 || back > 2 * hops + 2) {
            ctx.withhold('tracepath.return_differs', `tracepath to ${t.dest[0] ?? 'its target'}: ${hops} hops out but "back ${back}": a middlebox rewrote the reply's TTL, so the count says nothing`, r.resume?.line);
          } else {
            out.push({ key: 'tracepath.return_differs', value: true, line: r.resume?.line ?? r.reachedBack!.line, text: `${(r.resume?.text ?? r.reachedBack!.text).trim()} (${hops} hops out, ${back} back)`, host: t.src });
          }
        }
        return out;
      },
    };
  },
};
