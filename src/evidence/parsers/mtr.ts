/**
 * mtr reports (`mtr --report`, `mtr -rwc 10`, `-b`, `-z` AS columns, old "1." and new "1.|--" hop
 * prefixes, "???" for hops that never answered, extra routers of one hop on "|  `|--" lines) and a pasted
 * screen of interactive mtr. Columns are read from the header (Loss% Snt Last Avg Best Wrst StDev, or the
 * fields `-o` chose), counted from the end of each row, so a long host name cannot shift them.
 *
 * It concludes whether the trace reached its destination and the destination's own loss (loss at a
 * middle hop that does not carry on to the end is ICMP rate limiting, not loss), and hands its hop list
 * to the route-symmetry combiner; mtr's "HOST:" names the host it ran on.
 */
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { round } from './types.js';
import type { CommandLine, Mark } from '../transcript.js';
import { Timeline } from '../path/timeline.js';
import { commandTarget, isDest, traceObservations, type Trace } from '../path/trace.js';

const HEADER = /^\s*(?:HOST:\s+(\S+)|Host)\s+(?:Loss%|Drop|Snt|Rcv)(?:\s|$)/;
const ROW = /^\s*(\d{1,3})\.(?:\|--|\s)/;
const MTR_VALUE_OPTS = new Set(['c', 'i', 's', 'o', 'P', 'a', 'f', 'm', 'B', 'Q', 'G', 'y']);
const AS_TOKEN = /^AS(?:\d+|\?+)$/;
const MAX_TRACES = 500;

interface Report {
  trace: Trace;
  columns: string[];
  loss: Map<number, { pct: number; line: number; text: string }>;
}

export const mtrParser: ParserDef = {
  kind: 'mtr',
  label: 'mtr report',
  detect: [HEADER, /^\s*Start:\s+\d{4}-\d\d-\d\dT/],
  bigFileLiterals: ['|--', 'Loss%', 'HOST:'],
  emits: {
    'mtr.dest_loss_pct': { type: 'number', unit: '%', meaning: "the destination's own loss in the report (middle-hop loss that does not carry on is rate limiting)" },
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
      name: 'mtr -rwc 10 (0.9x) that reaches its destination; a middle hop rate-limits ICMP',
      input: [
        '[root@avamar ~]# mtr -rwc 10 -n 10.2.2.9',
        'Start: 2023-11-14T22:13:20+0900',
        'HOST: avamar                      Loss%   Snt   Last   Avg  Best  Wrst StDev',
        '  1.|-- 10.1.1.1                   0.0%    10    0.4   0.4   0.3   0.5   0.1',
        '  2.|-- 172.16.0.1                40.0%    10    2.1   2.3   1.9   3.1   0.4',
        '  3.|-- 10.2.2.9                   0.0%    10    4.2   4.3   4.1   4.6   0.1',
      ].join('\n'),
      yields: { 'trace.reached': true, 'mtr.dest_loss_pct': 0 },
    },
    {
      name: 'old mtr --report whose last hops never answer',
      input: ['$ mtr --report dd02', 'HOST: media01                   Loss%   Snt   Last   Avg  Best  Wrst StDev', '  1. gw.site-a.example             0.0%    10    0.5   0.5   0.4   0.7   0.1', '  2. ???                          100.0    10    0.0   0.0   0.0   0.0   0.0'].join('\n'),
      yields: { 'trace.reached': false, 'trace.last_answering_hop': 1, 'mtr.dest_loss_pct': 100 },
    },
  ],
  create(ctx: ReaderContext): Parser {
    const reports: Report[] = [];
    const timeline = new Timeline();
    let cmd: CommandLine | undefined;
    let host: string | undefined;
    let cur: Report | undefined;

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
        const h = HEADER.exec(text);
        if (h) {
          if (reports.length >= MAX_TRACES) return;
          const toks = text.trim().split(/\s+/);
          const first = toks.findIndex((x) => /^(?:Loss%|Drop|Snt|Rcv)$/.test(x));
          const named = cmd?.stages[0]?.name === 'mtr' ? commandTarget(cmd, MTR_VALUE_OPTS) : undefined;
          const a = cmd?.stages[0]?.args ?? [];
          const flags = a.filter((x) => /^-[a-zA-Z]+$/.test(x)).join('');
          const method = flags.includes('T') || a.includes('--tcp') ? 'tcp' : flags.includes('u') || a.includes('--udp') ? 'udp' : 'icmp';
          cur = { trace: { tool: 'mtr', dest: named ? [named] : [], src: h[1]?.toLowerCase() ?? host, method, line: no, text, hops: [], reached: false, lastLine: no }, columns: toks.slice(first), loss: new Map() };
          reports.push(cur);
          return;
        }
        const r = cur;
        if (!r) return;
        const m = ROW.exec(text);
        const toks = text.trim().split(/\s+/);
        if (!m) {
          // "    |  `|-- 10.0.6.1": another router answering the same hop
          const last = r.trace.hops[r.trace.hops.length - 1];
          const tail = toks[toks.length - 1];
          if (last && /^\|?\s*`\|--/.test(text.trim()) && tail && tail !== '???') last.addrs.push(tail.toLowerCase());
          return;
        }
        const ttl = Number(m[1]);
        const values = toks.slice(-r.columns.length);
        const hostToks = toks.slice(1, toks.length - r.columns.length).filter((x) => x !== '|--' && !AS_TOKEN.test(x));
        if (hostToks[0]?.startsWith('|--')) hostToks[0] = hostToks[0].slice(3);
        if (toks[0].includes('|--') && toks[0].length > toks[0].indexOf('|--') + 3) hostToks.unshift(toks[0].slice(toks[0].indexOf('|--') + 3));
        const lossAt = r.columns.findIndex((c) => c === 'Loss%');
        const pct = lossAt >= 0 ? Number((values[lossAt] ?? '').replace('%', '')) : NaN;
        const names = hostToks.map((x) => x.replace(/[()]/g, '').toLowerCase()).filter((x) => x && x !== '???' && x !== '(waiting' && x !== 'reply)' && x !== 'for');
        const answered = names.length > 0 && !(pct >= 100);
        const last = r.trace.hops[r.trace.hops.length - 1];
        if (last && ttl <= last.ttl) return;
        r.trace.hops.push({ ttl, addrs: answered ? [...new Set(names)] : [], notes: [], line: no, text });
        r.trace.lastLine = no;
        if (!Number.isNaN(pct)) r.loss.set(ttl, { pct, line: no, text });
      },
      finish(): Observation[] {
        // mtr stops at the destination: a last hop that answered is the destination when no command names it
        for (const r of reports) {
          const t = r.trace;
          const lastHop = t.hops[t.hops.length - 1];
          if (!lastHop) continue;
          if (!t.dest.length && lastHop.addrs.length) t.dest.push(...lastHop.addrs);
          t.reached = lastHop.addrs.length > 0 && isDest(t, lastHop.addrs);
        }
        const out = traceObservations(
          reports.map((r) => r.trace),
          timeline,
          ctx,
        );
        const withLoss = reports.filter((r) => r.trace.hops.length && r.loss.has(r.trace.hops[r.trace.hops.length - 1].ttl));
        const worst = withLoss.map((r) => r.loss.get(r.trace.hops[r.trace.hops.length - 1].ttl)!).sort((a, b) => b.pct - a.pct)[0];
        if (worst) out.push({ key: 'mtr.dest_loss_pct', value: round(worst.pct), line: worst.line, text: worst.text });
        return out;
      },
    };
  },
};
