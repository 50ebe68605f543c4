/**
 * iperf 2 (2.0.x to 2.2, Linux and Windows builds) and iperf3 (3.0 to 3.17) output, client and server side:
 * interval and summary lines, parallel streams ([SUM]), iperf 2's -r/-d and iperf3's -R and --bidir
 * ([TX-C]/[RX-C]), the window iperf 2 reports it was granted ("TCP window size: 256 KByte (WARNING: requested
 * 4.00 MByte)"), `iperf3 -J` JSON, and errors ("unable to connect to server: Connection refused").
 *
 * Concludes, comparing like with like (same direction, same pair of hosts, client-side runs only, since a
 * server does not see the client's window): whether a larger window or more streams raises throughput
 * (iperf.window_gain_pct), whether the two directions differ (iperf.direction_ratio, same window and
 * streams), the best rate per direction, and a stall (intervals at 0 bits/sec after data flowed).
 */
import type { CommandLine } from '../transcript.js';
import { prefixScale } from '../vocab/units.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip, round } from './types.js';

/** "[  3]  0.0-10.0 sec  1.10 GBytes   943 Mbits/sec…", "[SUM][TX-C]   0.00-10.00  sec …" */
const RESULT = /^\[\s*(\d+|SUM)\](?:\[([TR]X-[CS])\])?\s+(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s+sec\s+(\d+(?:\.\d+)?)\s+[KMGT]?Bytes\s+(\d+(?:\.\d+)?)\s+([KMGT]?)(bits|Bytes)\/sec(.*)$/;
/** "[  3] local 10.1.1.5 port 41872 connected with 10.2.2.9 port 5001", iperf3 "… connected to …" */
const SOCKET = /^\[\s*(\d+)\]\s+local\s+(\S+)\s+port\s+(\d+)\s+connected\s+(?:with|to)\s+(\S+)\s+port\s+(\d+)(.*)$/;
const CLIENT_HDR = /^Client connecting to\s+([^\s,]+),\s*(?:TCP|UDP)\s+port\s+(\d+)/;
const CONNECTING_HDR = /^Connecting to host\s+([^\s,]+),\s*port\s+(\d+)/;
const SERVER_HDR = /^Server listening on\s+(?:(TCP|UDP)\s+port\s+)?(\d+)/;
const ACCEPTED = /^Accepted connection from\s+([^\s,]+),\s*port\s+\d+/;
const REVERSE_HDR = /^Reverse mode, remote host\s+(\S+)\s+is sending/;
const WINDOW = /^TCP window size:\s*(\d+(?:\.\d+)?)\s*([KMG]?)Byte/;
const REQUESTED = /requested\s+(\d+(?:\.\d+)?)\s*([KMG]?)Byte/;
const SEPARATOR = /^(?:- ){5,}-?\s*$/;
const INTERVAL_HDR = /^\[\s*ID\](?:\[Role\])?\s+Interval\s/;
const ERROR = /^(?:iperf3?:\s*error\s*-\s*|connect failed:|write failed:|read failed:)\s*(.*)$/i;

const IPERF_PORT: Record<2 | 3, number> = { 2: 5001, 3: 5201 };
/** A -w this large is taken as larger than any default window (Linux starts at 16-128 KB, Windows at 64 KB). */
const SURELY_LARGER_THAN_DEFAULT = 1024 * 1024;
/** Flows kept per file (a long capture of repeated runs). */
const MAX_FLOWS = 4000;
const MAX_JSON_CHARS = 4 * 1024 * 1024;

type Dir = 'up' | 'down';

interface Window {
  /** Bytes, when known (set with -w, or iperf 2's printed default). */
  bytes?: number;
  isDefault: boolean;
}

interface Summary {
  mbps: number;
  line: number;
  text: string;
  side: 'receiver' | 'sender' | 'total';
}

interface Flow {
  tag?: string;
  id: string;
  dir?: Dir;
  sawData: boolean;
  stall?: { line: number; text: string };
  maxEnd: number;
  /** iperf 2: the line from 0 to the latest end seen, the run's total. */
  total?: { end: number } & Summary;
  summary?: Summary;
}

interface Run {
  tool?: 2 | 3;
  role?: 'client' | 'server';
  clientHost?: string;
  serverHost?: string;
  reverse: boolean;
  bidir: boolean;
  /** iperf 2's -r / -d: a second connection back from the server. */
  dual: boolean;
  /** Both directions at once (--bidir, iperf 2 -d): they share the path, so they are compared only with each other. */
  simultaneous: boolean;
  udp: boolean;
  requested?: number;
  granted?: Window;
  streams: number;
  port?: number;
  /** iperf3: this side's interval header has a Retr column, so it sends. */
  sends?: boolean;
  sockets: Map<string, 'connecting' | 'accepted'>;
  reversedSockets: Set<string>;
  flows: Map<string, Flow>;
  afterSeparator: boolean;
  windowFor?: 'listen' | 'connect';
  line: number;
  lastFlowDir?: Dir;
  json: boolean;
}

/** One direction of one run, as the comparisons see it. */
export interface IperfFlow {
  dir: Dir;
  mbps: number;
  role: 'client' | 'server';
  clientHost?: string;
  serverHost?: string;
  windowBytes?: number;
  defaultWindow: boolean;
  streams: number;
  simultaneous: boolean;
  stalled: boolean;
  line: number;
  text: string;
}

function newRun(line: number): Run {
  return { reverse: false, bidir: false, dual: false, simultaneous: false, udp: false, streams: 1, sockets: new Map(), reversedSockets: new Set(), flows: new Map(), afterSeparator: false, line, json: false };
}

function sizeBytes(value: string, unit: string): number | undefined {
  const s = prefixScale(unit, 1024);
  return s === undefined ? undefined : Number(value) * s;
}

/** "-w 256K", "-w256K", "--window=4M" → bytes. */
function windowArg(v: string | undefined): number | undefined {
  const m = v === undefined ? null : /^(\d+(?:\.\d+)?)([KMGkmg]?)$/.exec(v);
  return m ? sizeBytes(m[1], m[2]) : undefined;
}

/** The options of an iperf command line that decide what its output means. */
function readArgs(run: Run, name: string, args: string[]): void {
  run.tool = name === 'iperf3' ? 3 : 2;
  let tradeoff = false;
  let dualtest = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const opt = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args[++i];
    if (opt === '-c' || opt === '--client') run.role = 'client', (run.serverHost = value()?.toLowerCase());
    else if (/^-c\S/.test(a)) run.role = 'client', (run.serverHost = a.slice(2).toLowerCase());
    else if (opt === '-s' || opt === '--server') run.role = 'server';
    else if (opt === '-R' || opt === '--reverse') run.reverse = true;
    else if (opt === '--bidir' || opt === '--full-duplex') run.bidir = true;
    else if (opt === '-r' || opt === '--tradeoff') tradeoff = true;
    else if (opt === '-d' || opt === '--dualtest') dualtest = true;
    else if (opt === '-u' || opt === '--udp') run.udp = true;
    else if (opt === '-J' || opt === '--json') run.json = true;
    else if (opt === '-w' || opt === '--window') run.requested = windowArg(value());
    else if (/^-w\d/.test(a)) run.requested = windowArg(a.slice(2));
    else if (opt === '-P' || opt === '--parallel') run.streams = Math.max(1, Number(value()) || 1);
    else if (/^-P\d+$/.test(a)) run.streams = Math.max(1, Number(a.slice(2)));
    else if (opt === '-p' || opt === '--port') run.port = Number(value()) || undefined;
    else if (opt === '-t' || opt === '-i' || opt === '-b' || opt === '-l' || opt === '-n' || opt === '-B' || opt === '-M' || opt === '-f' || opt === '-O' || opt === '-T' || opt === '-C') i++;
  }
  // iperf3's -d is --debug; only iperf 2 makes a second connection back
  run.dual = (tradeoff || dualtest) && run.tool === 2;
  run.simultaneous = run.bidir || (dualtest && run.tool === 2);
}

