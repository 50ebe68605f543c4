/**
 * Amanda daemon debug files (amindexd, amidxtaped, amandad…): "<prog>: debug 1 pid N … start at <date>"
 * and "<prog>: pid N finish time <date>". A daemon that exits about a second after xinetd started it is
 * the silent-restore signature of seed 003 (amindexd denied by SELinux).
 */
import type { Observation, Parser, ParserDef } from './types.js';

const START = /^(am\w+|amandad):\s+debug\s+\d+\s+pid\s+(\d+)\b.*?\bstart(?:ed)? at\s+(.+?)\s*$/i;
const FINISH = /^(am\w+|amandad):\s+pid\s+(\d+)\s+finish time\s+(.+?)\s*$/i;

/** Dates as Amanda writes them ("Fri Nov 18 15:25:02 2005"); Date.parse reads that form. */
function when(text: string): number | undefined {
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

export const amandaDebugParser: ParserDef = {
  kind: 'amanda-debug',
  label: 'Amanda debug log',
  aliases: ['amanda', 'amindexd'],
  detect: [/^am\w+:\s+debug\s+\d+\s+pid\s+\d+/i],
  literals: [': debug ', 'finish time'],
  emits: {
    'amanda.daemon_lifetime_s': { type: 'number', unit: 's', meaning: 'how long the shortest-lived Amanda daemon ran between its start and finish lines' },
  },
  samples: [
    {
      name: 'amindexd debug file of a denied restore (seed 003)',
      input: ['amindexd: debug 1 pid 14822 ruid 33 euid 33: start at Fri Nov 18 15:25:02 2005', 'amindexd: pid 14822 finish time Fri Nov 18 15:25:03 2005'].join('\n'),
      yields: { 'amanda.daemon_lifetime_s': 1 },
    },
  ],
  create(): Parser {
    const started = new Map<string, { program: string; at: number; line: number; text: string }>();
    let shortest: { seconds: number; program: string; line: number; text: string } | undefined;
    return {
      line(no, text) {
        let m = START.exec(text);
        if (m) {
          const at = when(m[3]);
          if (at !== undefined) started.set(`${m[1]}:${m[2]}`, { program: m[1], at, line: no, text });
          return;
        }
        m = FINISH.exec(text);
        if (!m) return;
        const start = started.get(`${m[1]}:${m[2]}`);
        const end = when(m[3]);
        if (!start || end === undefined || end < start.at) return;
        const seconds = (end - start.at) / 1000;
        if (!shortest || seconds < shortest.seconds) shortest = { seconds, program: start.program, line: no, text };
      },
      finish() {
        const out: Observation[] = [];
        if (shortest) {
          out.push({ key: 'amanda.daemon_lifetime_s', value: shortest.seconds, line: shortest.line, text: `${shortest.program} ran ${shortest.seconds} s: ${shortest.text.trim()}` });
        }
        return out;
      },
    };
  },
};
