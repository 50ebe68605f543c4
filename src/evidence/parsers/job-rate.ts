/**
 * How fast a backup job moved its data, from the product's own report: NetBackup bptm lines in job details
 * or the bptm log ("wrote backup id client01_1715475612, copy 1, fragment 1, 5242880 Kbytes at 531.226
 * Kbytes/sec"), Activity Monitor job details ("KB/Sec: 531", "Kilobytes per second: 531") with their
 * "Client:" and "Media Server:" lines; Amanda's report (the DUMPER STATS KB/s column of DUMP SUMMARY, read
 * by its header; "Avg Dump Rate (k/s)") and its log ("SUCCESS dumper suzuki /home … [sec … kb … kps 39.9]").
 * Kilobytes are 1024 bytes in both products.
 *
 * Tape and disk write rates (Amanda's TAPER STATS and "Avg Tp Write Rate", "SUCCESS taper") are not network
 * rates and are left out; so are NetBackup duplications (copy 2 and up) and restores.
 */
import { mbpsOfBytesPerSecond, readNumber } from '../vocab/units.js';
import type { Observation, Parser, ParserDef } from './types.js';
import { clip, round } from './types.js';

/** A backup job's network rate and its hosts (data goes from client to server). */
export interface JobRate {
  product: 'netbackup' | 'amanda';
  mbps: number;
  client?: string;
  server?: string;
  line: number;
  text: string;
}

const MAX_JOBS = 100000;
const RATE_KEYS = new Set(['kb/sec', 'kb/s', 'kb per sec', 'kb per second', 'kilobytes/sec', 'kilobytes/second', 'kilobytes per second', 'kilobytes per sec', 'kbytes/sec']);
const CLIENT_KEYS = new Set(['client', 'client name', 'client host']);
const SERVER_KEYS = new Set(['media server', 'media host', 'media server name']);

const mbpsOfKB = (kBps: number) => mbpsOfBytesPerSecond(kBps * 1024);

/** NetBackup's "… N Kbytes at R Kbytes/sec", by tokens; the backup id names the client. */
function bptmRate(w: string[]): { kBps: number; client?: string; copy?: number; restore: boolean } | undefined {
  const at = w.indexOf('at');
  if (at < 2 || w[at - 1] !== 'Kbytes' || w[at + 2] !== 'Kbytes/sec') return undefined;
  const kBps = readNumber(w[at + 1]);
  if (kBps === undefined) return undefined;
  const idAt = w.indexOf('id');
  const id = idAt > 0 && w[idAt - 1] === 'backup' ? w[idAt + 1]?.replace(/,$/, '') : undefined;
  const client = id ? /^(.+)_\d{9,11}$/.exec(id)?.[1]?.toLowerCase() : undefined;
  const copyAt = w.indexOf('copy');
  const copy = copyAt >= 0 ? Number(w[copyAt + 1]?.replace(/,$/, '')) : undefined;
  const restore = w.includes('read') || w.includes('restored');
  return { kBps, client, copy: Number.isFinite(copy) ? copy : undefined, restore };
}

interface AmandaTable {
  /** Index of the dumper's KB/s column in a row's tokens. */
  rate: number;
  columns: number;
}

/** DUMP SUMMARY header: "HOSTNAME DISK L ORIG-KB OUT-KB COMP% MMM:SS KB/s MMM:SS KB/s" (ORIG-MB/-GB in 3.x). */
function amandaHeader(w: string[]): AmandaTable | undefined {
  if (w[0] !== 'HOSTNAME' || w[1] !== 'DISK') return undefined;
  const first = w.indexOf('KB/s');
  if (first < 0 || w[first - 1] !== 'MMM:SS') return undefined;
  return { rate: first, columns: w.length };
}