/** The Mbit/s of a rate as iperf prints it: bits in powers of 1000, bytes in powers of 1024. */
function rateMbps(value: string, prefix: string, kind: string): number | undefined {
  const n = Number(value);
  const s = prefixScale(prefix, kind === 'bits' ? 1000 : 1024);
  if (s === undefined) return undefined;
  return kind === 'bits' ? (n * s) / 1e6 : (n * s * 8) / 1e6;
}

/** Which way a flow's data goes, from the role tag, the socket, the run's options. */
function flowDir(run: Run, id: string, tag: string | undefined): Dir | undefined {
  if (tag) return tag === 'TX-C' || tag === 'RX-S' ? 'up' : 'down';
  if (id === 'SUM') return run.dual || run.bidir ? undefined : run.lastFlowDir ?? baseDir(run);
  if (run.tool === 3) {
    if (run.bidir) return undefined;
    if (run.role === 'client') return run.reverse ? 'down' : 'up';
    if (run.sends !== undefined) return run.sends ? 'down' : 'up';
    return undefined;
  }
  const sock = run.sockets.get(id);
  if (sock) {
    // iperf 2: the side that connects sends, unless the connection is marked "(reverse)"
    const sending = (sock === 'connecting') !== run.reversedSockets.has(id);
    if (run.role === 'server') return sending ? 'down' : 'up';
    return sending ? 'up' : 'down';
  }
  return run.dual ? undefined : baseDir(run);
}

