/**
 * NetBackup legacy debug logs (bpbrm, bpcd, vnetd, bptm, nbpxyhelper, ...): the time between successive
 * `connect in progress` attempts of one process/thread — about 10 s when SYNs to PBX 1556 are dropped.
 * Timestamps: "17:50:04.006", "05/25/2023 17:50:04.006", "2023-05-25 17:50:04,006", with optional AM/PM.
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { round } from './types.js';

const TS = /^\s*(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[ T]+)?(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?\s*(AM|PM)?\s+\[(\d+)(?:\.(\d+))?\]/i;
const ATTEMPT = /connect in progress:\s*(\d+)/;

export function nbuSeconds(text: string): { t: number; key: string } | undefined {
  const m = TS.exec(text);
  if (!m) return undefined;
  let h = Number(m[1]);
  if (m[5]) {
    const pm = m[5].toUpperCase() === 'PM';
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  const frac = m[4] ? Number(`0.${m[4]}`) : 0;
  return { t: h * 3600 + Number(m[2]) * 60 + Number(m[3]) + frac, key: `${m[6]}.${m[7] ?? ''}` };
}

export const nbuDebugParser: ParserDef = {
  kind: 'nbu-debug',
  label: 'NetBackup legacy debug log',
  aliases: ['bpbrm', 'bpcd', 'vnetd', 'bptm', 'nbpxyhelper', 'netbackup'],
  detect: [/^\s*(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+)?\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s*(?:AM|PM)?\s+\[\d+(?:\.\d+)?\]\s+<\d+>/i],
  literals: ['connect in progress'],
  emits: {
    'nbu.connect_attempt_gap_s': { type: 'number', unit: 's', meaning: 'the largest gap between successive "connect in progress" attempts of one thread' },
    'nbu.slow_connect_attempts': { type: 'number', meaning: 'successive attempts 9 s or more apart' },
  },
  samples: [
    {
      name: 'bpbrm legacy log (seed 001)',
      input: ['17:50:04.006 [12345] <2> logconnections: connect in progress: 1', '17:50:14.011 [12345] <2> logconnections: connect in progress: 2'].join('\n'),
      yields: { 'nbu.connect_attempt_gap_s': 10, 'nbu.slow_connect_attempts': 1 },
    },
  ],
  create(): Parser {
    const lastByThread = new Map<string, { t: number; n: number }>();
    let max: { gap: number; line: number; text: string } | undefined;
    let slow = 0;
    let pairs = 0;
    return {
      line(no, text) {
        const a = ATTEMPT.exec(text);
        if (!a) return;
        const ts = nbuSeconds(text);
        if (!ts) return;
        const n = Number(a[1]);
        const prev = lastByThread.get(ts.key);
        if (prev && n === prev.n + 1) {
          let gap = ts.t - prev.t;
          if (gap < 0) gap += 86400;
          pairs++;
          if (gap >= 9) slow++;
          if (!max || gap > max.gap) max = { gap, line: no, text };
        }
        lastByThread.set(ts.key, { t: ts.t, n });
      },
      finish() {
        const out: Observation[] = [];
        if (!max) return out;
        out.push({ key: 'nbu.connect_attempt_gap_s', value: round(max.gap, 1), line: max.line, text: max.text });
        out.push({ key: 'nbu.slow_connect_attempts', value: slow, line: max.line, text: `${slow} of ${pairs} successive connect attempts ≥ 9 s apart` });
        return out;
      },
    };
  },
};
