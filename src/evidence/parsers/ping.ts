/**
 * ping output: Linux iputils (old and new, `-D` epoch stamps, `-O` "no answer yet"), ping6, busybox,
 * macOS/BSD (`-D` sets don't-fragment there), Solaris `ping -s`, and Windows ping (`-f -l 1472`
 * don't-fragment probes) in English, French, German, Korean, Spanish, Portuguese, Italian, Japanese and
 * Chinese. Several runs per paste, with the commands and the admin's marks around them.
 *
 * It concludes, per target and only from like-with-like runs:
 *  - whether the peer stayed reachable through the job (answers before and during a job mark), was lost
 *    once the job started, or never answered, and says why not when no mark or time splits the run;
 *  - what happened to full-size don't-fragment pings (passes / fails silently / a fragmentation-needed
 *    error), and the path MTU from a bracket of DF sizes or the MTU an error names;
 *  - the idle round-trip time and whether it rises sharply in a run marked as under load;
 *  - the loss of each run.
 */
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip, round } from './types.js';
import type { CommandLine, Mark } from '../transcript.js';
import { mayOpenRun, readPingLine, type PingStyle } from '../path/ping-line.js';
import { Timeline, type Clock, type Phase } from '../path/timeline.js';
import { emitOnce, type Verdict } from '../path/verdict.js';

/** What a ping command line asks for, read before its output says which OS it ran on. */
interface Invocation {
  v6: boolean;
  /** -M do|probe (Linux), -D (BSD/macOS: DF; Linux: time stamps), -f (Windows: DF; Linux: flood). */
  pmtu?: string;
  dashD: boolean;
  dashF: boolean;
  interval: number;
  /** Inside a shell loop: every header that follows belongs to it. */
  loop: boolean;
}

interface Probe {
  ok: boolean;
  line: number;
  seq?: number;
  rtt?: number;
  at?: Clock;
  /** From a summary of a run whose replies were not shown (`ping -q`, a cut paste): order unknown. */
  unordered?: boolean;
}

interface Run {
  n: number;
  line: number;
  text: string;
  host?: string;
  style: PingStyle;
  target: string;
  addr?: string;
  payload?: number;
  total?: number;
  df: boolean;
  interval: number;
  probes: Probe[];
  nextSeq?: number;
  frags: { line: number; text: string; mtu?: number; local: boolean }[];
  unreachable: number;
  summary?: { line: number; text: string; sent: number; received: number };
  rttAvg?: number;
  start?: Clock;
}

const MAX_RUNS = 2_000;
const MAX_PROBES = 200_000;
/** A full-size probe: IP packet of 1490..1500 bytes (1472 bytes of ICMP data over IPv4, 1452 over IPv6). */
const FULL_MIN = 1490;
const FULL_MAX = 1500;
/** Payloads above this are not "small" pings for reachability or round-trip times. */
const SMALL_PAYLOAD = 1000;

const VALUE_OPTS = new Set(['c', 'i', 'I', 'l', 'm', 'M', 'p', 'Q', 'S', 'T', 'w', 'W', 'j', 'k', 'r', 'v']);
/** Options that take a value on one OS and none on another: a value only when a number follows. */
const NUMBER_OPTS = new Set(['s', 't', 'n']);

/** The ping invocations of a command line ("ping -M do -s 1472 dd02; ping -M do -s 1372 dd02"). */
function invocations(cmd: CommandLine): Invocation[] {
  const text = cmd.stages[0]?.text ?? cmd.command;
  const loop = /^(?:for|while)\b|\$\{?\w/.test(cmd.command.trim());
  const out: Invocation[] = [];
  for (const piece of text.split(/;|&&|\|\|/)) {
    const w = piece.trim().split(/\s+/);
    let k = 0;
    while (k < w.length && /^(?:sudo|time|do|then|-\w+)$/.test(w[k]) && !/^ping6?(?:\.exe)?$/i.test(w[k])) k++;
    const name = (w[k] ?? '').toLowerCase().replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
    if (name !== 'ping' && name !== 'ping6') continue;
    const inv: Invocation = { v6: name === 'ping6', dashD: false, dashF: false, interval: 1, loop };
    for (let i = k + 1; i < w.length; i++) {
      let a = w[i];
      if (/^\/[a-zA-Z]$/.test(a)) a = `-${a.slice(1)}`; // Windows "/f /l 1472"
      if (!a.startsWith('-') || a.length < 2 || a.startsWith('--')) continue;
      const flags = a.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const f = flags[j];
        const attached = flags.slice(j + 1);
        const takes = VALUE_OPTS.has(f) || (NUMBER_OPTS.has(f) && (attached ? /^\d/.test(attached) : /^\d/.test(w[i + 1] ?? '')));
        if (takes) {
          const value = attached || w[++i] || '';
          if (f === 'M') inv.pmtu = value;
          if (f === 'i') inv.interval = Number(value) > 0 ? Number(value) : 1;
          break;
        }
        if (f === 'D') inv.dashD = true;
        if (f === 'f') inv.dashF = true;
        if (f === '6') inv.v6 = true;
      }
    }
    out.push(inv);
  }
  return out;
}