function baseDir(run: Run): Dir | undefined {
  if (run.role === 'client') return run.reverse ? 'down' : 'up';
  if (run.role === 'server') return run.reverse ? undefined : 'up';
  return undefined;
}

/** The flows of a finished run that have a rate. */
function flowsOf(run: Run, ctx: ReaderContext, out: IperfFlow[]): void {
  const simultaneous = run.bidir || run.simultaneous;
  const window: Window = run.granted ?? (run.requested !== undefined ? { bytes: run.requested, isDefault: false } : { isDefault: true });
  if (run.granted && run.requested !== undefined && run.granted.bytes !== undefined && Math.abs(run.granted.bytes - run.requested) > run.requested * 0.05) {
    ctx.withhold('iperf window', `requested window ${Math.round(run.requested / 1024)} KB was granted as ${Math.round(run.granted.bytes / 1024)} KB; compared by the granted size`, run.line);
  }
  const byDir = new Map<Dir, { sum?: Flow; streams: Flow[] }>();
  for (const f of run.flows.values()) {
    const summary = f.summary ?? f.total;
    if (!summary) {
      ctx.withhold('iperf run', 'a run was cut before its summary line; its intervals are not a rate', run.line);
      continue;
    }
    if (!f.dir) {
      ctx.withhold('iperf direction', `cannot tell which way the data of ${clip(summary.text, 80)} went`, summary.line);
      continue;
    }
    const d = byDir.get(f.dir) ?? { streams: [] };
    if (f.id === 'SUM') d.sum = f;
    else d.streams.push(f);
    byDir.set(f.dir, d);
  }
  for (const [dir, d] of byDir) {
    let mbps: number;
    let at: Summary;
    let stalled: boolean;
    if (d.sum) {
      at = (d.sum.summary ?? d.sum.total)!;
      mbps = at.mbps;
      stalled = !!d.sum.stall || (run.streams === 1 && d.streams.some((f) => f.stall));
    } else {
      const sums = d.streams.map((f) => (f.summary ?? f.total)!);
      mbps = sums.reduce((a, s) => a + s.mbps, 0);
      at = sums[sums.length - 1];
      stalled = d.streams.some((f) => f.stall);
    }
    out.push({
      dir,
      mbps,
      role: run.role ?? 'client',
      clientHost: run.clientHost,
      serverHost: run.serverHost,
      windowBytes: window.bytes,
      defaultWindow: window.isDefault,
      streams: Math.max(run.streams, d.sum ? run.streams : d.streams.length),
      simultaneous,
      stalled,
      line: at.line,
      text: at.text,
    });
  }
}

/** a is at most b in window size: true, false, or undefined when the order is not known. */
function windowAtMost(a: IperfFlow, b: IperfFlow): boolean | undefined {
  if (a.defaultWindow && b.defaultWindow) return true;
  if (a.windowBytes !== undefined && b.windowBytes !== undefined) return a.windowBytes <= b.windowBytes * 1.05;
  if (a.defaultWindow && b.windowBytes !== undefined) return b.windowBytes >= SURELY_LARGER_THAN_DEFAULT ? true : undefined;
  return undefined;
}

function sameWindow(a: IperfFlow, b: IperfFlow): boolean {
  if (a.windowBytes !== undefined && b.windowBytes !== undefined) return Math.abs(a.windowBytes - b.windowBytes) <= Math.max(a.windowBytes, b.windowBytes) * 0.05;
  return a.defaultWindow && b.defaultWindow;
}

function configKey(f: IperfFlow): string {
  return `${f.defaultWindow && f.windowBytes === undefined ? 'default' : Math.round((f.windowBytes ?? 0) / 1024)}|${f.streams}|${f.simultaneous ? 'sim' : 'seq'}`;
}

function pairKey(f: IperfFlow): string {
  return `${f.clientHost ?? ''}>${f.serverHost ?? ''}`;
}

function describe(f: IperfFlow): string {
  const w = f.windowBytes !== undefined ? `${Math.round(f.windowBytes / 1024)} KB window` : 'default window';
  return `${round(f.mbps, 2)} Mbit/s ${f.dir === 'up' ? 'client to server' : 'server to client'} with a ${w}${f.streams > 1 ? `, ${f.streams} streams` : ''}`;
}

