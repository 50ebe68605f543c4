/** ping (Linux/Unix/Windows), including don't-fragment probes (`ping -M do -s 1472`, `ping -f -l 1472`). */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';

const LINUX_HDR = /^\s*PING\s+\S+\s+\([^)]*\)\s+(\d+)\((\d+)\)\s+bytes/;
const WIN_HDR = /^\s*Pinging\s+\S+(?:\s+\[[^\]]+\])?\s+with\s+(\d+)\s+bytes/i;
const CMD = /\bping\s.*?(?:-s\s+(\d+)|-l\s+(\d+))/;
const DF_CMD = /\bping\s.*(?:-M\s+do\b|-D\b|\s-f\b)/;
const SUMMARY_UNIX = /(\d+)\s+packets transmitted,\s+(\d+)\s+(?:packets\s+)?received.*?([\d.]+)%\s+packet loss/;
const SUMMARY_WIN = /Packets:\s*Sent\s*=\s*(\d+),\s*Received\s*=\s*(\d+),\s*Lost\s*=\s*\d+\s*\((\d+)%/i;
const FRAG = /message too long|Frag(?:mentation)? needed|needs to be fragmented|frag needed and DF set/i;
const RTT = /(?:rtt|round-trip)[^=]*=\s*[\d.]+\/([\d.]+)\//;
const RTT_WIN = /Average\s*=\s*(\d+)\s*ms/i;

interface Run {
  size: number;
  df: boolean;
  line: number;
  loss?: number;
  frag?: { line: number; text: string };
  summary?: { line: number; text: string };
  rtt?: number;
}

export const pingParser: ParserDef = {
  kind: 'ping',
  label: 'ping',
  detect: [LINUX_HDR, WIN_HDR],
  emits: {
    'ping.large_df_ok': { type: 'boolean', meaning: 'a full-size ping with don\'t-fragment set got answers' },
    'ping.small_ok': { type: 'boolean', meaning: 'ordinary (small or fragmentable) pings got answers' },
    'ping.large_df': { type: 'string', values: ['passes', 'fails_silently', 'frag_needed_reply'], meaning: 'what happened to the full-size don\'t-fragment ping' },
    'ping.loss_pct': { type: 'number', unit: '%', meaning: 'the worst packet loss of a ping run' },
    'ping.rtt_avg_ms': { type: 'number', unit: 'ms', meaning: 'the largest average round-trip time of a ping run' },
  },
  samples: [
    {
      name: 'Linux iputils ping -M do -s 1472 that gets no answer',
      input: ['$ ping -M do -s 1472 -c 3 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', '', '--- dd02 ping statistics ---', '3 packets transmitted, 0 received, 100% packet loss, time 2041ms'].join('\n'),
      yields: { 'ping.large_df': 'fails_silently', 'ping.loss_pct': 100 },
    },
  ],
  create(): Parser {
    const runs: Run[] = [];
    let cur: Run | undefined;
    let cmd: { size?: number; df: boolean } | undefined;
    return withCommandsAsLines({
      line(no, text) {
        let m: RegExpExecArray | null;
        if (/\bping\s/.test(text) && !LINUX_HDR.test(text)) {
          const c = CMD.exec(text);
          cmd = { size: c ? Number(c[1] ?? c[2]) : undefined, df: DF_CMD.test(text) };
          return;
        }
        if ((m = LINUX_HDR.exec(text)) || (m = WIN_HDR.exec(text))) {
          cur = { size: Number(m[1]), df: cmd?.df ?? false, line: no };
          runs.push(cur);
          cmd = undefined;
          return;
        }
        if (!cur) return;
        if (FRAG.test(text)) {
          cur.df = true;
          cur.frag ??= { line: no, text };
        }
        if ((m = SUMMARY_UNIX.exec(text)) || (m = SUMMARY_WIN.exec(text))) {
          cur.loss = Number(m[3]);
          cur.summary = { line: no, text };
        }
        if ((m = RTT.exec(text)) || (m = RTT_WIN.exec(text))) cur.rtt = Number(m[1]);
      },
      finish() {
        const out: Observation[] = [];
        const done = runs.filter((r) => r.loss !== undefined || r.frag);
        const big = done.filter((r) => r.df && r.size >= 1400);
        const small = done.filter((r) => !(r.df && r.size >= 1400));
        for (const [key, set] of [['ping.large_df_ok', big], ['ping.small_ok', small]] as const) {
          if (!set.length) continue;
          const bad = set.find((r) => r.frag || (r.loss ?? 0) >= 100);
          const r = bad ?? set[set.length - 1];
          const where = r.frag ?? r.summary ?? { line: r.line, text: '' };
          out.push({ key, value: !bad, line: where.line, text: where.text });
          if (key === 'ping.large_df_ok') out.push({ key: 'ping.large_df', value: !bad ? 'passes' : bad.frag ? 'frag_needed_reply' : 'fails_silently', line: where.line, text: where.text });
        }
        if (done.length) {
          const worst = done.reduce((a, b) => ((b.loss ?? 0) > (a.loss ?? 0) ? b : a));
          if (worst.loss !== undefined) out.push({ key: 'ping.loss_pct', value: worst.loss, line: worst.summary?.line, text: worst.summary?.text });
          const withRtt = done.filter((r) => r.rtt !== undefined);
          if (withRtt.length) out.push({ key: 'ping.rtt_avg_ms', value: Math.max(...withRtt.map((r) => r.rtt!)) });
        }
        return out;
      },
    });
  },
};