export const jobRateParser: ParserDef = {
  kind: 'job-rate',
  label: 'backup job rates (NetBackup job details / bptm, Amanda report and log)',
  aliases: ['netbackup-job', 'amreport'],
  detect: [/Kbytes at [\d.,]+ Kbytes\/sec/, /^\s*DUMPER STATS\s+TAPER STATS/, /^HOSTNAME\s+DISK\s+L\s/, /^SUCCESS dumper /, /^\s*KB\/Sec\s*:/i],
  bigFileLiterals: ['Kbytes/sec', 'KB/s', 'k/s', 'kps', 'HOSTNAME', 'Client', 'Media Server', 'KB/Sec', 'Kilobytes'],
  emits: {
    'job.rate_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the slowest backup job rate read (NetBackup, Amanda), as the network carried it' },
    'job.rates': { type: 'data', meaning: 'each job rate with its client and server, for the combiners' },
  },
  samples: [
    {
      name: 'NetBackup 9 job details, bptm writing copy 1 of a remote client',
      input: [
        'Job ID: 4711',
        'Client: client01',
        'Media Server: media01',
        '05/12/2024 03:44:40 - Info bptm (pid=23145) wrote backup id client01_1715475612, copy 1, fragment 1, 5242880 Kbytes at 4800.112 Kbytes/sec',
      ].join('\n'),
      yields: { 'job.rate_mbps': 39.3 },
    },
    {
      name: 'Amanda 2.4 report: the dumper rate, not the taper rate',
      input: [
        'DUMP SUMMARY:',
        '                                       DUMPER STATS                TAPER STATS',
        'HOSTNAME     DISK        L ORIG-KB  OUT-KB  COMP%  MMM:SS   KB/s MMM:SS    KB/s',
        '-------------------------- ------------------------------------- --------------',
        'suzuki       /home       0 1986528 1986528   --    830:02   39.9   2:00 16552.7',
      ].join('\n'),
      yields: { 'job.rate_mbps': 0.327 },
    },
    {
      name: 'a NetBackup duplication (copy 2) is not a backup rate',
      input: '01:10:00 - Info bptm (pid=3321) wrote backup id client01_1715475612, copy 2, fragment 1, 5242880 Kbytes at 98000.000 Kbytes/sec',
      yields: {},
      never: ['job.rate_mbps'],
    },
  ],
  create(ctx): Parser {
    const jobs: JobRate[] = [];
    let table: AmandaTable | undefined;
    let client: string | undefined;
    let server: string | undefined;
    let avgDump: { mbps: number; line: number; text: string } | undefined;
    const add = (j: JobRate) => {
      if (jobs.length < MAX_JOBS && j.mbps > 0) jobs.push(j);
    };
    return {
      command() {
        table = undefined;
      },
      line(no, text) {
        const t = text.trim();
        if (!t) return;
        const w = t.split(/\s+/);
        // NetBackup job details: "Client: client01", "Media Server: media01", "KB/Sec: 531"
        const colon = t.indexOf(':');
        if (colon > 0 && colon < 30) {
          const key = t.slice(0, colon).trim().toLowerCase().replace(/\s+/g, ' ');
          const value = t.slice(colon + 1).trim();
          if (CLIENT_KEYS.has(key) && /^[\w.-]+$/.test(value)) {
            client = value.toLowerCase();
            return;
          }
          if (SERVER_KEYS.has(key) && /^[\w.-]+$/.test(value)) {
            server = value.toLowerCase();
            return;
          }
          if (RATE_KEYS.has(key)) {
            const kBps = readNumber(value);
            if (kBps !== undefined) add({ product: 'netbackup', mbps: mbpsOfKB(kBps), client, server, line: no, text: clip(t) });
            return;
          }
        }
        const b = bptmRate(w);
        if (b) {
          if (b.restore) return ctx.withhold('job rate', 'a restore reads: its rate runs the other way', no);
          if (b.copy !== undefined && b.copy > 1) return ctx.withhold('job rate', `copy ${b.copy} is a duplication between storage units, not the client's backup`, no);
          add({ product: 'netbackup', mbps: mbpsOfKB(b.kBps), client: b.client ?? client, server, line: no, text: clip(t) });
          return;
        }
        const hdr = amandaHeader(w);
        if (hdr) {
          table = hdr;
          return;
        }
        if (table && w.length === table.columns && !t.startsWith('-')) {
          const kBps = readNumber(w[table.rate]);
          if (kBps !== undefined && /^\d+$/.test(w[2])) add({ product: 'amanda', mbps: mbpsOfKB(kBps), client: w[0].toLowerCase(), line: no, text: clip(t) });
          return;
        }
        // Amanda log: "SUCCESS dumper suzuki /home 20051114 0 [sec 49802.0 kb 1986528 kps 39.9 …]"
        if ((w[0] === 'SUCCESS' || w[0] === 'STRANGE' || w[0] === 'DONE') && w[1] === 'dumper') {
          const k = w.indexOf('kps');
          const kBps = k > 0 ? readNumber(w[k + 1]?.replace(/\]$/, '') ?? '') : undefined;
          if (kBps !== undefined) add({ product: 'amanda', mbps: mbpsOfKB(kBps), client: w[2].toLowerCase(), line: no, text: clip(t) });
          return;
        }
        // "Avg Dump Rate (k/s)   39.9   39.9   35.2": the total column, when no per-host row was read
        if (t.startsWith('Avg Dump Rate (k/s)')) {
          const kBps = readNumber(w[4] ?? '');
          if (kBps !== undefined) avgDump = { mbps: mbpsOfKB(kBps), line: no, text: clip(t) };
        }
      },
      finish() {
        const out: Observation[] = [];
        if (!jobs.length && avgDump) add({ product: 'amanda', ...avgDump });
        if (!jobs.length) return out;
        const slowest = jobs.reduce((a, b) => (b.mbps < a.mbps ? b : a));
        out.push({ key: 'job.rate_mbps', value: round(slowest.mbps, 4), line: slowest.line, text: slowest.text });
        out.push({ key: 'job.rates', value: jobs.length, data: jobs });
        return out;
      },
    };
  },
};
