/**
 * iperf 2 and iperf3 client/server output: throughput per run and per TCP window size, so that "a larger
 * window helps" (window-limited) can be told from "nothing helps" (link-limited).
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';
import { round } from './types.js';

const WINDOW = /TCP window size:\s*([\d.]+)\s*([KMG]?)(?:Byte|B)/i;
const CMD = /\biperf3?\s.*?-w\s*([\d.]+)\s*([KMG]?)/i;
const RESULT = /^\s*\[\s*(?:\d+|SUM)\]\s+[\d.]+\s*-\s*[\d.]+\s+sec\s+[\d.]+\s+[KMG]?Bytes\s+([\d.]+)\s+([KMG]?)bits\/sec(.*)$/i;
const HDR = /Client connecting to|Server listening on|Connecting to host|iperf\s*3?\.\d|Accepted connection from|^\s*\[\s*ID\]\s+Interval/i;

const toKB = (n: number, u: string) => n * ({ '': 1 / 1024, K: 1, M: 1024, G: 1024 * 1024 } as Record<string, number>)[u.toUpperCase()];
const toMbps = (n: number, u: string) => n * ({ '': 1e-6, K: 1e-3, M: 1, G: 1000 } as Record<string, number>)[u.toUpperCase()];

interface Run {
  windowKB?: number;
  mbps: number;
  line: number;
  text: string;
}

export const iperfParser: ParserDef = {
  kind: 'iperf',
  label: 'iperf 2 / iperf3',
  aliases: ['iperf3', 'iperf2'],
  detect: [HDR, WINDOW],
  bigFileLiterals: ['bits/sec', 'TCP window size', 'iperf'],
  emits: {
    'iperf.throughput_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the best throughput of the runs read' },
    'iperf.window_gain_pct': { type: 'number', unit: '%', meaning: 'how much the largest window run beats the smallest' },
  },
  samples: [
    {
      name: 'iperf 2 with two window sizes',
      input: ['TCP window size: 16.0 KByte', '[  3]  0.0-10.0 sec  12.5 MBytes  10.5 Mbits/sec', 'TCP window size: 256 KByte', '[  3]  0.0-10.0 sec  125 MBytes  105 Mbits/sec'].join('\n'),
      yields: { 'iperf.throughput_mbps': 105, 'iperf.window_gain_pct': 900 },
    },
  ],
  create(): Parser {
    const runs: Run[] = [];
    let windowKB: number | undefined;
    let last: Run | undefined;
    return withCommandsAsLines({
      line(no, text) {
        let m = CMD.exec(text);
        if (m) {
          windowKB = toKB(Number(m[1]), m[2] || 'K');
          last = undefined;
          return;
        }
        m = WINDOW.exec(text);
        if (m) {
          windowKB = toKB(Number(m[1]), m[2]);
          last = undefined;
          return;
        }
        m = RESULT.exec(text);
        if (!m) return;
        const mbps = toMbps(Number(m[1]), m[2]);
        const tail = m[3];
        // iperf3 prints intervals, then sender and receiver totals: the receiver line is the measure.
        if (/sender/i.test(tail)) return;
        const run = { windowKB, mbps, line: no, text };
        if (last && last.windowKB === windowKB && !/receiver/i.test(tail) && !/SUM/.test(text)) {
          // successive interval lines of the same run: keep the latest (iperf2 prints the total last)
          Object.assign(last, run);
          return;
        }
        if (/receiver/i.test(tail) && last && last.windowKB === windowKB) {
          Object.assign(last, run);
          last = undefined;
          return;
        }
        last = run;
        runs.push(run);
      },
      finish() {
        const out: Observation[] = [];
        if (!runs.length) return out;
        const best = runs.reduce((a, b) => (b.mbps > a.mbps ? b : a));
        out.push({ key: 'iperf.throughput_mbps', value: round(best.mbps, 2), line: best.line, text: best.text });
        const sized = runs.filter((r) => r.windowKB !== undefined);
        const sizes = new Set(sized.map((r) => r.windowKB));
        if (sizes.size >= 2) {
          const smallest = sized.reduce((a, b) => (b.windowKB! < a.windowKB! ? b : a));
          const bestSized = sized.reduce((a, b) => (b.mbps > a.mbps ? b : a));
          const gain = smallest.mbps > 0 ? (100 * (bestSized.mbps - smallest.mbps)) / smallest.mbps : 0;
          out.push({ key: 'iperf.window_gain_pct', value: round(Math.max(0, gain)), line: bestSized.line, text: `${round(bestSized.mbps, 2)} Mbit/s with a ${bestSized.windowKB} KB window vs ${round(smallest.mbps, 2)} Mbit/s with ${smallest.windowKB} KB` });
        }
        return out;
      },
    });
  },
};
