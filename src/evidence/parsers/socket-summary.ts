/**
 * What is not a socket table but tells about the sockets: `ss -s` (iproute2 3.x to 6.x), /proc/net/sockstat
 * and sockstat6 with the tcp_mem limits beside them, `sar -n SOCK` / `sar -n TCP` over hours (12- and 24-hour
 * clocks), counted listings (`netstat -an | grep -c TIME_WAIT`, `ss -tan state close-wait | wc -l`,
 * Windows `find /c`, PowerShell `.Count` and Measure-Object), grouped listings (`awk '{print $6}' | sort |
 * uniq -c`, Group-Object State / RemoteAddress / OwningProcess) and CLOSE_WAIT captures compared over time
 * (`comm -12`, Compare-Object).
 *
 * It concludes the TIME_WAIT share of all TCP sockets (only from a total of the same kind: a TCP total,
 * never `netstat -an`'s mix of protocols), host-wide state counts (from counts filtered by the state alone),
 * TCP memory pressure (sockstat mem against tcp_mem's pressure threshold), one process holding the CLOSE_WAIT
 * sockets, a flood from one source (conservatively), CLOSE_WAIT connections lingering 30 s or more (only when
 * stamps or sleeps say how far apart the captures were) and how TIME_WAIT moved over a night of sar samples.
 * A count printed after a command is tied to that command; a number after no counted command is ignored.
 */
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip, round } from './types.js';
import type { CommandLine, Mark } from '../transcript.js';
import type { Stamp } from '../time.js';
import { describeTcpMem, readSockstatTcp, readSsTcp, readSysctlTcpMem, readTcpMemValues, tcpMemState, type TcpMemLimits } from './socket-summary/kernel.js';
import { createSarReader, twTrend } from './socket-summary/sar.js';
import { classifyValue, dominantClass, floodVerdict, oneProcessVerdict, processKey, readGroupRow, stateCounts, topOf, type GroupRow } from './socket-summary/groups.js';
import { commOperands, compareOperands, findCapture, gapBetween, persistVerdict, type Capture } from './socket-summary/persist.js';
import { countView, groupView, segmentsOf, type Segment } from './socket-summary/views.js';
import { Tally } from './socket-summary/tally.js';

/** Rows of one grouped output kept at most. */
const MAX_ROWS = 200_000;
/** Lines before the first row of a grouped output (a Group-Object header) tolerated. */
const MAX_LEAD_LINES = 4;

interface SegState {
  seg: Segment;
  no: number;
  done: boolean;
  rows: GroupRow[];
  lead: number;
  /** Compare-Object rows by side indicator. */
  same: number;
  onlyFirst: number;
  onlySecond: number;
  /** Output lines of `comm -12`. */
  lines: number;
  /** Turns of a loop seen so far. */
  turn: number;
}

const TCP_MEM_CMD = /\btcp_mem\b/;
const MEASURE_COUNT = /^\s*Count\s*:\s*(\d{1,12})\s*$/;
/** Windows `find /c "X" file`: "---------- NETSTAT.TXT: 12" */
const FIND_FILE_COUNT = /^-{10} [^:]{1,260}: (\d{1,12})\s*$/;
const SIDES = new Set(['==', '=>', '<=']);

/** The command as shown in observation texts. */
const shown = (cmd: CommandLine) => clip(cmd.command, 120);