/** Does the probe set don't-fragment, given the OS its header shows? */
function dfOf(inv: Invocation | undefined, style: PingStyle): boolean {
  if (!inv) return false;
  if (style === 'linux') return inv.pmtu === 'do' || inv.pmtu === 'probe';
  if (style === 'bsd') return inv.dashD;
  if (style === 'windows') return inv.dashF;
  return false;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase() || a.toLowerCase().split('.')[0] === b.toLowerCase().split('.')[0];

function sameTarget(a: Run, b: Run): boolean {
  if (a.addr && b.addr) return a.addr === b.addr;
  return sameName(a.target, b.target) || (!!a.addr && sameName(a.addr, b.target)) || (!!b.addr && sameName(b.addr, a.target));
}

function lossPct(r: Run): number | undefined {
  if (!r.probes.length) return undefined;
  return round((100 * r.probes.filter((p) => !p.ok).length) / r.probes.length);
}

const small = (r: Run) => !((r.df && (r.total ?? 0) > 1200) || (r.payload ?? 0) > SMALL_PAYLOAD);
const where = (r: Run) => `ping ${r.target}${r.payload !== undefined ? ` (${r.payload} bytes${r.df ? ', don\'t fragment' : ''})` : ''} at line ${r.line}`;

export const pingParser: ParserDef = {
  kind: 'ping',
  label: 'ping / ping6 (Linux, BSD, Solaris, Windows)',
  aliases: ['ping6'],
  detect: [/^\s*PING6?[\s(]\S+/, /^\s*(?:Pinging|Envoi d.une requête|Ping wird ausgeführt|Haciendo ping)\b/i, /^\s*Ping \S+ (?:\[[^\]]+\] )?\d+바이트/],
  bigFileLiterals: ['bytes from', 'icmp_seq', 'packets transmitted', 'PING '],
  emits: {
    'ping.peer_reachability': { type: 'string', values: ['ok_throughout', 'lost_during_job', 'never_reachable'], meaning: 'whether small pings to the peer answered before and during the job, stopped once it started, or never answered' },
    'ping.large_df': { type: 'string', values: ['passes', 'fails_silently', 'frag_needed_reply'], meaning: "what happened to the full-size don't-fragment ping while small pings to the same target answered" },
    'ping.path_mtu_bytes': { type: 'number', unit: 'bytes', meaning: "the largest don't-fragment packet that crossed (payload + headers), or the MTU a fragmentation-needed error names" },
    'ping.small_ok': { type: 'boolean', meaning: 'ordinary small pings got answers' },
    'ping.rtt_idle_ms': { type: 'number', unit: 'ms', meaning: 'average round-trip time of small pings not marked as taken under load' },
    'ping.rtt_loaded_ms': { type: 'number', unit: 'ms', meaning: 'average round-trip time of small pings marked as taken during the job or a transfer' },
    'ping.latency_rises_under_load': { type: 'boolean', meaning: 'the loaded round trip is at least 3 times and 20 ms above the idle one (true), or about the same (false)' },
    'ping.loss_pct': { type: 'number', unit: '%', meaning: 'the worst packet loss of the runs read' },
    'ping.loss_pct.*': { type: 'number', unit: '%', meaning: 'packet loss of run N (in file order)' },
  },
  samples: [
    {
      name: 'Linux iputils: answered until the "job started" mark, then only "no answer yet" (ping -O)',
      input: [
        '[root@avamar ~]# ping -O 10.2.2.9',
        'PING 10.2.2.9 (10.2.2.9) 56(84) bytes of data.',
        '64 bytes from 10.2.2.9: icmp_seq=1 ttl=52 time=4.21 ms',
        '64 bytes from 10.2.2.9: icmp_seq=2 ttl=52 time=4.05 ms',
        '64 bytes from 10.2.2.9: icmp_seq=3 ttl=52 time=4.11 ms',
        '# replication job started here',
        'no answer yet for icmp_seq=4',
        'no answer yet for icmp_seq=5',
        'no answer yet for icmp_seq=6',
        'no answer yet for icmp_seq=7',
        '^C',
        '--- 10.2.2.9 ping statistics ---',
        '7 packets transmitted, 3 received, 57.1429% packet loss, time 6104ms',
        'rtt min/avg/max/mdev = 4.050/4.123/4.210/0.066 ms',
      ].join('\n'),
      yields: { 'ping.peer_reachability': 'lost_during_job', 'ping.loss_pct': 57.1 },
    },
    {
      name: 'Linux ping -M do: 1472 bytes vanish, 1372 pass, small pings answer (a DF bracket)',
      input: [
        '$ ping -c 3 dd02',
        'PING dd02 (10.2.0.5) 56(84) bytes of data.',
        '64 bytes from dd02 (10.2.0.5): icmp_seq=1 ttl=61 time=0.61 ms',
        '64 bytes from dd02 (10.2.0.5): icmp_seq=2 ttl=61 time=0.58 ms',
        '64 bytes from dd02 (10.2.0.5): icmp_seq=3 ttl=61 time=0.60 ms',
        '3 packets transmitted, 3 received, 0% packet loss, time 2003ms',
        '$ ping -M do -s 1472 -c 3 dd02',
        'PING dd02 (10.2.0.5) 1472(1500) bytes of data.',
        '3 packets transmitted, 0 received, 100% packet loss, time 2041ms',
        '$ ping -M do -s 1372 -c 3 dd02',
        'PING dd02 (10.2.0.5) 1372(1400) bytes of data.',
        '1380 bytes from dd02 (10.2.0.5): icmp_seq=1 ttl=61 time=0.95 ms',
        '1380 bytes from dd02 (10.2.0.5): icmp_seq=2 ttl=61 time=0.91 ms',
        '1380 bytes from dd02 (10.2.0.5): icmp_seq=3 ttl=61 time=0.93 ms',
        '3 packets transmitted, 3 received, 0% packet loss, time 2002ms',
      ].join('\n'),
      yields: { 'ping.large_df': 'fails_silently', 'ping.path_mtu_bytes': 1400, 'ping.small_ok': true, 'ping.rtt_idle_ms': 0.6 },
      never: ['ping.peer_reachability'],
    },
    {
      name: 'Windows ping -f -l 1472 (German) that needs fragmenting',
      input: [
        'C:\\>ping -f -l 1472 -n 2 10.2.2.9',
        '',
        'Ping wird ausgeführt für 10.2.2.9 mit 1472 Bytes Daten:',
        'Paket müsste fragmentiert werden, DF-Flag ist jedoch gesetzt.',
        'Paket müsste fragmentiert werden, DF-Flag ist jedoch gesetzt.',
        '',
        'Ping-Statistik für 10.2.2.9:',
        '    Pakete: Gesendet = 2, Empfangen = 0, Verloren = 2',
        '    (100% Verlust),',
      ].join('\n'),
      yields: { 'ping.large_df': 'frag_needed_reply', 'ping.loss_pct': 100 },
      never: ['ping.path_mtu_bytes'],
    },
    {
      name: 'Korean Windows ping, idle then marked during the backup: round trip rises sharply',
      input: [
        'C:\\Users\\admin>ping -n 4 10.2.2.9',
        'Ping 10.2.2.9 32바이트 데이터 사용:',
        '10.2.2.9의 응답: 바이트=32 시간=12ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=11ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=12ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=13ms TTL=57',
        '    패킷: 보냄 = 4, 받음 = 4, 손실 = 0 (0% 손실),',
        '    최소 = 11ms, 최대 = 13ms, 평균 = 12ms',
        '# during the backup',
        'C:\\Users\\admin>ping -n 4 10.2.2.9',
        'Ping 10.2.2.9 32바이트 데이터 사용:',
        '10.2.2.9의 응답: 바이트=32 시간=181ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=190ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=176ms TTL=57',
        '10.2.2.9의 응답: 바이트=32 시간=185ms TTL=57',
        '    패킷: 보냄 = 4, 받음 = 4, 손실 = 0 (0% 손실),',
        '    최소 = 176ms, 최대 = 190ms, 평균 = 183ms',
      ].join('\n'),
      yields: { 'ping.rtt_idle_ms': 12, 'ping.rtt_loaded_ms': 183, 'ping.latency_rises_under_load': true, 'ping.peer_reachability': 'ok_throughout' },
    },
    {
      name: 'macOS ping -D -s 1472: sendto: Message too long (the local interface is smaller)',
      input: ['% ping -D -s 1472 -c 2 dd02', 'PING dd02 (10.2.0.5): 1472 data bytes', 'ping: sendto: Message too long', 'ping: sendto: Message too long', '', '--- dd02 ping statistics ---', '2 packets transmitted, 0 packets received, 100.0% packet loss'].join('\n'),
      yields: { 'ping.large_df': 'frag_needed_reply' },
      never: ['ping.path_mtu_bytes', 'ping.rtt_idle_ms'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    const runs: Run[] = [];
    const timeline = new Timeline();
    let pending: Invocation[] = [];
    let loopInv: Invocation | undefined;
    let cmdLine = 0;
    let host: string | undefined;
    let cur: Run | undefined;
    let probes = 0;

    const addProbe = (r: Run, p: Probe) => {
      if (probes >= MAX_PROBES) return;
      probes++;
      r.probes.push(p);
    };
    /** Probes between the last sequence number seen and `seq` got no answer. */
    const fillGap = (r: Run, seq: number, line: number) => {
      if (r.nextSeq === undefined) r.nextSeq = seq;
      for (let s = r.nextSeq; s < seq && s - r.nextSeq < 100_000; s++) addProbe(r, { ok: false, line, seq: s });
    };
    const probe = (r: Run, ok: boolean, line: number, seq: number | undefined, rtt?: number, at?: Clock) => {
      if (seq !== undefined) {
        if (r.nextSeq !== undefined && seq < r.nextSeq) {
          // a late reply to a probe already counted as lost ("no answer yet" then the answer)
          if (ok) for (let i = r.probes.length - 1; i >= Math.max(0, r.probes.length - 50); i--) if (r.probes[i].seq === seq) r.probes[i] = { ...r.probes[i], ok, rtt, at };
          return;
        }
        fillGap(r, seq, line);
        r.nextSeq = seq + 1;
      }
      addProbe(r, { ok, line, seq, rtt, at });
    };
    const startRun = (no: number, text: string, h: { style: PingStyle; target: string; addr?: string; payload?: number; total?: number; v6: boolean }) => {
      const inv = pending.shift() ?? loopInv;
      cur = undefined;
      if (runs.length >= MAX_RUNS) return;
      cur = {
        n: runs.length + 1,
        line: no,
        text,
        host,
        style: h.style,
        target: h.target,
        addr: h.addr,
        payload: h.payload,
        total: h.total,
        df: dfOf(inv, h.style),
        // Windows -i is the TTL, not an interval
        interval: h.style === 'windows' ? 1 : (inv?.interval ?? 1),
        probes: [],
        frags: [],
        unreachable: 0,
        start: timeline.timeBefore(Math.min(no, cmdLine || no), 3),
      };
      runs.push(cur);
    };

    return {
      command(no, cmd) {
        if (cmd.host) host = cmd.host;
        const name = cmd.stages[0]?.name ?? '';
        cur = undefined;
        const looped = /^(?:for|while)$/.test(name) && /\bping6?\b/.test(cmd.stages[0]?.text ?? '');
        const invs = name === 'ping' || name === 'ping6' || looped ? invocations(cmd) : [];
        pending = invs;
        loopInv = invs.find((i) => i.loop);
        cmdLine = no;
        // a transfer left running in the background loads the link for what follows
        if (/^(?:iperf3?|scp|rsync|dd|nc)$/.test(name) && /&\s*$/.test(cmd.command)) timeline.add(no, { kind: 'job', phase: 'during', text: `load: ${cmd.command}` });
      },
      mark(no: number, mark: Mark) {
        timeline.add(no, mark);
      },
      line(no, text) {
        if (!cur && !mayOpenRun(text)) return;
        const r = readPingLine(text);
        if (!r) return;
        const l = r.line;
        if (l.kind === 'header') {
          startRun(no, text, l);
          return;
        }
        if (l.kind === 'alive') {
          // Solaris without -s: one probe, no header
          startRun(no, text, { style: 'solaris', target: l.target, v6: false });
          if (cur) probe(cur, l.ok, no, undefined);
          cur = undefined;
          return;
        }
        const run = cur;
        if (!run) return;
        switch (l.kind) {
          case 'reply':
            probe(run, true, no, l.seq, l.rtt, r.at);
            break;
          case 'timeout':
            probe(run, false, no, l.seq, undefined, r.at);
            break;
          case 'unreachable':
            run.unreachable++;
            probe(run, false, no, l.seq, undefined, r.at);
            break;
          case 'frag':
            // only a probe that may not be fragmented meets this error: the run set DF even if no command shows it
            run.df = true;
            if (run.frags.length < 1000) run.frags.push({ line: no, text, mtu: l.mtu, local: l.local });
            probe(run, false, no, l.seq, undefined, r.at);
            break;
          case 'summary': {
            run.summary = { line: no, text, sent: l.sent, received: l.received };
            const shown = run.probes.length;
            if (l.sent <= shown) break;
            const okShown = run.probes.filter((p) => p.ok).length;
            // Windows counts error replies as received; Linux and BSD count echo replies only
            const missingOk = Math.max(0, l.received - okShown - (l.windows ? run.unreachable + run.frags.length : 0));
            const missing = l.sent - shown;
            if (missingOk === 0) for (let i = 0; i < missing; i++) addProbe(run, { ok: false, line: no });
            else for (let i = 0; i < missing; i++) addProbe(run, { ok: i < missingOk, line: no, unordered: true });
            break;
          }
          case 'rtt':
            run.rttAvg = l.avg;
            break;
        }
      },
      finish(): Observation[] {
        const out: Observation[] = [];
        const done = runs.filter((r) => r.probes.length > 0 || r.frags.length > 0);
        if (!done.length) return out;
        // loss per run, and the worst
        for (const r of done) {
          const loss = lossPct(r);
          if (loss !== undefined) out.push({ key: `ping.loss_pct.${r.n}`, value: loss, line: r.summary?.line ?? r.line, text: r.summary?.text ?? r.text, host: r.host });
        }
        const worst = done.filter((r) => lossPct(r) !== undefined).reduce<Run | undefined>((a, b) => (!a || lossPct(b)! > lossPct(a)! ? b : a), undefined);
        if (worst) out.push({ key: 'ping.loss_pct', value: lossPct(worst)!, line: worst.summary?.line ?? worst.line, text: `${clip(worst.summary?.text ?? worst.text, 120)} (${where(worst)})`, host: worst.host });

        // group runs by target: conclusions compare runs to the same host only
        const groups: Run[][] = [];
        for (const r of done) {
          const g = groups.find((x) => x.some((y) => sameTarget(x[0], r) || sameTarget(y, r)));
          if (g) g.push(r);
          else groups.push([r]);
        }
        const smallOk = done.some((r) => small(r) && r.probes.some((p) => p.ok));
        if (done.some(small)) out.push({ key: 'ping.small_ok', value: smallOk, line: done.find(small)!.line, text: done.find(small)!.text });

        const phaseOf = (r: Run, p: Probe, index: number): Phase => {
          const at = p.at ?? clockOf(r, p, index);
          const byTime = at ? timeline.phaseAtTime(at) : undefined;
          return byTime ?? timeline.phaseAt(p.line, 'job');
        };
        emitOnce(out, ctx, 'ping.peer_reachability', groups.map((g) => reachability(g, phaseOf, timeline.hasMarks('job') || !!timeline.jobStart)));
        emitOnce(out, ctx, 'ping.large_df', groups.map((g) => largeDf(g)));
        emitOnce(out, ctx, 'ping.path_mtu_bytes', groups.map((g) => pathMtu(g)));
        const rtts = groups.map((g) => roundTrips(g, timeline));
        emitOnce(out, ctx, 'ping.rtt_idle_ms', rtts.map((x) => x.idle), 1.5);
        emitOnce(out, ctx, 'ping.rtt_loaded_ms', rtts.map((x) => x.loaded), 1.5);
        emitOnce(out, ctx, 'ping.latency_rises_under_load', rtts.map((x) => x.rises));
        return out;
      },
    };
  },
};

/** A probe's clock: its own stamp, else the run's start (a `date` line just before it) plus sequence × interval. */
function clockOf(r: Run, p: Probe, index: number): Clock | undefined {
  if (!r.start || p.unordered) return undefined;
  const first = r.probes[0]?.seq ?? 0;
  const k = p.seq !== undefined ? p.seq - first : index;
  return { stamp: { ...r.start.stamp, t: r.start.stamp.t + k * r.interval }, utc: r.start.utc };
}

/** Reachability of one target through the job: needs a job mark or a job start time to split the probes. */
function reachability(runs: Run[], phaseOf: (r: Run, p: Probe, i: number) => Phase, marked: boolean): Verdict {
  const usable = runs.filter(small);
  if (!usable.length) return undefined;
  const before: { p: Probe; r: Run }[] = [];
  const during: { p: Probe; r: Run }[] = [];
  let unknown = 0;
  for (const r of usable) {
    r.probes.forEach((p, i) => {
      const ph = phaseOf(r, p, i);
      if (ph === 'before') before.push({ p, r });
      else if (ph === 'during') during.push({ p, r });
      else if (ph === 'unknown') unknown++;
    });
  }
  const target = usable[0].target;
  const anyLoss = usable.some((r) => r.probes.some((p) => !p.ok));
  if (!before.length && !during.length) {
    if (!unknown) return undefined;
    return {
      why: marked
        ? `the pings to ${target} lie outside the job's marks: reachability during the job not concluded`
        : anyLoss
          ? `pings to ${target} lost packets but no job mark or time splits the run: cannot tell "lost during the job" from "lost"`
          : `pings to ${target} answered but no job mark says the job was running: not concluded`,
      line: usable[0].line,
    };
  }
  const okBefore = before.filter((x) => x.p.ok).length;
  const okDuring = during.filter((x) => x.p.ok).length;
  // lost during the job: answered before, then an unbroken run of unanswered probes to the end
  let tail = 0;
  for (let i = during.length - 1; i >= 0 && !during[i].p.ok; i--) tail++;
  const orderedTail = during.slice(during.length - tail).every((x) => !x.p.unordered);
  if (okBefore >= 2 && okBefore >= before.length / 2 && tail >= 3 && orderedTail) {
    const first = during[during.length - tail];
    return {
      value: 'lost_during_job',
      line: first.p.line,
      text: `${target} answered ${okBefore} of ${before.length} pings before the job mark, then ${tail} in a row went unanswered (${where(first.r)})`,
      host: first.r.host,
    };
  }
  if (during.length >= 3 && okDuring >= during.length * 0.9 && during[during.length - 1].p.ok && (before.length === 0 || okBefore > 0)) {
    const last = during[during.length - 1];
    return { value: 'ok_throughout', line: last.p.line, text: `${target} answered ${okDuring} of ${during.length} pings during the job${before.length ? ` and ${okBefore} of ${before.length} before it` : ''} (${where(last.r)})`, host: last.r.host };
  }
  if (okBefore === 0 && okDuring === 0 && before.length >= 3) {
    return { value: 'never_reachable', line: before[0].p.line, text: `${target} answered none of ${before.length + during.length} pings, already before the job (${where(before[0].r)})`, host: before[0].r.host };
  }
  if (!before.length && okDuring === 0) return { why: `${target} did not answer during the job, and no ping before the job shows whether it ever did: "lost during the job" and "never reachable" not told apart`, line: during[0]?.p.line };
  return { why: `pings to ${target} lost some packets around the job but kept answering: neither reachable throughout nor lost`, line: (during[0] ?? before[0]).p.line };
}

type DfOutcome = 'passes' | 'frag' | 'silent' | 'unreachable' | 'unknown';

function dfOutcome(r: Run): DfOutcome {
  if (r.probes.some((p) => p.ok)) return 'passes';
  if (r.frags.length) return 'frag';
  if (r.unreachable) return 'unreachable';
  return r.probes.length ? 'silent' : 'unknown';
}

/** The full-size don't-fragment ping of one target, judged only beside small pings to the same target. */
function largeDf(runs: Run[]): Verdict {
  const full = runs.filter((r) => r.df && (r.total ?? 0) >= FULL_MIN && (r.total ?? 0) <= FULL_MAX);
  if (!full.length) return undefined;
  const outcomes = full.map(dfOutcome);
  const target = full[0].target;
  const smalls = runs.filter((r) => !r.df || (r.total ?? 0) < FULL_MIN);
  const smallPassed = smalls.some((r) => r.probes.some((p) => p.ok));
  const smallDied = smalls.some((r) => small(r) && r.probes.length >= 3 && r.probes.slice(-3).every((p) => !p.ok));
  const passIdx = outcomes.indexOf('passes');
  if (passIdx >= 0) {
    const jumboSilent = runs.find((r) => r.df && (r.total ?? 0) > FULL_MAX && dfOutcome(r) === 'silent');
    if (jumboSilent) return { why: `a ${jumboSilent.payload}-byte don't-fragment ping to ${target} vanished while 1500-byte ones pass: the hosts use jumbo frames, so "full size" is theirs; not concluded`, line: jumboSilent.line };
    const r = full[passIdx];
    return { value: 'passes', line: r.probes.find((p) => p.ok)?.line ?? r.line, text: `${r.total}-byte don't-fragment pings to ${target} are answered (${where(r)})`, host: r.host };
  }
  const fragIdx = outcomes.indexOf('frag');
  if (fragIdx >= 0) {
    const r = full[fragIdx];
    const f = r.frags[0];
    return { value: 'frag_needed_reply', line: f.line, text: `${clip(f.text, 120)} (${where(r)})`, host: r.host };
  }
  if (outcomes.every((o) => o === 'silent')) {
    const r = full[0];
    if (!smallPassed) return { why: `the ${r.total}-byte don't-fragment ping to ${target} got no answer, but no small ping to it passed in this paste: the host may be down, so this says nothing about the MTU`, line: r.line };
    if (smallDied) return { why: `small pings to ${target} also stopped answering in this paste: the silence of the don't-fragment ping is not told apart from the host being unreachable`, line: r.line };
    return { value: 'fails_silently', line: r.summary?.line ?? r.line, text: `${r.total}-byte don't-fragment pings to ${target} got neither answer nor error while small pings answered (${where(r)})`, host: r.host };
  }
  return { why: `the full-size don't-fragment ping to ${target} ended in "destination unreachable" or shows no outcome: not concluded`, line: full[0].line };
}

/** The path MTU of one target: an MTU an error names, or the largest passing DF size under a failing one. */
function pathMtu(runs: Run[]): Verdict {
  const dfRuns = runs.filter((r) => r.df && r.total !== undefined);
  if (!dfRuns.length) return undefined;
  const target = dfRuns[0].target;
  const passing = dfRuns.filter((r) => dfOutcome(r) === 'passes');
  const failing = dfRuns.filter((r) => dfOutcome(r) === 'silent' || dfOutcome(r) === 'frag');
  const low = passing.length ? passing.reduce((a, b) => (b.total! > a.total! ? b : a)) : undefined;
  const named = dfRuns.flatMap((r) => r.frags.filter((f) => f.mtu !== undefined).map((f) => ({ r, f })));
  if (named.length) {
    const min = named.reduce((a, b) => (b.f.mtu! < a.f.mtu! ? b : a));
    if (low && min.f.mtu! < low.total!) return { why: `an error names MTU ${min.f.mtu} but a ${low.total}-byte don't-fragment ping to ${target} passed: not concluded`, line: min.f.line };
    // a local error naming 1500 only repeats the sender's own interface MTU for a jumbo probe
    const jumboLocal = min.f.local && min.f.mtu === 1500 && (min.r.total ?? 0) > FULL_MAX;
    if (!jumboLocal) return { value: min.f.mtu!, line: min.f.line, text: `${clip(min.f.text, 120)} (${where(min.r)})`, host: min.r.host };
  }
  if (!low) return undefined;
  const above = failing.filter((r) => r.total! > low.total!).sort((a, b) => a.total! - b.total!)[0];
  if (above) return { value: low.total!, line: low.line, text: `don't-fragment pings to ${target} pass at ${low.total} bytes and fail at ${above.total} (${where(low)}; ${where(above)})`, host: low.host };
  if (low.total! >= FULL_MAX) return { value: low.total!, line: low.line, text: `${low.total}-byte don't-fragment pings to ${target} pass (${where(low)})`, host: low.host };
  return { why: `the largest don't-fragment ping to ${target} that was tried (${low.total} bytes) passed and nothing larger was tried: a lower bound only`, line: low.line };
}

/** Idle and loaded round trips of one target, from small runs, split by load marks. */
function roundTrips(runs: Run[], timeline: Timeline): { idle: Verdict; loaded: Verdict; rises: Verdict } {
  const idle: { v: number; n: number; r: Run; line: number }[] = [];
  const loaded: { v: number; n: number; r: Run; line: number }[] = [];
  for (const r of runs.filter(small)) {
    const oks = r.probes.filter((p) => p.ok && p.rtt !== undefined && !p.unordered);
    const phases = oks.map((p) => timeline.phaseAt(p.line, 'load'));
    const runPhase = timeline.phaseAt(r.line, 'load');
    const allSame = phases.every((ph) => ph === (phases[0] ?? runPhase));
    const isLoaded = (ph: Phase) => ph === 'during';
    const answered = r.probes.filter((p) => p.ok).length;
    if (r.rttAvg !== undefined && allSame) (isLoaded(phases[0] ?? runPhase) ? loaded : idle).push({ v: r.rttAvg, n: answered, r, line: r.summary?.line ?? r.line });
    else if (oks.length) {
      const split = [oks.filter((_, i) => !isLoaded(phases[i])), oks.filter((_, i) => isLoaded(phases[i]))];
      split.forEach((ps, k) => {
        if (!ps.length) return;
        const v = round(ps.reduce((s, p) => s + p.rtt!, 0) / ps.length, 2);
        (k ? loaded : idle).push({ v, n: ps.length, r, line: ps[0].line });
      });
    }
  }
  const median = <T extends { v: number }>(xs: T[]): T => [...xs].sort((a, b) => a.v - b.v)[Math.floor((xs.length - 1) / 2)];
  const target = runs[0].target;
  const mi = idle.length ? median(idle) : undefined;
  const ml = loaded.length ? median(loaded) : undefined;
  const idleV: Verdict = mi && { value: mi.v, line: mi.line, text: `idle round trip to ${target}: ${mi.v} ms (${where(mi.r)})`, host: mi.r.host };
  const loadedV: Verdict = ml && { value: ml.v, line: ml.line, text: `round trip to ${target} under load: ${ml.v} ms (${where(ml.r)})`, host: ml.r.host };
  let rises: Verdict;
  // a rise, or its absence, needs a few answers on each side: one reply after the job mark is no measure
  const enough = (xs: { n: number }[]) => xs.reduce((a, x) => a + x.n, 0) >= 3;
  if (mi && ml && !(enough(idle) && enough(loaded))) rises = { why: `round trips to ${target}: too few answers idle or under load to compare`, line: ml.line };
  else if (mi && ml) {
    const a = mi.v;
    const b = ml.v;
    const text = `round trip to ${target}: ${a} ms idle, ${b} ms under load`;
    if (b >= 3 * a && b - a >= 20) rises = { value: true, line: ml.line, text, host: ml.r.host };
    else if (b <= 1.5 * a || b - a <= 2) rises = { value: false, line: ml.line, text, host: ml.r.host };
    else rises = { why: `${text}: a moderate rise, neither sharp nor flat`, line: ml.line };
  }
  return { idle: idleV, loaded: loadedV, rises };
}
