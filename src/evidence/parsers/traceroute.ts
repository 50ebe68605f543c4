/**
 * traceroute (Linux/Unix), Data Domain `net route trace`, Windows tracert: the last hop that answers and
 * whether the destination was reached. Shorthand like "15 ~ 29 * * *" counts as silent hops.
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';

const HDR = /^\s*(?:traceroute(?:6)? to\s+(\S+)(?:\s+\(([^)]+)\))?|Tracing route to\s+(\S+)(?:\s+\[([^\]]+)\])?)/i;
const HOP = /^\s*(\d{1,3})(?:\s*~\s*\d{1,3})?\s+(.*)$/;
const SILENT = /^(?:\*\s*)+(?:Request timed out\.?)?\s*$|^\s*(?:\*\s+){2,}\S*\s*(?:Request timed out\.?)?$/i;

interface Trace {
  dest: string[];
  start: number;
  lastAnswer?: { hop: number; line: number; text: string; host: string };
  lastHop: number;
  reached: boolean;
  lastLine: number;
}

export const tracerouteParser: ParserDef = {
  kind: 'traceroute',
  label: 'traceroute / tracert / net route trace',
  aliases: ['tracert', 'net-route-trace'],
  detect: [HDR],
  emits: {
    'trace.count': { type: 'number', meaning: 'traces read' },
    'trace.reached': { type: 'boolean', meaning: 'the reported trace reached its destination' },
    'trace.last_answering_hop': { type: 'number', meaning: 'the last hop that answered' },
    'trace.silent_hops': { type: 'number', meaning: 'hops without an answer after the last one that answered' },
    'trace.verdict': { type: 'string', values: ['reaches_destination', 'stops_at_destination_edge', 'stops_earlier'], meaning: 'how far the path goes' },
    'trace.intermittent': { type: 'boolean', meaning: 'one trace reached the destination, another died on the way' },
  },
  samples: [
    {
      name: 'Linux traceroute that reaches its destination',
      input: ['traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets', ' 1  10.1.0.1  0.412 ms  0.388 ms  0.371 ms', ' 2  10.2.0.5  1.902 ms  1.877 ms  1.850 ms'].join('\n'),
      yields: { 'trace.reached': true, 'trace.verdict': 'reaches_destination' },
    },
  ],
  create(): Parser {
    const traces: Trace[] = [];
    let cur: Trace | undefined;
    return withCommandsAsLines({
      line(no, text) {
        const h = HDR.exec(text);
        if (h) {
          cur = { dest: [h[1], h[2], h[3], h[4]].filter(Boolean).map((s) => s.toLowerCase()), start: no, lastHop: 0, reached: false, lastLine: no };
          traces.push(cur);
          return;
        }
        if (!cur) return;
        const m = HOP.exec(text);
        if (!m) return;
        const hop = Number(m[1]);
        if (hop < cur.lastHop || hop > 255) return;
        cur.lastHop = hop;
        cur.lastLine = no;
        const rest = m[2].replace(/\s+->.*$/, '');
        if (SILENT.test(rest.trim())) return;
        // an answering hop: a time in ms and an address/name
        if (!/\d\s*ms\b|<\d+\s*ms/i.test(rest)) return;
        const names = rest
          .replace(/<?\d+(?:\.\d+)?\s*ms\b/gi, ' ')
          .replace(/[*!]\S*/g, ' ')
          .split(/\s+/)
          .map((s) => s.replace(/[[\]()]/g, '').toLowerCase())
          .filter(Boolean);
        cur.lastAnswer = { hop, line: no, text, host: names[names.length - 1] ?? '' };
        if (names.some((n) => cur!.dest.includes(n))) cur.reached = true;
      },
      finish() {
        const out: Observation[] = [];
        const done = traces.filter((t) => t.lastHop > 0);
        if (!done.length) return out;
        // A path that dies is the finding; report the first trace that did not reach, else the last trace.
        const failed = done.find((t) => !t.reached);
        const t = failed ?? done[done.length - 1];
        out.push({ key: 'trace.count', value: done.length });
        out.push({ key: 'trace.reached', value: t.reached, line: t.reached ? t.lastAnswer?.line ?? t.start : t.lastLine, text: t.reached ? t.lastAnswer?.text : `traceroute to ${t.dest[0]}: no answer after hop ${t.lastAnswer?.hop ?? 0} (last hop tried: ${t.lastHop})` });
        if (t.lastAnswer) out.push({ key: 'trace.last_answering_hop', value: t.lastAnswer.hop, line: t.lastAnswer.line, text: t.lastAnswer.text });
        if (!t.reached) out.push({ key: 'trace.silent_hops', value: t.lastHop - (t.lastAnswer?.hop ?? 0), line: t.lastLine, text: `hops ${(t.lastAnswer?.hop ?? 0) + 1}..${t.lastHop} silent` });
        // How far the path goes: to the destination, to its last hop or two (the destination's edge), or less.
        const ref = done.find((d) => d.reached);
        if (t.reached) out.push({ key: 'trace.verdict', value: 'reaches_destination', line: t.lastAnswer?.line ?? t.start, text: t.lastAnswer?.text });
        else if (ref?.lastAnswer && t.lastAnswer) {
          const edge = t.lastAnswer.hop >= ref.lastAnswer.hop - 2;
          out.push({ key: 'trace.verdict', value: edge ? 'stops_at_destination_edge' : 'stops_earlier', line: t.lastAnswer.line, text: `${t.lastAnswer.text.trim()} (last answer; the complete trace has ${ref.lastAnswer.hop} hops)` });
        }
        if (failed && done.some((d) => d.reached)) out.push({ key: 'trace.intermittent', value: true, line: failed.start, text: 'one trace reached the destination, another to the same kind of target died on the way' });
        return out;
      },
    });
  },
};