export const socketSummaryParser: ParserDef = {
  kind: 'socket-summary',
  label: 'socket summaries and counts (ss -s, sockstat, sar -n SOCK, counted and grouped listings)',
  aliases: ['sockstat', 'ss-summary', 'sar-sock'],
  detect: [/^Total:\s+\d+/, /^TCP:\s+\d+\s+\(estab\s/, /^TCP:\s+inuse\s+\d+/, /^sockets:\s+used\s+\d+/, /\btotsck\s+tcpsck\b/, /^net\.ipv4\.tcp_mem\s*=/, /^Count\s+Name\s+Group\b/],
  bigFileLiterals: ['TCP:', 'tcp-tw', 'totsck', 'tcp_mem'],
  emits: {
    'socket_summary.time_wait_pct': { type: 'number', unit: '%', meaning: 'share of all TCP sockets in TIME_WAIT at the worst moment, from a summary or a state count paired with a TCP total' },
    'socket_summary.tcp_total': { type: 'number', unit: 'sockets', meaning: 'TCP sockets the TIME_WAIT share was taken of' },
    'socket_summary.count.*': { type: 'number', unit: 'sockets', meaning: 'host-wide count of sockets in the state named by the suffix (largest seen)' },
    'socket_summary.shown.*': { type: 'number', unit: 'sockets', meaning: 'sockets in the state named by the suffix in a filtered or cut view: a count of what was shown, not of the host' },
    'socket_summary.tcp_mem_pages': { type: 'number', unit: 'pages', meaning: 'memory TCP holds by /proc/net/sockstat (largest seen)' },
    'socket_summary.tcp_mem_limits': { type: 'data', meaning: 'tcp_mem low, pressure and high thresholds in pages, for the TCP memory combiner' },
    'socket_summary.tcp_mem_state': {
      type: 'string',
      values: ['below_low', 'low_to_pressure', 'pressure', 'over_high'],
      meaning: 'where the memory TCP holds stands against the tcp_mem thresholds',
    },
    'socket_summary.tw_trend': { type: 'string', values: ['rising', 'falling', 'steady', 'peaked'], meaning: 'how the TIME_WAIT count of sar -n SOCK moved from the first to the last samples' },
    'socket_summary.tw_peak': { type: 'number', unit: 'sockets', meaning: 'highest tcp-tw of the sar -n SOCK samples' },
    'socket_summary.tw_growth': { type: 'number', unit: 'sockets', meaning: 'TIME_WAIT sockets at the end of the sar samples less those at the start' },
    'socket_summary.active_opens_peak': { type: 'number', unit: 'per s', meaning: 'highest active/s (connections opened by the host) of sar -n TCP' },
    'socket_summary.top_source_sockets': { type: 'number', unit: 'sockets', meaning: 'sockets of the remote address holding the most, in counts per remote address' },
    'socket_summary.top_source_share': { type: 'number', unit: '%', meaning: 'that address as a share of all the counted sockets' },
    'socket_summary.flood_from_one_source': { type: 'boolean', meaning: 'one remote address holds the great majority of very many SYN_RECV or TIME_WAIT sockets' },
    'socket_summary.close_wait_top_process_share': { type: 'number', unit: '%', meaning: 'share of the CLOSE_WAIT sockets held by the process holding the most' },
    'socket_summary.close_wait_one_process': { type: 'boolean', meaning: 'one process holds the CLOSE_WAIT sockets (80 % of 20 or more); false when none holds half' },
    'socket_summary.close_wait_still_there': { type: 'number', unit: 'connections', meaning: 'CLOSE_WAIT connections found in both of two captures' },
    'socket_summary.close_wait_gap_s': { type: 'number', unit: 's', meaning: 'seconds between the two CLOSE_WAIT captures compared (a lower bound when known from sleeps)' },
    'socket_summary.close_wait_persist': { type: 'boolean', meaning: 'the same CLOSE_WAIT connections are still there 30 s or more later (false: nearly all gone)' },
  },
  samples: [
    {
      name: 'ss -s, iproute2 4.x (timewait with buckets, ports)',
      input: ['$ ss -s', 'Total: 6012 (kernel 6100)', 'TCP:   5678 (estab 120, closed 5400, orphaned 0, synrecv 0, timewait 5398/0), ports 0', '', 'Transport Total     IP        IPv6', '*\t  6100      -         -', 'RAW\t  0         0         0', 'UDP\t  12        9         3', 'TCP\t  278       250       28'].join('\n'),
      yields: { 'socket_summary.time_wait_pct': 95.1, 'socket_summary.tcp_total': 5678, 'socket_summary.count.TIME_WAIT': 5398 },
      never: ['socket_summary.shown.'],
    },
    {
      name: '/proc/net/sockstat with tcp_mem beside it, under pressure',
      input: ['# cat /proc/net/sockstat', 'sockets: used 8120', 'TCP: inuse 410 orphan 2 tw 180 alloc 450 mem 260000', 'UDP: inuse 9 mem 4', '# cat /proc/sys/net/ipv4/tcp_mem', '188121\t250831\t376242'].join('\n'),
      yields: { 'socket_summary.tcp_mem_state': 'pressure', 'socket_summary.tcp_mem_pages': 260000, 'socket_summary.time_wait_pct': 28.6 },
    },
    {
      name: 'Linux counted: TIME_WAIT and the TCP total (two header lines of net-tools netstat)',
      input: ['[root@media01 ~]# netstat -ant | grep TIME_WAIT | wc -l', '3120', '[root@media01 ~]# netstat -ant | wc -l', '4102'].join('\n'),
      yields: { 'socket_summary.count.TIME_WAIT': 3120, 'socket_summary.time_wait_pct': 76.1, 'socket_summary.tcp_total': 4100 },
    },
    {
      name: 'Windows find /c of a mixed netstat -an: a count but no share',
      input: ['C:\\>netstat -ano | find /c "TIME_WAIT"', '2210', 'C:\\>netstat -an | find /c /v ""', '2600'].join('\r\n'),
      yields: { 'socket_summary.count.TIME_WAIT': 2210 },
      never: ['socket_summary.time_wait_pct'],
    },
    {
      name: 'ss -s, iproute2 5.x and later (no synrecv, no ports), a quiet host',
      input: ['Total: 212', 'TCP:   38 (estab 21, closed 6, orphaned 0, timewait 5)', '', 'Transport Total     IP        IPv6', 'RAW\t  1         0         1', 'UDP\t  9         6         3', 'TCP\t  32        24        8'].join('\n'),
      yields: { 'socket_summary.time_wait_pct': 13.2, 'socket_summary.count.ESTABLISHED': 21 },
    },
    {
      name: 'sar -n SOCK, 24-hour clock (de_DE), TIME_WAIT rising through the backup window',
      input: [
        'Linux 5.14.0-362.8.1.el9_3.x86_64 (media04) \t24.11.2026 \t_x86_64_\t(8 CPU)',
        '',
        '01:00:01     totsck    tcpsck    udpsck    rawsck   ip-frag    tcp-tw',
        '01:10:01        988       402        11         0         0        61',
        '01:20:01       1190       520        11         0         0      1310',
        '01:30:01       1240       560        11         0         0      2950',
        '01:40:01       1262       571        11         0         0      4420',
        'Durchschn.:    1170       513        11         0         0      2185',
      ].join('\n'),
      yields: { 'socket_summary.tw_trend': 'rising', 'socket_summary.tw_peak': 4420, 'socket_summary.time_wait_pct': 88.6 },
    },
    {
      name: "German Windows netstat counted by the localised state name, and awk's counts per state on Linux",
      input: ['C:\\>netstat -an | find /c "WARTEND"', '1210', '$ netstat -n | awk \'/^tcp/ {++S[$NF]} END {for(a in S) print a, S[a]}\'', 'TIME_WAIT 3120', 'ESTABLISHED 245'].join('\n'),
      yields: { 'socket_summary.count.TIME_WAIT': 3120, 'socket_summary.time_wait_pct': 92.7 },
    },
    {
      name: 'CLOSE_WAIT captures a sleep apart compared by comm -12 (the close_wait_persist check)',
      input: ['# ss -tanH state close-wait | sort > cw1; sleep 60; ss -tanH state close-wait | sort > cw2; wc -l cw1 cw2; comm -12 cw1 cw2 | wc -l', '  412 cw1', '  430 cw2', '  842 total', '398'].join('\n'),
      yields: { 'socket_summary.close_wait_persist': true, 'socket_summary.count.CLOSE_WAIT': 430, 'socket_summary.close_wait_gap_s': 60 },
    },
    {
      name: 'PowerShell Group-Object OwningProcess of the CLOSE_WAIT sockets (German Windows: property names stay English)',
      input: [
        'PS C:\\Windows\\system32> Get-NetTCPConnection -State CloseWait | Group-Object -Property OwningProcess | Sort-Object Count -Descending',
        '',
        'Count Name                      Group',
        '----- ----                      -----',
        '  412 4312                      {MSFT_NetTCPConnection (InstanceID = "10.20.1.15++1556++10.20.3.41++5..."), ...}',
        '    3 980                       {MSFT_NetTCPConnection (InstanceID = "10.20.1.15++445++10.20.3.9++49...")}',
        '',
      ].join('\n'),
      yields: { 'socket_summary.close_wait_one_process': true, 'socket_summary.count.CLOSE_WAIT': 415 },
    },
  ],
  create(ctx: ReaderContext): Parser {
    const tally = new Tally();
    const sar = createSarReader();
    let host: string | undefined;
    let segs: SegState[] = [];
    let tcpMemPending = false;
    let limits: ({ l: TcpMemLimits; line: number; text: string; host?: string }) | undefined;
    let mem: { pages: number; line: number; text: string; host?: string } | undefined;
    // timeline of CLOSE_WAIT captures
    let lastStamp: { stamp: Stamp; line: number } | undefined;
    let slept = 0;
    let lastCaptureLine = 0;
    let awaitingStamp: Capture | undefined;
    const captures = new Map<string, Capture>();
    const fileLines = new Map<string, number>();

    const withhold = (about: string, why: string, line?: number) => ctx.withhold(about, why, line);

    const closeGroup = (s: SegState) => {
      if (!s.rows.length) return;
      const view = groupView(s.seg.cmd);
      const cls = view.property ?? dominantClass(s.rows);
      const where = (n: number, what: string) => ({ line: s.no, text: `${shown(s.seg.cmd)}: ${n} ${what}`, host: s.seg.cmd.host });
      if (cls === 'state') {
        const counts = stateCounts(s.rows);
        let total = 0;
        for (const e of counts.values()) total += e.n;
        if (view.partial || view.cut) {
          for (const [st, e] of counts) tally.shownCount(st, e.n, where(e.n, `in ${st}`));
          withhold('socket_summary.count', `counts per state of a listing ${view.partial ?? `whose groups are cut by ${view.cut}`}: counts of what was shown, not of the host`, s.no);
          return;
        }
        for (const [st, e] of counts) tally.count(st, e.n, { line: e.row.line, text: `${shown(s.seg.cmd)}: ${e.row.text.trim()} (of ${total} sockets counted per state)`, host: s.seg.cmd.host });
        const tw = counts.get('TIME_WAIT')?.n ?? 0;
        if (view.scope === 'mixed') withhold('socket_summary.time_wait_pct', `${shown(s.seg.cmd)} lists udp and unix sockets too: no TIME_WAIT share from its counts per state`, s.no);
        else if (view.state) withhold('socket_summary.time_wait_pct', `the listing is filtered by state ${view.state}: no share of all sockets`, s.no);
        else tally.timeWait(tw, total, `counts per state of ${shown(s.seg.cmd)}`, { line: s.no, text: `${tw} TIME_WAIT of ${total} TCP sockets counted per state`, host: s.seg.cmd.host });
        return;
      }
      if (cls === 'address') {
        const top = topOf(s.rows, (c) => c === 'address');
        if (!top) return;
        if (view.partial) return withhold('socket_summary.flood_from_one_source', `counts per remote address of a listing ${view.partial}`, s.no);
        tally.set({ key: 'socket_summary.top_source_sockets', value: top.n, line: top.line, text: `${shown(s.seg.cmd)}: ${top.text.trim()}`, host: s.seg.cmd.host });
        if (view.cut) return withhold('socket_summary.flood_from_one_source', `counts per remote address cut by ${view.cut}: the top address is shown, the total is not`, s.no);
        const share = round((100 * top.n) / top.total);
        tally.set({ key: 'socket_summary.top_source_share', value: share, line: top.line, text: `${top.value} holds ${top.n} of ${top.total} sockets (${share}%)`, host: s.seg.cmd.host });
        if (view.state !== 'SYN_RECV' && view.state !== 'TIME_WAIT') {
          return withhold('socket_summary.flood_from_one_source', `counts per remote address of ${view.state ? `${view.state} sockets` : 'sockets in every state'}: a flood is read only from SYN_RECV or TIME_WAIT sockets, since running jobs hold many connections to one server`, s.no);
        }
        const verdict = floodVerdict(view.state, top);
        if (verdict === undefined) return withhold('socket_summary.flood_from_one_source', `${top.value} holds ${top.n} of ${top.total} ${view.state} sockets: not enough for a flood, nor spread enough to rule one out`, s.no);
        tally.set({ key: 'socket_summary.flood_from_one_source', value: verdict, line: top.line, text: `${top.value} holds ${top.n} of ${top.total} ${view.state} sockets (${share}%)`, host: s.seg.cmd.host });
        return;
      }
      if (cls === 'process' || view.property === 'process') {
        // a column known to hold processes holds them whatever they look like (PIDs, bare program names)
        const isProcess = (c: ReturnType<typeof classifyValue>) => c === 'process' || c === 'number' || (view.property === 'process' && c === 'other');
        if (view.state !== 'CLOSE_WAIT') return;
        if (view.partial || view.cut) return withhold('socket_summary.close_wait_one_process', `CLOSE_WAIT sockets per process of a listing ${view.partial ?? `cut by ${view.cut}`}`, s.no);
        let unknown = 0;
        let total = 0;
        for (const r of s.rows) {
          const c = classifyValue(r.value);
          if (c === 'noproc') unknown += r.n;
          if (c === 'noproc' || isProcess(c)) total += r.n;
        }
        tally.count('CLOSE_WAIT', total, where(total, 'CLOSE_WAIT sockets counted per process'));
        if (unknown > 0.1 * total) return withhold('socket_summary.close_wait_one_process', `${unknown} of ${total} CLOSE_WAIT sockets show no process (sockets of other users need root or an elevated prompt)`, s.no);
        const top = topOf(s.rows, isProcess, processKey);
        if (!top) return;
        const share = round((100 * top.n) / top.total);
        tally.set({ key: 'socket_summary.close_wait_top_process_share', value: share, line: top.line, text: `process ${top.value} holds ${top.n} of ${top.total} CLOSE_WAIT sockets`, host: s.seg.cmd.host });
        const verdict = oneProcessVerdict(top);
        if (verdict === undefined) return withhold('socket_summary.close_wait_one_process', `process ${top.value} holds ${top.n} of ${top.total} CLOSE_WAIT sockets: too few sockets, or neither most nor a spread`, s.no);
        tally.set({ key: 'socket_summary.close_wait_one_process', value: verdict, line: top.line, text: `process ${top.value} holds ${top.n} of ${top.total} CLOSE_WAIT sockets (${share}%)`, host: s.seg.cmd.host });
      }
    };

    /** A persistence verdict from `same` connections in both captures `a` and `b`. */
    const judgePersist = (s: SegState, a: Capture | undefined, b: Capture | undefined, same: number, first: number | undefined) => {
      const about = 'socket_summary.close_wait_persist';
      if (!a || !b) return withhold(about, `${shown(s.seg.cmd)} compares captures not taken in this paste: how far apart they were is not known`, s.no);
      const gap = gapBetween(a, b);
      if (!gap) return withhold(about, `no time stamp or sleep between the captures ${a.name} and ${b.name}: how far apart they were is not known`, s.no);
      tally.set({ key: 'socket_summary.close_wait_still_there', value: same, line: s.no, text: `${same} CLOSE_WAIT connections in both ${a.name} and ${b.name}`, host: s.seg.cmd.host });
      tally.set({ key: 'socket_summary.close_wait_gap_s', value: round(gap.seconds), line: b.line, text: `captures ${gap.atLeast ? 'at least ' : ''}${round(gap.seconds)} s apart (${gap.atLeast ? 'from the sleeps between them' : 'from their time stamps'})` });
      const v = persistVerdict({ same, first, gap });
      if (v.value === undefined) return withhold(about, v.why, s.no);
      tally.set({ key: about, value: v.value, line: s.no, text: v.why, host: s.seg.cmd.host });
    };

    const closeCompare = (s: SegState) => {
      const ops = compareOperands(s.seg.cmd.stages[0].text);
      if (!s.same && !s.onlyFirst && !s.onlySecond) return;
      if (!ops.includeEqual && !ops.excludeDifferent) return withhold('socket_summary.close_wait_persist', 'Compare-Object without -IncludeEqual shows only the connections that changed', s.no);
      const a = ops.ref ? findCapture(captures, ops.ref) : undefined;
      const b = ops.diff ? findCapture(captures, ops.diff) : undefined;
      const first = ops.excludeDifferent ? undefined : s.same + s.onlyFirst;
      if (a?.hostWide && b?.hostWide && first !== undefined) {
        const n = Math.max(first, s.same + s.onlySecond);
        tally.count('CLOSE_WAIT', n, { line: s.no, text: `${n} CLOSE_WAIT connections in the larger of the two captures compared`, host: s.seg.cmd.host });
      }
      judgePersist(s, a, b, s.same, first);
    };

    /** `comm -12 a b`: the lines (or their count) in both captures, less the header both share. */
    const commResult = (s: SegState, lines: number) => {
      const ops = commOperands(s.seg.cmd.stages[0].args);
      const a = ops ? findCapture(captures, ops[0]) : undefined;
      const b = ops ? findCapture(captures, ops[1]) : undefined;
      const headers = a && b ? Math.min(a.headers, b.headers) : 0;
      const firstSize = a ? fileLines.get(a.name) : undefined;
      judgePersist(s, a, b, Math.max(0, lines - headers), firstSize === undefined ? undefined : Math.max(0, firstSize - (a?.headers ?? 0)));
    };

    const closeSegment = (s: SegState) => {
      if (s.done) return;
      s.done = true;
      if (s.seg.output === 'group') closeGroup(s);
      else if (s.seg.output === 'compare') closeCompare(s);
      else if (s.seg.output === 'comm' && s.lines) commResult(s, s.lines);
    };

    /** A number printed by a counted command. */
    const countResult = (s: SegState, n: number, no: number, text: string) => {
      const cmd = s.seg.cmd;
      if (cmd.stages[0]?.name === 'comm') return commResult(s, n);
      const view = countView(cmd);
      if (view.kind === 'none') return;
      if (view.kind === 'unknown') return withhold('socket_summary.count', view.why, no);
      const states = cmd.filters.filter((f) => f.by === 'state' && !f.negate && f.state);
      if (view.kind === 'partial') {
        if (states.length === 1) tally.shownCount(states[0].state!, n, { line: no, text: `${shown(cmd)} → ${text.trim()}`, host: cmd.host });
        return withhold('socket_summary.count', view.why, no);
      }
      const value = n - view.headers;
      if (value < 0) return withhold('socket_summary.count', `${shown(cmd)} printed ${n}, fewer than the ${view.headers} header line(s) it counts`, no);
      const label = `${shown(cmd)} → ${text.trim()}${view.headers ? ` (less ${view.headers} header line${view.headers > 1 ? 's' : ''})` : ''}`;
      if (view.kind === 'state') {
        tally.count(view.state, value, { line: no, text: label, host: cmd.host });
        tally.addCounted({ kind: 'state', state: view.state, scope: view.scope, n: value, line: no, text: label, host: cmd.host, batch: `${s.no}:${s.turn}` });
      } else tally.addCounted({ kind: 'total', scope: view.scope, n: value, line: no, text: label, host: cmd.host, batch: `${s.no}:${s.turn}` });
    };

    const closeCommand = () => {
      for (const s of segs) closeSegment(s);
      segs = [];
    };

    /** A capture of the CLOSE_WAIT sockets written to a file or a variable, placed on the timeline. */
    const noteCapture = (seg: Segment, no: number, afterDate: boolean) => {
      const states = seg.cmd.filters.filter((f) => f.by === 'state' && !f.negate);
      if (!seg.writes || !states.length || states.some((f) => f.state !== 'CLOSE_WAIT')) return;
      const view = countView(seg.cmd);
      const fresh = lastStamp && lastStamp.line > lastCaptureLine ? lastStamp.stamp : undefined;
      const c: Capture = {
        name: seg.writes,
        line: no,
        slept,
        headers: view.kind === 'state' ? view.headers : 0,
        hostWide: view.kind === 'state',
        ...(fresh && !afterDate ? { stamp: fresh } : {}),
      };
      lastCaptureLine = no;
      if (captures.size < 10_000 || captures.has(c.name)) captures.set(c.name, c);
      if (afterDate) awaitingStamp = c;
    };

    const ssTcp = (no: number, text: string): boolean => {
      const ss = readSsTcp(text);
      if (!ss) return false;
      const w = { line: no, text: text.trim(), host };
      tally.count('TIME_WAIT', ss.timewait, w);
      if (ss.estab !== undefined) tally.count('ESTABLISHED', ss.estab, w);
      if (!tally.timeWait(ss.timewait, ss.total, 'ss -s counts closed sockets, TIME_WAIT among them, in its TCP total: the share is timewait / TCP total', w)) {
        withhold('socket_summary.time_wait_pct', `ss -s counts only ${ss.total} TCP sockets: too few for a share`, no);
      }
      return true;
    };

    const sockstat = (no: number, text: string): boolean => {
      const st = readSockstatTcp(text);
      if (!st) return false;
      const w = { line: no, text: text.trim(), host };
      tally.count('TIME_WAIT', st.tw, w);
      tally.timeWait(st.tw, st.alloc + st.tw, 'sockstat: tw / (alloc + tw), the TCP total ss -s shows', w);
      if (st.mem !== undefined && (!mem || st.mem > mem.pages)) mem = { pages: st.mem, ...w };
      return true;
    };

    const tcpMem = (no: number, text: string): boolean => {
      const l = readSysctlTcpMem(text) ?? (tcpMemPending ? readTcpMemValues(text) : undefined);
      if (!l) return false;
      tcpMemPending = false;
      limits = { l, line: no, text: text.trim(), host };
      return true;
    };

    /** A line of the current command's output: grouped rows, Compare-Object rows, comm lines or a count. */
    const commandOutput = (no: number, text: string): void => {
      const trimmed = text.trim();
      // a loop prints its counts once per turn: when every count of the turn is in, the next turn starts
      const counting = (s: SegState) => s.seg.output === 'count' || s.seg.output === 'value';
      if ((/^\d{1,12}$/.test(trimmed) || MEASURE_COUNT.test(text)) && segs.some((s) => s.seg.repeat) && !segs.some((s) => !s.done && counting(s))) {
        for (const s of segs) {
          if (s.seg.repeat && counting(s)) {
            s.done = false;
            s.turn++;
          }
        }
      }
      for (const s of segs) {
        if (s.done) continue;
        const out = s.seg.output;
        if (out === 'group') {
          const row = readGroupRow(text, s.seg.awkGroups);
          if (row) {
            if (s.rows.length < MAX_ROWS) s.rows.push({ ...row, line: no, text });
            return;
          }
          if (!s.rows.length && s.lead++ < MAX_LEAD_LINES) return;
          closeSegment(s);
          continue;
        }
        if (out === 'compare') {
          const side = trimmed.split(/\s+/).pop() ?? '';
          if (SIDES.has(side)) {
            if (side === '==') s.same++;
            else if (side === '<=') s.onlyFirst++;
            else s.onlySecond++;
            return;
          }
          if (!trimmed || trimmed.includes('SideIndicator') || trimmed.split(/\s+/).every((t) => /^-+$/.test(t))) return;
          closeSegment(s);
          continue;
        }
        if (out === 'comm') {
          if (trimmed) s.lines++;
          return;
        }
        if (out === 'count' || out === 'value') {
          const first = s.seg.cmd.stages[0];
          // `wc -l cw1 cw2`: lines per file, then a total; never a lone number
          if (out === 'count' && first?.name === 'wc' && first.args.some((a) => !a.startsWith('-'))) {
            const [n, name] = trimmed.split(/\s+/);
            if (name && /^\d{1,12}$/.test(n)) {
              if (name !== 'total') {
                fileLines.set(name, Number(n));
                const c = findCapture(captures, name);
                const size = Number(n) - (c?.headers ?? 0);
                if (c?.hostWide && size >= 0) tally.count('CLOSE_WAIT', size, { line: no, text: `${shown(s.seg.cmd)}: ${trimmed} (a capture of the CLOSE_WAIT sockets)`, host: s.seg.cmd.host });
              }
              return;
            }
            continue;
          }
          const m = /^\d{1,12}$/.test(trimmed) ? trimmed : (MEASURE_COUNT.exec(text)?.[1] ?? FIND_FILE_COUNT.exec(text)?.[1]);
          if (m !== undefined) {
            s.done = true;
            if (out === 'count') countResult(s, Number(m), no, text);
            return;
          }
          // Measure-Object prints Average, Sum… around the Count; a value command may print other lines
          if (out === 'count' && /^(?:Average|Sum|Maximum|Minimum|Property|StandardDeviation|Count)\s*:/.test(trimmed)) return;
          if (out === 'value' && trimmed) s.done = true;
          continue;
        }
      }
    };

    return {
      command(no, cmd) {
        closeCommand();
        if (cmd.host) host = cmd.host;
        tcpMemPending = TCP_MEM_CMD.test(cmd.command);
        let sawDate = false;
        for (const seg of segmentsOf(cmd)) {
          if (seg.sleep !== undefined) slept += seg.sleep;
          const name = seg.cmd.stages[0]?.name;
          if (name === 'date' || name === 'get-date') sawDate = true;
          if (seg.writes) noteCapture(seg, no, sawDate);
          if (seg.output !== 'none' && seg.output !== 'other') segs.push({ seg, no, done: false, rows: [], lead: 0, same: 0, onlyFirst: 0, onlySecond: 0, lines: 0, turn: 0 });
        }
      },
      mark(no: number, mark: Mark) {
        if (mark.kind !== 'time') return;
        lastStamp = { stamp: mark.stamp, line: no };
        if (awaitingStamp && !awaitingStamp.stamp) awaitingStamp.stamp = mark.stamp;
        awaitingStamp = undefined;
      },
      line(no, text) {
        if (sar.line(no, text)) return;
        if (ssTcp(no, text) || sockstat(no, text) || tcpMem(no, text)) return;
        if (segs.length) commandOutput(no, text);
      },
      finish() {
        closeCommand();
        tally.pairCounts(withhold);
        const out: Observation[] = [];
        const { sock, activePeak } = sar.result();
        if (sock.length) {
          let best: (typeof sock)[number] | undefined;
          for (const s of sock) if (s.tcpsck + s.tw >= 20 && (!best || s.tw / (s.tcpsck + s.tw) > best.tw / (best.tcpsck + best.tw))) best = s;
          if (best) {
            tally.timeWait(best.tw, best.tcpsck + best.tw, 'sar -n SOCK: tcp-tw / (tcpsck + tcp-tw); tcpsck counts IPv4 TCP sockets in use only, so the share is high where IPv6 carries many connections', { line: best.line, text: best.text, host });
          }
          const peak = sock.reduce((a, b) => (b.tw > a.tw ? b : a));
          tally.count('TIME_WAIT', peak.tw, { line: peak.line, text: peak.text, host });
          out.push({ key: 'socket_summary.tw_peak', value: peak.tw, line: peak.line, text: `tcp-tw peaks at ${peak.tw}: ${peak.text}`, host });
          const t = twTrend(sock);
          if (t) {
            out.push({ key: 'socket_summary.tw_trend', value: t.trend, line: t.peak.line, text: `TIME_WAIT ${t.trend} over ${t.hours} h of sar samples: about ${t.start} at the start, ${t.end} at the end, peak ${t.peak.tw}`, host });
            out.push({ key: 'socket_summary.tw_growth', value: t.end - t.start, line: sock[sock.length - 1].line, text: `TIME_WAIT from about ${t.start} to ${t.end} over ${t.hours} h`, host });
          } else withhold('socket_summary.tw_trend', `only ${sock.length} sar -n SOCK sample(s): a trend needs four or more`, sock[0].line);
        }
        if (activePeak) out.push({ key: 'socket_summary.active_opens_peak', value: activePeak.value, line: activePeak.line, text: activePeak.text, host });
        if (mem) out.push({ key: 'socket_summary.tcp_mem_pages', value: mem.pages, line: mem.line, text: mem.text, host: mem.host });
        if (limits) out.push({ key: 'socket_summary.tcp_mem_limits', value: limits.l.pressure, line: limits.line, text: limits.text, data: limits.l, host: limits.host });
        if (mem && limits) {
          if (mem.host && limits.host && mem.host !== limits.host) {
            withhold('socket_summary.tcp_mem_state', `sockstat comes from ${mem.host} and tcp_mem from ${limits.host}: not compared`, mem.line);
          } else {
            out.push({ key: 'socket_summary.tcp_mem_state', value: tcpMemState(mem.pages, limits.l), line: mem.line, text: describeTcpMem(mem.pages, limits.l), host: mem.host ?? limits.host });
          }
        } else if (mem) withhold('socket_summary.tcp_mem_state', 'sockstat shows the memory TCP holds, but no tcp_mem thresholds are in this file to compare it with', mem.line);
        return [...tally.observations(), ...out];
      },
    };
  },
};