/** Best flow of each configuration. */
function bestByConfig(flows: IperfFlow[]): IperfFlow[] {
  const best = new Map<string, IperfFlow>();
  for (const f of flows) {
    const k = configKey(f);
    const b = best.get(k);
    if (!b || f.mbps > b.mbps) best.set(k, f);
  }
  return [...best.values()];
}

/** Gain of the best larger configuration over the baseline (default window, else the smallest), per group. */
function windowGains(flows: IperfFlow[], ctx: ReaderContext): { pct: number; from: IperfFlow; to: IperfFlow }[] {
  const groups = new Map<string, IperfFlow[]>();
  for (const f of flows) {
    const k = `${f.dir}|${pairKey(f)}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const gains: { pct: number; from: IperfFlow; to: IperfFlow }[] = [];
  for (const group of groups.values()) {
    const configs = bestByConfig(group);
    if (configs.length < 2) continue;
    const defaults = configs.filter((c) => c.defaultWindow && !c.simultaneous);
    const sized = configs.filter((c) => c.windowBytes !== undefined && !c.simultaneous);
    const pool = defaults.length ? defaults : sized;
    if (!pool.length) continue;
    const base = pool.reduce((a, b) => (b.streams < a.streams || (b.streams === a.streams && (b.windowBytes ?? 0) < (a.windowBytes ?? 0)) ? b : a));
    let top: { pct: number; from: IperfFlow; to: IperfFlow } | undefined;
    for (const c of configs) {
      if (c === base || c.simultaneous !== base.simultaneous) continue;
      const wLe = windowAtMost(base, c);
      if (wLe === undefined) {
        ctx.withhold('iperf_window_effect', `cannot tell whether ${describe(c)} uses a larger window than the default run`, c.line);
        continue;
      }
      const larger = wLe && c.streams >= base.streams && (!sameWindow(base, c) || c.streams > base.streams);
      if (!larger) continue;
      if (base.mbps <= 0) continue;
      const pct = (100 * (c.mbps - base.mbps)) / base.mbps;
      if (!top || pct > top.pct) top = { pct, from: base, to: c };
    }
    if (top) gains.push(top);
  }
  return gains;
}

/** Faster/slower ratio of the two directions, per pair and configuration measured both ways. */
function directionRatios(flows: IperfFlow[]): { ratio: number; faster: Dir; up: IperfFlow; down: IperfFlow }[] {
  const byKey = new Map<string, { up?: IperfFlow; down?: IperfFlow }>();
  for (const f of bestByConfig(flows.filter((x) => x.dir === 'up')).concat(bestByConfig(flows.filter((x) => x.dir === 'down')))) {
    const k = `${pairKey(f)}|${configKey(f)}`;
    const e = byKey.get(k) ?? {};
    e[f.dir] = f;
    byKey.set(k, e);
  }
  const out: { ratio: number; faster: Dir; up: IperfFlow; down: IperfFlow }[] = [];
  for (const { up, down } of byKey.values()) {
    if (!up || !down || up.mbps <= 0 || down.mbps <= 0) continue;
    out.push({ ratio: Math.max(up.mbps, down.mbps) / Math.min(up.mbps, down.mbps), faster: up.mbps >= down.mbps ? 'up' : 'down', up, down });
  }
  return out;
}

/** The pieces of an `iperf3 -J` document this reader uses. */
interface Iperf3Json {
  start?: { connecting_to?: { host?: string }; test_start?: { reverse?: number; num_streams?: number; protocol?: string; bidir?: number } };
  intervals?: { sum?: { bits_per_second?: number } }[];
  end?: { sum_received?: { bits_per_second?: number }; sum_sent?: { bits_per_second?: number }; sum_received_bidir_reverse?: { bits_per_second?: number } };
  error?: string;
}

export const iperfParser: ParserDef = {
  kind: 'iperf',
  label: 'iperf 2 / iperf3',
  aliases: ['iperf3', 'iperf2'],
  detect: [CLIENT_HDR, CONNECTING_HDR, SERVER_HDR, ACCEPTED, WINDOW, /^\[\s*ID\]\s+Interval\s+Transfer\s+(?:Bandwidth|Bitrate)/],
  bigFileLiterals: ['bits/sec', 'Bytes/sec', 'TCP window size', 'onnecting to', 'Server listening', 'Reverse mode', 'connected with', 'connected to', 'Interval', 'iperf', '- - - -'],
  emits: {
    'iperf.throughput_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the best rate of any run read, either direction' },
    'iperf.upload_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the best rate from the iperf client to its server (the default direction)' },
    'iperf.download_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the best rate from the server to the client (iperf3 -R, iperf 2 -r/-d, --bidir RX-C)' },
    'iperf.window_gain_pct': { type: 'number', unit: '%', meaning: 'how much a larger window or more streams raises the rate over the default (else smallest) window, same direction and hosts' },
    'iperf.direction_ratio': { type: 'number', meaning: 'the faster direction over the slower, same hosts, window and streams' },
    'iperf.stalled': { type: 'boolean', meaning: 'a run whose intervals fell to 0 bits/sec after data had flowed' },
    'iperf.error': { type: 'string', values: ['connection_refused', 'connection_timed_out', 'no_route', 'connection_reset', 'other'], meaning: 'iperf could not connect or lost its connection' },
    'iperf.flows': { type: 'data', meaning: 'each run direction with its rate, hosts, window and streams, for the combiners' },
  },
  samples: [
    {
      name: 'iperf 2.0.5 client, default window then -w 4M (Linux clamps the request)',
      input: [
        '[root@client01 ~]# iperf -c media01',
        '------------------------------------------------------------',
        'Client connecting to media01, TCP port 5001',
        'TCP window size: 85.0 KByte (default)',
        '------------------------------------------------------------',
        '[  3] local 10.1.1.5 port 41872 connected with 10.2.2.9 port 5001',
        '[ ID] Interval       Transfer     Bandwidth',
        '[  3]  0.0-10.0 sec   118 MBytes  98.6 Mbits/sec',
        '[root@client01 ~]# iperf -c media01 -w 4M',
        'Client connecting to media01, TCP port 5001',
        'TCP window size: 4.00 MByte (WARNING: requested 4.00 MByte)',
        '[  3] local 10.1.1.5 port 41874 connected with 10.2.2.9 port 5001',
        '[  3]  0.0-10.0 sec   702 MBytes   589 Mbits/sec',
      ].join('\n'),
      yields: { 'iperf.window_gain_pct': 497.4, 'iperf.upload_mbps': 589 },
      never: ['iperf.download_mbps', 'iperf.direction_ratio'],
    },
    {
      name: 'iperf3 3.9 forward then -R on the same pair: directions compared, not windows',
      input: [
        '$ iperf3 -c dd01',
        'Connecting to host dd01, port 5201',
        '[  5] local 10.0.0.4 port 50432 connected to 10.0.0.9 port 5201',
        '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd',
        '[  5]   0.00-1.00   sec  1.25 MBytes  10.5 Mbits/sec    0   64.0 KBytes',
        '- - - - - - - - - - - - - - - - - - - - - - - - -',
        '[ ID] Interval           Transfer     Bitrate         Retr',
        '[  5]   0.00-10.00  sec  12.6 MBytes  10.6 Mbits/sec    3             sender',
        '[  5]   0.00-10.04  sec  12.4 MBytes  10.4 Mbits/sec                  receiver',
        '$ iperf3 -c dd01 -R',
        'Connecting to host dd01, port 5201',
        'Reverse mode, remote host dd01 is sending',
        '- - - - - - - - - - - - - - - - - - - - - - - - -',
        '[  5]   0.00-10.04  sec  60.1 MBytes  50.2 Mbits/sec   12             sender',
        '[  5]   0.00-10.00  sec  59.8 MBytes  50.1 Mbits/sec                  receiver',
      ].join('\n'),
      yields: { 'iperf.upload_mbps': 10.4, 'iperf.download_mbps': 50.1, 'iperf.direction_ratio': 4.8 },
      never: ['iperf.window_gain_pct'],
    },
    {
      name: 'iperf3 refused connection (Windows build)',
      input: ['C:\\iperf3>iperf3.exe -c 10.0.0.9', 'iperf3: error - unable to connect to server: Connection refused'].join('\r\n'),
      yields: { 'iperf.error': 'connection_refused' },
      never: ['iperf.throughput_mbps'],
    },
  ],
  create(ctx): Parser {
    const finished: IperfFlow[] = [];
    const out: Observation[] = [];
    let run: Run | undefined;
    let promptHost: string | undefined;
    let json: { text: string[]; chars: number; line: number } | undefined;
    let stall: { line: number; text: string } | undefined;
    let error: { value: string; line: number; text: string } | undefined;

    const close = () => {
      if (!run) return;
      for (const f of run.flows.values()) if (f.stall && !stall) stall = f.stall;
      if (run.udp && run.flows.size) ctx.withhold('iperf UDP run', 'a UDP run sends at the rate asked with -b; its rate says nothing about TCP windows', run.line);
      else if (finished.length < MAX_FLOWS) flowsOf(run, ctx, finished);
      run = undefined;
    };
    const open = (no: number): Run => {
      close();
      run = newRun(no);
      run.clientHost = promptHost;
      return run;
    };
    /** The run the next header belongs to: the current one while it has no results yet, else a new one. */
    const fresh = (no: number): Run => (run && run.flows.size === 0 ? run : open(no));

    const readJson = (doc: string, no: number) => {
      let j: Iperf3Json;
      try {
        j = JSON.parse(doc) as Iperf3Json;
      } catch {
        ctx.withhold('iperf3 -J', 'the JSON document does not parse (cut or wrapped); not read', no);
        return;
      }
      const r = run && run.json && run.flows.size === 0 ? run : open(no);
      r.tool = 3;
      r.role = 'client';
      if (j.error) error ??= { value: errorKind(j.error), line: no, text: j.error };
      const ts = j.start?.test_start;
      if (ts?.protocol && ts.protocol !== 'TCP') r.udp = true;
      if (ts?.reverse) r.reverse = true;
      if (ts?.num_streams) r.streams = ts.num_streams;
      if (j.start?.connecting_to?.host) r.serverHost ??= j.start.connecting_to.host.toLowerCase();
      const add = (id: string, dir: Dir, bps: number | undefined) => {
        if (bps === undefined) return;
        const text = `iperf3 -J end: ${round(bps / 1e6, 2)} Mbits/sec received (${dir === 'up' ? 'client to server' : 'server to client'})`;
        r.flows.set(id, { id: 'SUM', dir, sawData: true, maxEnd: 0, summary: { mbps: bps / 1e6, line: no, text, side: 'receiver' } });
      };
      let sawData = false;
      for (const iv of j.intervals ?? []) {
        const bps = iv.sum?.bits_per_second ?? 0;
        if (bps > 0) sawData = true;
        else if (sawData) stall ??= { line: no, text: 'iperf3 -J interval at 0 bits/sec after data flowed' };
      }
      if (ts?.bidir) {
        r.bidir = r.simultaneous = true;
        add('SUM|up', 'up', j.end?.sum_received?.bits_per_second);
        add('SUM|down', 'down', j.end?.sum_received_bidir_reverse?.bits_per_second);
      } else add('SUM', r.reverse ? 'down' : 'up', j.end?.sum_received?.bits_per_second ?? j.end?.sum_sent?.bits_per_second);
      close();
    };

    const result = (no: number, text: string, m: RegExpExecArray) => {
      const r = run ?? open(no);
      const [, id, tag, startS, endS, , rateN, ratePrefix, rateKind, tail] = m;
      const mbps = rateMbps(rateN, ratePrefix, rateKind);
      if (mbps === undefined) return;
      const key = tag ? `${id}|${tag}` : id;
      let f = r.flows.get(key);
      if (!f) {
        f = { id, tag, dir: flowDir(r, id, tag), sawData: false, maxEnd: 0 };
        r.flows.set(key, f);
      }
      if (id !== 'SUM' && f.dir) r.lastFlowDir = f.dir;
      const side = /\breceiver\b/.test(tail) ? 'receiver' : /\bsender\b/.test(tail) ? 'sender' : undefined;
      const start = Number(startS);
      const end = Number(endS);
      if (side || r.afterSeparator) {
        r.tool ??= 3;
        const s: Summary = { mbps, line: no, text, side: side ?? 'total' };
        // the receiver counts what arrived; the sender only what it wrote to its socket
        if (!f.summary || s.side === 'receiver' || (f.summary.side !== 'receiver' && s.side === 'total')) f.summary = s;
        return;
      }
      if (mbps > 0) f.sawData = true;
      else if (f.sawData && !f.stall && (r.streams === 1 || id === 'SUM')) f.stall = { line: no, text };
      if (start === 0 && end >= f.maxEnd && r.tool !== 3) f.total = { end, mbps, line: no, text, side: 'total' };
      f.maxEnd = Math.max(f.maxEnd, end);
      if (f.total && f.total.end < f.maxEnd) f.total = undefined;
    };

    return {
      command(no, cmd: CommandLine) {
        if (cmd.host) promptHost = cmd.host.toLowerCase();
        const st = cmd.stages[0];
        if (!st || (st.name !== 'iperf' && st.name !== 'iperf3')) {
          close();
          return;
        }
        const r = open(no);
        readArgs(r, st.name, st.args);
        if (r.role === 'server') {
          r.serverHost = promptHost;
          r.clientHost = undefined;
        }
      },
      line(no, raw) {
        if (json) {
          json.text.push(raw);
          json.chars += raw.length + 1;
          if (json.chars > MAX_JSON_CHARS) {
            ctx.withhold('iperf3 -J', 'JSON document too large; not read', json.line);
            json = undefined;
          } else if (raw.trimEnd() === '}') {
            const doc = json.text.join('\n');
            const at = json.line;
            json = undefined;
            readJson(doc, at);
          }
          return;
        }
        let text = raw.trim();
        if (!text) return;
        if (text === '{' && (run?.json || !run)) {
          json = { text: [text], chars: 2, line: no };
          return;
        }
        // iperf3 --timestamps puts the time before each line
        const bracket = text.indexOf('[');
        if (bracket > 0 && bracket <= 40 && /\d:\d\d:\d\d/.test(text.slice(0, bracket))) text = text.slice(bracket);
        let m: RegExpExecArray | null;
        if (text.charCodeAt(0) === 91 /* [ */) {
          if ((m = RESULT.exec(text))) return result(no, text, m);
          if ((m = SOCKET.exec(text))) {
            let r = run ?? open(no);
            // an iperf 2 server reports each client's test in turn: a connection after a finished result is the next test
            if (r.role === 'server' && r.tool !== 3 && [...r.flows.values()].some((f) => f.total)) {
              const prev = r;
              r = open(no);
              r.role = 'server';
              r.tool = prev.tool;
              r.port = prev.port;
              r.serverHost = prev.serverHost;
              r.clientHost = undefined;
            }
            const [, id, local, localPort, remote, remotePort, tail] = m;
            const tool = r.tool ?? (/connected to/.test(text) ? 3 : 2);
            const listen = r.port ?? IPERF_PORT[tool];
            // the side whose local port is the iperf port accepted the connection
            const kind = Number(localPort) === listen ? 'accepted' : Number(remotePort) === listen ? 'connecting' : undefined;
            if (kind) r.sockets.set(id, kind);
            if (/\(reverse\)/.test(tail)) r.reversedSockets.add(id), (r.reverse = true);
            if (r.role === 'server' && kind === 'accepted') r.clientHost ??= remote.toLowerCase();
            if (r.role === 'client' && kind === 'connecting') r.serverHost ??= remote.toLowerCase();
            void local;
            return;
          }
          if (INTERVAL_HDR.test(text)) {
            if (run && run.tool === 3 && run.role === 'server' && !run.afterSeparator) run.sends = /\bRetr\b/.test(text);
            return;
          }
          return;
        }
        if (SEPARATOR.test(text)) {
          if (run) run.afterSeparator = true;
          return;
        }
        if ((m = CLIENT_HDR.exec(text))) {
          if (run && run.role === 'server') {
            run.windowFor = 'connect';
            return;
          }
          const r = run && run.role === 'client' && run.dual && run.flows.size === 0 ? run : fresh(no);
          r.tool = 2;
          r.role ??= 'client';
          if (r.role === 'client') r.serverHost ??= m[1].toLowerCase();
          r.port ??= Number(m[2]);
          r.windowFor = 'connect';
          if (/UDP/.test(text)) r.udp = true;
          return;
        }
        if ((m = CONNECTING_HDR.exec(text))) {
          const r = fresh(no);
          r.tool = 3;
          r.role = 'client';
          r.serverHost ??= m[1].toLowerCase();
          r.port ??= Number(m[2]);
          return;
        }
        if ((m = SERVER_HDR.exec(text))) {
          if (run && run.role === 'client' && run.dual) {
            run.windowFor = 'listen';
            return;
          }
          const r = run && run.role === 'server' && run.flows.size === 0 ? run : open(no);
          r.role = 'server';
          r.serverHost ??= promptHost;
          r.clientHost = undefined;
          r.tool ??= m[1] ? 2 : 3;
          r.port ??= Number(m[2]);
          r.windowFor = 'listen';
          if (m[1] === 'UDP') r.udp = true;
          return;
        }
        if ((m = ACCEPTED.exec(text))) {
          // an iperf3 server: each accepted client is a new test
          const prev = run;
          const r = prev && prev.role === 'server' && prev.flows.size === 0 ? prev : open(no);
          r.tool = 3;
          r.role = 'server';
          r.serverHost = prev?.serverHost ?? promptHost;
          r.port ??= prev?.port;
          r.clientHost = m[1].toLowerCase();
          return;
        }
        if ((m = REVERSE_HDR.exec(text))) {
          if (run) run.reverse = true;
          return;
        }
        if ((m = WINDOW.exec(text))) {
          const r = run ?? open(no);
          const bytes = sizeBytes(m[1], m[2]);
          // the client's own window decides its runs; a listener's window is the server's business
          if (r.role !== 'server' && r.windowFor !== 'listen') {
            const isDefault = /\(default\)/.test(text);
            r.granted = { bytes, isDefault };
            const req = REQUESTED.exec(text);
            if (req) r.requested = sizeBytes(req[1], req[2]);
          }
          return;
        }
        if ((m = ERROR.exec(text))) {
          error ??= { value: errorKind(m[1]), line: no, text };
          return;
        }
      },
      finish() {
        close();
        if (json) ctx.withhold('iperf3 -J', 'the JSON document ends before its closing brace; not read', json.line);
        if (error) out.push({ key: 'iperf.error', value: error.value, line: error.line, text: error.text });
        if (stall) out.push({ key: 'iperf.stalled', value: true, ...stall });
        const rated = finished.filter((f) => f.mbps >= 0);
        if (!rated.length) return out;
        const best = rated.reduce((a, b) => (b.mbps > a.mbps ? b : a));
        out.push({ key: 'iperf.throughput_mbps', value: round(best.mbps, 3), line: best.line, text: best.text });
        for (const dir of ['up', 'down'] as const) {
          const inDir = rated.filter((f) => f.dir === dir);
          if (!inDir.length) continue;
          const b = inDir.reduce((a, c) => (c.mbps > a.mbps ? c : a));
          out.push({ key: dir === 'up' ? 'iperf.upload_mbps' : 'iperf.download_mbps', value: round(b.mbps, 3), line: b.line, text: b.text });
        }
        out.push({ key: 'iperf.flows', value: rated.length, data: rated });

        // comparisons: client-side runs that did not stall
        const usable = rated.filter((f) => f.role === 'client' && !f.stalled);
        if (rated.some((f) => f.stalled)) ctx.withhold('iperf comparisons', 'a run stalled (0 bits/sec after data flowed); it is left out of the window and direction comparisons');
        if (!usable.length && rated.some((f) => f.role === 'server')) ctx.withhold('iperf_window_effect', 'only server-side reports: the server does not see the window the client asked for, so windows are not compared');

        const gains = windowGains(usable, ctx);
        if (gains.length) {
          const hi = gains.reduce((a, b) => (b.pct > a.pct ? b : a));
          const lo = gains.reduce((a, b) => (b.pct < a.pct ? b : a));
          if (hi.pct >= 50 && lo.pct < 20) ctx.withhold('iperf_window_effect', `a larger window helps between one pair of hosts or direction (${describe(hi.to)} vs ${describe(hi.from)}) and not another (${describe(lo.to)} vs ${describe(lo.from)})`, hi.to.line);
          else out.push({ key: 'iperf.window_gain_pct', value: round(Math.max(hi.pct, -100), 1), line: hi.to.line, text: `${describe(hi.to)} vs ${describe(hi.from)}` });
        } else if (new Set(usable.map((f) => f.dir)).size > 1) {
          ctx.withhold('iperf_window_effect', 'the runs differ in direction, not in window: a reverse run is not a window test');
        }

        const ratios = directionRatios(usable);
        if (ratios.length) {
          const allApart = ratios.every((r) => r.ratio >= 2) && new Set(ratios.map((r) => r.faster)).size === 1;
          const allClose = ratios.every((r) => r.ratio <= 1.25);
          const pick = allApart ? ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a)) : ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
          if (allApart || allClose || ratios.length === 1) {
            out.push({ key: 'iperf.direction_ratio', value: round(pick.ratio, 2), line: pick.down.line, text: `${describe(pick.up)}; ${describe(pick.down)}` });
          } else ctx.withhold('rate_differs_by_direction', 'the two directions compare differently at different windows or streams', pick.down.line);
        }
        return out;
      },
    };
  },
};

function errorKind(msg: string): string {
  const t = msg.toLowerCase();
  if (t.includes('refused')) return 'connection_refused';
  if (t.includes('timed out') || t.includes('timeout')) return 'connection_timed_out';
  if (t.includes('no route')) return 'no_route';
  if (t.includes('reset')) return 'connection_reset';
  return 'other';
}
