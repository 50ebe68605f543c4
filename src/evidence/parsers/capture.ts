/**
 * Packet captures printed as text: tcpdump (3.x to 4.99; -n/-nn or names, default, -tt, -ttt, -tttt stamps,
 * -v two-line packets, -e, -i any with interface and In/Out, IPv6), Solaris snoop summaries (-r, -t a|r|d)
 * and tshark / Wireshark text exports. Follows each TCP connection (5-tuple) and concludes per destination
 * port what the connection attempts met: SYNs retransmitted without an answer (with the gaps between
 * them), a reset at once (and from which side), a handshake that completes (then stays, or is closed by the
 * server straight away), SYN-ACKs or client ACKs without the other half (one direction visible), ICMP
 * rejects and "need to frag (mtu N)". From a clear pattern only: the outcome of the failing port, how long
 * its SYNs were retried, whether the SYN reached the destination, which product port alone is unanswered,
 * and whether NetBackup got through on vnetd after PBX failed.
 */
import type { CommandLine, Mark } from '../transcript.js';
import { describeView } from '../transcript.js';
import type { IcmpPacket, PendingHeader, RawStamp, TcpPacket } from '../packet-lines.js';
import type { CsvColumns } from '../packet-lines.js';
import { csvColumns, csvFields, csvPacket, snoopLine, tcpdumpContinuation, tcpdumpLine, tsharkLine } from '../packet-lines.js';
import { blockedPortValue, fixPhase, isBackupServicePort, isProductPort, portNumber } from '../vocab/service-ports.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip, round } from './types.js';

/** A reset this soon after the SYN it answers is "at once". */
const RESET_AT_ONCE_S = 3;
/** A server that closes this soon after the handshake, having sent nothing, closes "straight away". */
const CLOSE_AT_ONCE_S = 2;
/** A vnetd connection this soon after the failed PBX attempt is the fallback. */
const FALLBACK_WINDOW_S = 60;
/** A second copy of a SYN this close in time on another interface is one packet forwarded, not a retransmission. */
const SAME_PACKET_S = 0.002;
const MAX_CONNECTIONS = 200_000;
const MAX_SYNS = 64;
const MAX_BLOCKS = 10_000;

type Tool = 'tcpdump' | 'snoop' | 'tshark';
type TimeMode = 'clock' | 'relative' | 'delta' | 'unknown';

/** The output of one capture command (or a pasted capture without one). */
interface Block {
  id: number;
  tool?: Tool;
  host?: string;
  line: number;
  command?: string;
  /** Ports named by the capture filter; undefined when it names none (all ports are shown). */
  filterPorts?: Set<number>;
  /** The filter's coverage of a port is not known (a negation, an expression we do not read). */
  filterUnclear: boolean;
  /** The filter keeps only packets with SYN set: resets and closes are not shown. */
  synOnly: boolean;
  timeMode: TimeMode;
  /** The listing was filtered by text or counted: answers may be missing from it. */
  hidden?: string;
  truncated?: string;
  after: boolean;
  packets: number;
  empty?: { line: number; text: string };
  deltaSum: number;
  lastT?: number;
  firstT?: number;
  firstLineNo?: number;
}

interface Mark1 {
  t?: number;
  line: number;
  text: string;
}

interface Reset extends Mark1 {
  ttl?: number;
  ack: boolean;
  synsBefore: number;
  afterHandshake: boolean;
}

interface Conn {
  block: Block;
  client: string;
  cport: string;
  server: string;
  sport: string;
  port?: number;
  seq: number;
  syns: Mark1[];
  synCount: number;
  lastSyn?: { t?: number; dir?: string; ifname?: string };
  forwarded: boolean;
  synAck?: Mark1 & { ttl?: number };
  synAcks: number;
  synsAfterSynAck: number;
  /** Created from a SYN-ACK: the SYN was not in the capture. */
  noSyn: boolean;
  clientAckWithoutSynAck?: Mark1;
  rstServer?: Reset;
  rstClient?: Reset;
  finServer?: Mark1;
  finClient?: Mark1;
  dataClient: number;
  dataServer: number;
  icmp?: Mark1 & { what: string; from: string };
}

type Outcome = 'connected' | 'answered' | 'closed_by_server' | 'refused' | 'unanswered' | 'answer_lost' | 'icmp_rejected' | 'one_way_server' | 'one_way_client' | 'unclear';

const FACT_OUTCOME: Partial<Record<Outcome, string>> = {
  refused: 'refused_at_once',
  unanswered: 'times_out',
  answer_lost: 'times_out',
  closed_by_server: 'connects_then_closed',
  connected: 'connects',
};
const FAILING = new Set<Outcome>(['refused', 'unanswered', 'answer_lost', 'closed_by_server', 'icmp_rejected']);
const COMPLETING = new Set<Outcome>(['connected', 'answered', 'closed_by_server']);

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const isAddress = (s: string) => IPV4.test(s) || s.includes(':');
const firstLabel = (s: string) => (isAddress(s) ? s : s.toLowerCase().split('.')[0]);

const TOOL_NAMES: Record<string, Tool> = { tcpdump: 'tcpdump', windump: 'tcpdump', snoop: 'snoop', tshark: 'tshark' };
/** Words that run the next command: `timeout 30 tcpdump …`, `nohup tshark …`. */
const WRAPPERS = new Set(['timeout', 'nohup', 'stdbuf', 'nice', 'ionice', 'env', 'exec']);

/** The capture tool of a command and its own arguments, also behind `timeout 30` and the like. */
function toolOf(cmd: CommandLine): { tool: Tool; args: string[] } | undefined {
  const st = cmd.stages[0];
  if (!st) return undefined;
  if (TOOL_NAMES[st.name]) return { tool: TOOL_NAMES[st.name], args: st.args };
  if (!WRAPPERS.has(st.name)) return undefined;
  const k = st.args.findIndex((a) => TOOL_NAMES[a.replace(/^.*\//, '')] !== undefined);
  return k >= 0 && k < 4 ? { tool: TOOL_NAMES[st.args[k].replace(/^.*\//, '')], args: st.args.slice(k + 1) } : undefined;
}

/** How the tool prints times, from its options. */
function timeModeOf(tool: Tool, args: string[]): TimeMode {
  if (tool === 'tcpdump') {
    for (const a of args) {
      if (!a.startsWith('-') || a.startsWith('--')) continue;
      const ts = [...a].filter((c) => c === 't').length;
      if (ts === 3) return 'delta';
      if (ts === 1 && a === '-t') return 'unknown';
    }
    return 'clock';
  }
  const k = args.findIndex((a) => a === '-t' || /^-t[ardeu]+$/.test(a));
  const v = k < 0 ? '' : args[k] === '-t' ? (args[k + 1] ?? '') : args[k].slice(2);
  if (tool === 'snoop') return v === 'a' ? 'clock' : v === 'r' ? 'relative' : 'delta';
  return v === 'd' || v === 'dd' ? 'delta' : v.startsWith('a') || v === 'e' || v === 'u' || v === 'ud' ? 'clock' : 'relative';
}

/** Ports named by the filter expression ("port 1556", "tcp dst port 13724", "tcp.port == 1556"). */
function filterOf(args: string[]): { ports?: Set<number>; unclear: boolean; synOnly: boolean } {
  const expr = args.join(' ');
  const ports = new Set<number>();
  const re = /\b(?:port|tcp\.(?:dst|src)?port\s*==)\s*(\w[\w-]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(expr))) {
    const p = portNumber(m[1]);
    if (p !== undefined) ports.add(p);
  }
  const unclear = /\bnot\b|!\s*\(|\bportrange\b|!=\s*\d/.test(expr.replace(/tcp-syn\s*!=\s*0/g, ''));
  const synOnly = /tcp-syn|tcp\[13\]|tcpflags|tcp\.flags\.syn\s*==\s*1/.test(expr);
  return { ports: ports.size ? ports : undefined, unclear, synOnly };
}

/** The payload of capture.ends, read by the capture-both-ends combiner. */
export interface CaptureEnds {
  blocks: { host: string; line: number; empty: boolean; covers: number[] | 'all'; synPorts: number[] }[];
  retrying: { server: string; port: number; synCount: number; line: number; client: string }[];
  names: [string, string[]][];
}

function describeConn(c: Conn): string {
  return `${c.client}:${c.cport} → ${c.server}:${c.sport}`;
}

export const captureParser: ParserDef = {
  kind: 'capture',
  label: 'packet capture as text (tcpdump / snoop / tshark)',
  aliases: ['tcpdump', 'snoop', 'tshark', 'pcap-text'],
  detect: [
    /^(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{6,9} (?:[\w.-]+ +)?(?:In|Out|IP6?) /,
    /^tcpdump: (?:listening on|verbose output suppressed)/,
    /^\s*\d+\s+[\d.:]+\s+\S+ -> \S+\s+TCP D=\d+ S=\d+/,
    /^\S+ -> \S+\s+TCP D=\d+ S=\d+/,
    /^Using device \S+ \(promiscuous mode\)/,
    /\sTCP \d+ [^[]{0,200}\[(?:SYN|RST|ACK|FIN|PSH)/,
    /^Capturing on '/,
    /^"No\.","Time","Source","Destination"/,
    /^No\.\s+Time\s+Source\s+Destination\s+Protocol\b/,
  ],
  bigFileLiterals: ['IP ', 'IP6 ', 'Flags [', ' TCP ', 'ICMP', 'packets captured', 'packet captured'],
  emits: {
    'capture.packets': { type: 'number', meaning: 'TCP packets read from the capture' },
    'capture.connections': { type: 'number', meaning: 'TCP connection attempts followed (5-tuples with a SYN or SYN-ACK)' },
    'capture.empty': { type: 'boolean', meaning: 'a capture printed "0 packets captured"' },
    'capture.port.*': {
      type: 'string',
      values: ['connected', 'answered', 'closed_by_server', 'refused', 'unanswered', 'answer_lost', 'icmp_rejected', 'mixed'],
      meaning: 'what the connection attempts to the destination port named by the suffix met',
    },
    'capture.outcome': {
      type: 'string',
      values: ['refused_at_once', 'times_out', 'connects_then_closed', 'connects'],
      meaning: 'what connection attempts to the failing port met (or "connects" when every attempt to a backup port completed)',
    },
    'capture.failing_port': { type: 'number', meaning: 'the destination port whose connection attempts failed' },
    'capture.syn_sent_seconds': { type: 'number', unit: 's', meaning: 'from the first SYN to the last retransmission of the longest unanswered attempt on the failing port' },
    'capture.syn_retransmissions': { type: 'number', meaning: 'SYNs sent again by that attempt' },
    'capture.syn_retry_gap_s': { type: 'number', unit: 's', meaning: 'the longest gap between two SYNs of that attempt (the text lists every gap)' },
    'capture.syn_retry_backoff': { type: 'string', values: ['doubling', 'constant', 'irregular'], meaning: 'how the gaps between those SYNs grow: doubling (a TCP stack retransmitting), constant, or neither' },
    'capture.rst_from': { type: 'string', values: ['destination', 'path'], meaning: 'who sent the resets that refused the attempts: the destination itself, or a device on the path (no ACK, or a TTL unlike the destination\'s)' },
    'capture.syn_reaches_destination': { type: 'boolean', meaning: 'the SYN to the failing port is shown to arrive at the destination (answered by it, or seen on it), or shown not to' },
    'capture.one_way': { type: 'boolean', meaning: 'handshakes seen from one side only (SYN-ACKs without their SYN, or client ACKs without a SYN-ACK)' },
    'capture.blocked_port': {
      type: 'string',
      values: ['pbx_1556', 'vnetd_13724', 'bpcd_13782', 'rpc_111', 'nfs_2049', 'ddboost_2051', 'ssh_22', 'amanda_10080', 'amindexd_10082', 'amidxtaped_10083', 'other'],
      meaning: 'the one product port left unanswered while other product ports to the same host complete',
    },
    'capture.path_mtu': { type: 'number', unit: 'bytes', meaning: 'the smallest next-hop MTU in ICMP "need to frag" / "packet too big" messages' },
    'capture.icmp_reject': { type: 'string', values: ['from_destination', 'from_path'], meaning: 'connection attempts were answered by ICMP unreachable / admin prohibited, from the destination itself or from a device on the path' },
    'capture.vnetd_after_pbx': { type: 'boolean', meaning: 'after the attempt on PBX 1556 failed, the same client connected to the same host on vnetd 13724 or bpcd 13782 (false: that failed too)' },
    'capture.ends': { type: 'data', meaning: 'per capture: its host, the ports its filter covers and the ports SYNs arrived for; the unanswered attempts and the names tied to addresses (for the both-ends combiner)' },
    'capture.pbx_wait_s': { type: 'number', unit: 's', meaning: 'from the first SYN to 1556 to the SYN of the vnetd/bpcd fallback' },
  },
  samples: [
    {
      name: 'tcpdump -nn on the media server: SYN to 1556 answered at once by a reset from the destination (tcpdump 4.9)',
      input: [
        '[root@media01 ~]# tcpdump -nn -i eth0 host 10.1.0.9 and port 1556',
        'tcpdump: verbose output suppressed, use -v or -vv for full protocol decode',
        'listening on eth0, link-type EN10MB (Ethernet), capture size 262144 bytes',
        '02:10:01.100200 IP 10.1.0.7.41022 > 10.1.0.9.1556: Flags [S], seq 3558120371, win 29200, options [mss 1460,sackOK,TS val 912 ecr 0,nop,wscale 7], length 0',
        '02:10:01.100611 IP 10.1.0.9.1556 > 10.1.0.7.41022: Flags [R.], seq 0, ack 3558120372, win 0, length 0',
        '02:10:02.211900 IP 10.1.0.7.41024 > 10.1.0.9.1556: Flags [S], seq 1200, win 29200, length 0',
        '02:10:02.212300 IP 10.1.0.9.1556 > 10.1.0.7.41024: Flags [R.], seq 0, ack 1201, win 0, length 0',
        '^C',
        '4 packets captured',
        '4 packets received by filter',
        '0 packets dropped by kernel',
      ].join('\n'),
      yields: { 'capture.outcome': 'refused_at_once', 'capture.port.1556': 'refused', 'capture.rst_from': 'destination', 'capture.syn_reaches_destination': true, 'capture.failing_port': 1556 },
      never: ['capture.syn_sent_seconds', 'capture.blocked_port'],
    },
    {
      name: 'tcpdump -tttt: PBX SYNs retransmitted for 7 s, then vnetd 13724 connects (NetBackup fallback)',
      input: [
        '# tcpdump -nn -tttt -i bond0 host 10.1.0.9',
        '2026-11-24 02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 29200, length 0',
        '2026-11-24 02:10:02.001300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 29200, length 0',
        '2026-11-24 02:10:04.005300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 29200, length 0',
        '2026-11-24 02:10:08.013300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 29200, length 0',
        '2026-11-24 02:10:11.020100 IP 10.1.0.7.52114 > 10.1.0.9.13724: Flags [S], seq 9, win 29200, length 0',
        '2026-11-24 02:10:11.020500 IP 10.1.0.9.13724 > 10.1.0.7.52114: Flags [S.], seq 5, ack 10, win 28960, length 0',
        '2026-11-24 02:10:11.020600 IP 10.1.0.7.52114 > 10.1.0.9.13724: Flags [.], ack 1, win 229, length 0',
        '2026-11-24 02:10:11.021000 IP 10.1.0.7.52114 > 10.1.0.9.13724: Flags [P.], seq 1:25, ack 1, win 229, length 24',
        '2026-11-24 02:10:11.024000 IP 10.1.0.9.13724 > 10.1.0.7.52114: Flags [P.], seq 1:9, ack 25, win 227, length 8',
      ].join('\n'),
      yields: {
        'capture.outcome': 'times_out',
        'capture.port.1556': 'unanswered',
        'capture.port.13724': 'connected',
        'capture.syn_sent_seconds': 7,
        'capture.syn_retry_gap_s': 4,
        'capture.syn_retry_backoff': 'doubling',
        'capture.blocked_port': 'pbx_1556',
        'capture.vnetd_after_pbx': true,
        'capture.pbx_wait_s': 10,
      },
      never: ['capture.syn_reaches_destination', 'capture.one_way'],
    },
    {
      name: 'Solaris snoop -r -t a: SYN to 1556 answered by Rst Ack',
      input: [
        'root@media02:~# snoop -r -t a host 10.1.0.9 port 1556',
        'Using device net0 (promiscuous mode)',
        '02:10:01.10020 10.1.0.7 -> 10.1.0.9 TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240 Options=<mss 1460,sackOK,tstamp 912 0,nop,wscale 7>',
        '02:10:01.10061 10.1.0.9 -> 10.1.0.7 TCP D=41022 S=1556 Rst Ack=3558120372 Win=0',
      ].join('\n'),
      yields: { 'capture.outcome': 'refused_at_once', 'capture.syn_reaches_destination': true },
    },
    {
      name: 'tshark: every handshake to 1556 and 13724 completes',
      input: [
        '$ tshark -i eth0 -f "host 10.1.0.9"',
        "Capturing on 'eth0'",
        '    1 0.000000000     10.1.0.7 → 10.1.0.9     TCP 74 41022 → 1556 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128',
        '    2 0.000401000     10.1.0.9 → 10.1.0.7     TCP 74 1556 → 41022 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2 TSecr=1 WS=128',
        '    3 0.000452000     10.1.0.7 → 10.1.0.9     TCP 66 41022 → 1556 [ACK] Seq=1 Ack=1 Win=64256 Len=0',
        '    4 0.010000000     10.1.0.7 → 10.1.0.9     TCP 74 41030 → 13724 [SYN] Seq=0 Win=64240 Len=0',
        '    5 0.010380000     10.1.0.9 → 10.1.0.7     TCP 74 13724 → 41030 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0',
        '    6 0.010420000     10.1.0.7 → 10.1.0.9     TCP 66 41030 → 13724 [ACK] Seq=1 Ack=1 Win=64256 Len=0',
      ].join('\n'),
      yields: { 'capture.outcome': 'connects', 'capture.port.1556': 'connected', 'capture.syn_reaches_destination': true },
      never: ['capture.blocked_port', 'capture.failing_port'],
    },
    {
      name: 'tcpdump -v with ICMP need to frag (mtu 1400) from a router',
      input: [
        '$ tcpdump -n -v -i eth0 icmp',
        '10:00:00.000100 IP (tos 0xc0, ttl 63, id 1, offset 0, flags [none], proto ICMP (1), length 576)',
        '    10.1.0.1 > 10.1.0.7: ICMP 10.2.0.5 unreachable - need to frag (mtu 1400), length 556',
      ].join('\n'),
      yields: { 'capture.path_mtu': 1400 },
      never: ['capture.outcome'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new CaptureReader(ctx);
  },
};

/** Per-file state of the capture reader. */
class CaptureReader implements Parser {
  private readonly blocks: Block[] = [];
  private cur?: Block;
  private pending?: { head: PendingHeader; line: number };
  private readonly conns: Conn[] = [];
  private readonly open = new Map<string, Conn>();
  /** The smallest next-hop MTU an ICMP message names. */
  private mtu?: { mtu: number; line: number; text: string };
  /** Names and addresses the file shows to be the same host ("PING client01 (10.1.0.9)"). */
  private readonly nameOf = new Map<string, Set<string>>();
  private host?: string;
  private after = false;
  private otherCommand?: CommandLine;
  private seq = 0;
  private full = false;
  /** The header of a Wireshark CSV export, once seen. */
  private csv?: CsvColumns;

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    if (cmd.host) this.host = cmd.host;
    const found = toolOf(cmd);
    this.pending = undefined;
    if (!found) {
      this.cur = undefined;
      this.otherCommand = cmd;
      return;
    }
    this.otherCommand = undefined;
    const { tool, args } = found;
    const f = filterOf(args);
    const textFilters = cmd.filters.filter((x) => x.by !== 'port' && x.by !== 'address');
    this.cur = this.newBlock(no, {
      tool,
      command: cmd.command,
      filterPorts: f.ports,
      filterUnclear: f.unclear,
      synOnly: f.synOnly,
      timeMode: timeModeOf(tool, args),
      hidden: textFilters.length || cmd.counted || cmd.grouped || cmd.projected ? describeView(cmd) : undefined,
      truncated: cmd.truncated,
    });
  }

  mark(_no: number, mark: Mark): void {
    if (mark.kind !== 'note') return;
    const phase = fixPhase(mark.text);
    if (phase) this.after = phase === 'after';
    this.learnNames(mark.text);
  }

  line(no: number, text: string): void {
    if (this.pending) {
      const head = this.pending.head;
      this.pending = undefined;
      const body = tcpdumpContinuation(text, head);
      if (body) {
        this.take(no, text, body, 'tcpdump');
        return;
      }
    }
    const footer = /^(\d+) packets? captured\b/.exec(text.trim());
    if (footer) {
      const b = this.cur ?? this.newBlock(no, {});
      if (footer[1] === '0' && b.packets === 0) b.empty = { line: no, text };
      return;
    }
    if (/^tcpdump: listening on |^Using device \S+ \(promiscuous mode\)|^Capturing on '/.test(text) && !this.cur) {
      this.newBlock(no, { tool: text.startsWith('tcpdump') ? 'tcpdump' : text.startsWith('Using') ? 'snoop' : 'tshark' });
      return;
    }
    const fields = csvFields(text);
    if (fields) {
      const header = csvColumns(fields);
      if (header) this.csv = header;
      else if (this.csv) {
        const p = csvPacket(fields, this.csv);
        if (p) this.take(no, text, p, 'tshark');
      }
      return;
    }
    // a capture shown by another command (cat, grep, less) is read too, with that command's filters
    const tool = this.cur?.tool;
    if (tool !== 'snoop' && tool !== 'tshark') {
      const p = tcpdumpLine(text);
      if (p?.kind === 'header') {
        this.pending = { head: p, line: no };
        return;
      }
      if (p) return this.take(no, text, p, 'tcpdump');
    }
    if (tool !== 'tcpdump' && tool !== 'tshark') {
      const p = snoopLine(text);
      if (p) return this.take(no, text, p, 'snoop');
    }
    if (tool !== 'tcpdump' && tool !== 'snoop') {
      const p = tsharkLine(text);
      if (p) return this.take(no, text, p, 'tshark');
    }
    if (this.otherCommand) this.learnFromOtherOutput(text);
    else this.learnNames(text);
  }

  private newBlock(no: number, b: Partial<Block>): Block {
    // a paste of thousands of capture commands: the rest share the last block
    if (this.blocks.length >= MAX_BLOCKS) return (this.cur = this.blocks[this.blocks.length - 1]);
    const block: Block = {
      id: this.blocks.length,
      host: this.host,
      line: no,
      filterUnclear: false,
      synOnly: false,
      timeMode: b.tool === 'tshark' ? 'relative' : b.tool === 'snoop' ? 'unknown' : 'clock',
      after: this.after,
      packets: 0,
      deltaSum: 0,
      ...b,
    };
    this.blocks.push(block);
    this.cur = block;
    return block;
  }

  /** Packets without a capture command of their own: pasted alone, or shown by cat, grep, less… */
  private implicitBlock(no: number): Block {
    const cmd = this.otherCommand;
    if (!cmd) return this.newBlock(no, {});
    const textFilters = cmd.filters.filter((x) => x.by !== 'port' && x.by !== 'address');
    return this.newBlock(no, {
      hidden: textFilters.length || cmd.counted || cmd.grouped || cmd.projected ? describeView(cmd) : undefined,
      truncated: cmd.truncated,
    });
  }

  /** "PING client01 (10.1.0.9) 56(84) bytes", "client01 has address 10.1.0.9", a note "client01 (10.1.0.9)". */
  private learnNames(text: string): void {
    if (text.length > 2000) return;
    const w = text.trim().split(/\s+/);
    for (let i = 0; i + 1 < w.length && i < 12; i++) {
      const name = w[i].toLowerCase();
      if (!/^[a-z][\w.-]*$/.test(name) || /^(?:ping|pinging|trying|from|to|host|address|connected)$/.test(name)) continue;
      let addr: string | undefined;
      const next = w[i + 1].replace(/[,:]$/, '');
      if ((next.startsWith('(') && next.endsWith(')')) || (next.startsWith('[') && next.endsWith(']'))) addr = next.slice(1, -1);
      else if (next === 'has' && w[i + 2] === 'address') addr = w[i + 3];
      if (!addr || !IPV4.test(addr)) continue;
      const set = this.nameOf.get(addr) ?? new Set<string>();
      set.add(firstLabel(name));
      this.nameOf.set(addr, set);
      return;
    }
  }

  /** Output of a non-capture command: only what names a host's address. */
  private learnFromOtherOutput(text: string): void {
    const cmd = this.otherCommand!;
    const name = cmd.stages[0]?.name;
    const w = text.trim().split(/\s+/, 12);
    if (name === 'getent') {
      if (w.length >= 2 && IPV4.test(w[0])) for (const n of w.slice(1)) this.learnNames(`${n} (${w[0]})`);
      return;
    }
    // the prompt's host's own addresses: ip addr, ifconfig, hostname -I
    const own = cmd.host ?? this.host;
    if (own && (name === 'ip' || name === 'ifconfig' || name === 'hostname')) {
      const addrs: string[] = [];
      if (name === 'hostname') addrs.push(...w.filter((x) => IPV4.test(x)));
      else if (w[0] === 'inet' && w[1]) addrs.push(w[1].replace(/^addr:/, '').replace(/\/\d+$/, ''));
      for (const a of addrs) if (IPV4.test(a) && !a.startsWith('127.')) this.learnNames(`${own} (${a})`);
      return;
    }
    this.learnNames(text);
  }

  private timeOf(stamp: RawStamp | undefined, b: Block): number | undefined {
    if (!stamp || b.timeMode === 'unknown') return undefined;
    let t: number;
    if ('clock' in stamp) {
      if (b.timeMode === 'delta') t = b.deltaSum += stamp.clock;
      else {
        t = stamp.clock;
        // a capture of times of day that runs past midnight
        if (!stamp.dated && b.lastT !== undefined && t < b.lastT - 43200) t += 86400;
      }
    } else if (b.timeMode === 'delta') t = b.deltaSum += stamp.seconds;
    else t = stamp.seconds;
    b.firstT ??= t;
    b.lastT = t;
    return t;
  }

  private key(b: Block, a: string, ap: string, s: string, sp: string): string {
    return `${b.id}|${a}|${ap}|${s}|${sp}`;
  }

  private take(no: number, text: string, p: TcpPacket | IcmpPacket, tool: Tool): void {
    const b = this.cur ?? this.implicitBlock(no);
    if (!b.tool) {
      b.tool = tool;
      if (!b.command) b.timeMode = tool === 'tshark' ? 'relative' : tool === 'snoop' ? 'unknown' : 'clock';
    }
    const t = this.timeOf(p.stamp, b);
    b.firstLineNo ??= no;
    if (p.kind === 'icmp') return this.takeIcmp(no, text, p, b, t);
    b.packets++;
    const at = { t, line: no, text };
    if (p.syn && !p.ack) {
      let c = this.open.get(this.key(b, p.src, p.sport, p.dst, p.dport));
      // the same 5-tuple used again: the earlier connection ended, or its last SYN is long past
      const lastT = c?.syns[c.syns.length - 1]?.t;
      if (c && (c.rstServer || c.rstClient || c.finClient || c.finServer || (t !== undefined && lastT !== undefined && t - lastT > FALLBACK_WINDOW_S))) c = undefined;
      if (c && t !== undefined && c.lastSyn?.t !== undefined && Math.abs(t - c.lastSyn.t) < SAME_PACKET_S && (p.dir !== c.lastSyn.dir || p.ifname !== c.lastSyn.ifname)) {
        c.forwarded = true;
        return;
      }
      c ??= this.newConn(b, p.src, p.sport, p.dst, p.dport, false);
      if (!c) return;
      if (c.synAck) c.synsAfterSynAck++;
      c.synCount++;
      if (c.syns.length < MAX_SYNS) c.syns.push(at);
      c.lastSyn = { t, dir: p.dir, ifname: p.ifname };
      return;
    }
    if (p.syn && p.ack) {
      const c = this.open.get(this.key(b, p.dst, p.dport, p.src, p.sport)) ?? this.newConn(b, p.dst, p.dport, p.src, p.sport, true);
      if (!c) return;
      c.synAcks++;
      c.synAck ??= { ...at, ttl: p.ttl };
      return;
    }
    let c = this.open.get(this.key(b, p.src, p.sport, p.dst, p.dport));
    let fromClient = true;
    if (!c) {
      c = this.open.get(this.key(b, p.dst, p.dport, p.src, p.sport));
      fromClient = false;
    }
    if (!c) return; // a connection older than the capture
    if (p.rst) {
      const r: Reset = { ...at, ttl: p.ttl, ack: p.ack, synsBefore: c.synCount, afterHandshake: c.synAck !== undefined };
      if (fromClient) c.rstClient ??= r;
      else c.rstServer ??= r;
    } else if (p.fin) {
      if (fromClient) c.finClient ??= at;
      else c.finServer ??= at;
    }
    if (p.len > 0) {
      if (fromClient) c.dataClient += p.len;
      else c.dataServer += p.len;
    }
    if (fromClient && !c.synAck && !p.rst) c.clientAckWithoutSynAck ??= at;
  }

  private newConn(b: Block, client: string, cport: string, server: string, sport: string, noSyn: boolean): Conn | undefined {
    if (this.conns.length >= MAX_CONNECTIONS) {
      if (!this.full) this.ctx.withhold('capture.connections', `more than ${MAX_CONNECTIONS} connections: the rest were not followed`);
      this.full = true;
      return undefined;
    }
    const c: Conn = {
      block: b,
      client,
      cport,
      server,
      sport,
      port: portNumber(sport),
      seq: this.seq++,
      syns: [],
      synCount: 0,
      forwarded: false,
      synAcks: 0,
      synsAfterSynAck: 0,
      noSyn,
      dataClient: 0,
      dataServer: 0,
    };
    this.conns.push(c);
    this.open.set(this.key(b, client, cport, server, sport), c);
    return c;
  }

  private takeIcmp(no: number, text: string, p: IcmpPacket, b: Block, t: number | undefined): void {
    if (p.what === 'need_frag') {
      if (p.mtu && p.mtu >= 68 && p.mtu <= 65535 && (!this.mtu || p.mtu < this.mtu.mtu)) this.mtu = { mtu: p.mtu, line: no, text };
      return;
    }
    // An ICMP reject answers the latest unanswered attempt towards its target (and port, when it names one).
    const port = p.port !== undefined ? portNumber(p.port) : undefined;
    for (let i = this.conns.length - 1; i >= 0 && i >= this.conns.length - 2000; i--) {
      const c = this.conns[i];
      if (c.block !== b || c.server !== p.target || c.synAck || c.rstServer || c.icmp) continue;
      if (port !== undefined && c.port !== port) continue;
      c.icmp = { t, line: no, text, what: p.what, from: p.from };
      return;
    }
  }

  private synPorts?: Map<Block, Set<number>>;
  /** Destination ports a block saw SYNs for. */
  private synPortsOf(b: Block): Set<number> {
    if (!this.synPorts) {
      this.synPorts = new Map();
      for (const c of this.conns) {
        if (c.synCount === 0 || c.port === undefined) continue;
        const set = this.synPorts.get(c.block) ?? new Set<number>();
        set.add(c.port);
        this.synPorts.set(c.block, set);
      }
    }
    return this.synPorts.get(b) ?? new Set();
  }

  private ttls?: Map<string, number>;
  /** The TTL of each host's own SYN-ACKs, per block (the first one seen). */
  private synAckTtl(): Map<string, number> {
    if (!this.ttls) {
      this.ttls = new Map();
      for (const c of this.conns) {
        const k = `${c.block.id}|${c.server}`;
        if (c.synAck?.ttl !== undefined && !this.ttls.has(k)) this.ttls.set(k, c.synAck.ttl);
      }
    }
    return this.ttls;
  }

  private outcomeOf(c: Conn): Outcome {
    const b = c.block;
    if (c.icmp && !c.synAck) return 'icmp_rejected';
    if (c.noSyn) {
      // a SYN-ACK at the very start of the capture may answer a SYN sent just before it began
      const a = c.synAck;
      const early = a !== undefined && (a.t !== undefined && b.firstT !== undefined ? a.t - b.firstT < 1 : b.firstLineNo !== undefined && a.line - b.firstLineNo < 3);
      return early ? 'unclear' : 'one_way_server';
    }
    if (c.synAck) {
      if (c.synsAfterSynAck > 0 && c.dataClient === 0 && !c.finClient && !c.rstClient) return 'answer_lost';
      if (b.synOnly) return 'answered';
      const serverClose = c.rstServer ?? c.finServer;
      const clientClose = c.rstClient ?? c.finClient;
      if (serverClose && c.dataServer === 0 && (!clientClose || serverClose.line < clientClose.line)) {
        const soon = serverClose.t !== undefined && c.synAck.t !== undefined ? serverClose.t - c.synAck.t <= CLOSE_AT_ONCE_S : false;
        if (soon) return 'closed_by_server';
        if (serverClose.t === undefined) return 'unclear';
      }
      return 'connected';
    }
    if (c.rstServer) {
      const synT = c.syns[Math.min(c.rstServer.synsBefore, c.syns.length) - 1]?.t;
      if (c.rstServer.t === undefined || synT === undefined) return c.rstServer.synsBefore <= 1 ? 'refused' : 'unclear';
      return c.rstServer.t - synT <= RESET_AT_ONCE_S ? 'refused' : 'unclear';
    }
    if (c.clientAckWithoutSynAck) return 'one_way_client';
    if (c.synCount >= 2) {
      // a listing cut by head may end before the answer: the listing must go on after the last SYN
      const last = c.syns[c.syns.length - 1];
      if (b.truncated && !(last.t !== undefined && b.lastT !== undefined && b.lastT - last.t >= 1)) return 'unclear';
      return 'unanswered';
    }
    return 'unclear';
  }

  /** Where the capture of a connection was taken, when the file says so (names, or addresses the file ties to names). */
  private sideOf(c: Conn): 'server' | 'client' | 'middle' | undefined {
    if (c.forwarded) return 'middle';
    const h = c.block.host ? firstLabel(c.block.host) : undefined;
    if (!h) return undefined;
    const is = (addr: string) => firstLabel(addr) === h || (this.nameOf.get(addr)?.has(h) ?? false);
    if (is(c.server)) return 'server';
    if (is(c.client)) return 'client';
    return undefined;
  }

  finish(): Observation[] {
    const out: Observation[] = [];
    const w = this.ctx.withhold;
    const packets = this.blocks.reduce((n, b) => n + b.packets, 0);
    if (packets) out.push({ key: 'capture.packets', value: packets });
    if (this.conns.length) out.push({ key: 'capture.connections', value: this.conns.length });
    const empty = this.blocks.find((b) => b.empty && b.packets === 0);
    if (empty?.empty) out.push({ key: 'capture.empty', value: true, line: empty.empty.line, text: clip(empty.empty.text) });
    this.pathMtu(out);

    const usable = this.conns.filter((c) => !c.block.after && !c.block.hidden);
    for (const b of this.blocks) {
      if (b.after && b.packets) w('capture', `the capture at line ${b.line} was taken after the admin's fix: its connections are not the failure`, b.line);
      else if (b.hidden && b.packets) w('capture', `the capture at line ${b.line} is ${b.hidden}: answers may be missing, so outcomes are not concluded`, b.line);
    }
    const outcomes = new Map<Conn, Outcome>();
    for (const c of usable) outcomes.set(c, this.outcomeOf(c));
    this.oneWay(out, usable, outcomes);

    // what each destination port met
    const byPort = new Map<string, Conn[]>();
    for (const c of usable) {
      const o = outcomes.get(c)!;
      if (o === 'unclear' || o === 'one_way_server' || o === 'one_way_client') continue;
      const list = byPort.get(c.sport) ?? [];
      list.push(c);
      byPort.set(c.sport, list);
    }
    const portOutcome = new Map<string, Outcome | 'mixed'>();
    for (const [port, list] of byPort) portOutcome.set(port, this.merge(list.map((c) => outcomes.get(c)!)));
    for (const [port, o] of portOutcome) {
      const list = byPort.get(port)!;
      const c = list.find((x) => outcomes.get(x) === o) ?? list[0];
      out.push({ key: `capture.port.${port}`, value: o, line: this.lineOf(c), text: this.summary(c, o, list.length) });
    }
    const failing = [...portOutcome].filter(([, o]) => o !== 'mixed' && FAILING.has(o));
    const mixed = [...portOutcome].filter(([, o]) => o === 'mixed').map(([p]) => p);
    for (const p of mixed) w('capture.outcome', `port ${p}: some connection attempts complete and others do not; that port's outcome is not concluded`);

    if (failing.length) this.failure(out, failing, byPort, outcomes);
    else if (portOutcome.size && !mixed.length) this.success(out, portOutcome, byPort);
    else if (!portOutcome.size && packets) w('capture.outcome', 'no connection attempt with a clear outcome (the handshakes are older than the capture, or a single SYN without retransmission)');
    if (!packets && empty) w('capture.outcome', `0 packets captured${empty.host ? ` on ${empty.host}` : ''}: the filter or the interface may not match; nothing concluded from it alone`, empty.empty?.line);

    this.blockedPort(out, usable, outcomes);
    this.fallback(out, usable, outcomes);
    const ends = this.ends(usable, outcomes);
    if (ends) out.push({ key: 'capture.ends', value: ends.blocks.length, data: ends });
    return out;
  }

  /** What another file's capture needs to say whether this file's SYNs arrived at the other end, or the reverse. */
  private ends(usable: Conn[], outcomes: Map<Conn, Outcome>): CaptureEnds | undefined {
    const blocks = this.blocks
      .filter((b) => b.host && !b.after && !b.hidden && b.tool !== undefined && !b.filterUnclear)
      .map((b) => ({
        host: b.host!,
        line: b.empty?.line ?? b.line,
        empty: b.packets === 0 && b.empty !== undefined,
        covers: b.filterPorts ? [...b.filterPorts] : ('all' as const),
        synPorts: [...this.synPortsOf(b)],
      }));
    const retrying = usable
      .filter((c) => outcomes.get(c) === 'unanswered' && c.port !== undefined)
      .slice(0, 200)
      .map((c) => ({ server: c.server, port: c.port!, synCount: c.synCount, line: this.lineOf(c), client: c.client }));
    if (!blocks.length && !retrying.length) return undefined;
    return { blocks, retrying, names: [...this.nameOf].map(([a, n]) => [a, [...n]] as [string, string[]]) };
  }

  private merge(list: Outcome[]): Outcome | 'mixed' {
    const set = new Set(list);
    if (set.size === 1) return list[0];
    if ([...set].every((o) => o === 'connected' || o === 'answered')) return set.has('connected') ? 'connected' : 'answered';
    if ([...set].every((o) => o === 'unanswered' || o === 'answer_lost')) return 'unanswered';
    return 'mixed';
  }

  private lineOf(c: Conn): number {
    return c.rstServer?.line ?? c.syns[c.syns.length - 1]?.line ?? c.synAck?.line ?? c.block.line;
  }

  private summary(c: Conn, o: Outcome | 'mixed', n: number): string {
    const what: Record<string, string> = {
      connected: 'handshake completes',
      answered: 'SYN-ACK comes back (the filter shows SYNs only)',
      closed_by_server: 'handshake completes, then the server closes at once without sending anything',
      refused: 'SYN answered by a reset at once',
      unanswered: `SYN sent ${c.synCount} times without an answer`,
      answer_lost: 'SYN-ACK sent, yet the client sends its SYN again (the SYN-ACK does not reach it)',
      icmp_rejected: `SYN answered by ICMP (${c.icmp?.what.replace('_', ' ')}) from ${c.icmp?.from}`,
      mixed: 'some attempts complete, others do not',
    };
    return `${describeConn(c)}: ${what[o] ?? o}${n > 1 ? ` (${n} attempts to this port)` : ''}`;
  }

  private failure(out: Observation[], failing: [string, Outcome | 'mixed'][], byPort: Map<string, Conn[]>, outcomes: Map<Conn, Outcome>): void {
    const w = this.ctx.withhold;
    const kinds = new Set(failing.map(([, o]) => FACT_OUTCOME[o as Outcome]));
    const ports = failing.map(([p]) => p);
    const conns = failing.flatMap(([p]) => byPort.get(p)!);
    const first = conns[0];
    if (kinds.has(undefined)) {
      const ic = conns.find((c) => outcomes.get(c) === 'icmp_rejected');
      if (ic?.icmp) {
        out.push({ key: 'capture.icmp_reject', value: ic.icmp.from === ic.server ? 'from_destination' : 'from_path', line: ic.icmp.line, text: clip(ic.icmp.text) });
        w('capture.outcome', `the attempts to port ${ic.sport} were answered by ICMP (${ic.icmp.what.replace('_', ' ')}), neither a reset nor silence`, ic.icmp.line);
      }
      return;
    }
    if (kinds.size > 1) {
      w('capture.outcome', `the failing ports meet different outcomes (${failing.map(([p, o]) => `${p}: ${o}`).join(', ')}); not concluded`);
      return;
    }
    const kind = [...kinds][0]!;
    if (kind === 'refused_at_once' && this.resetFromPath(out, conns)) return;
    out.push({ key: 'capture.outcome', value: kind, line: this.lineOf(first), text: this.summary(first, outcomes.get(first)!, conns.length) });
    if (ports.length === 1 && portNumber(ports[0]) !== undefined) out.push({ key: 'capture.failing_port', value: portNumber(ports[0])!, line: this.lineOf(first), text: `port ${ports[0]} fails` });

    if (kind === 'times_out') {
      const timed = conns.filter((c) => outcomes.get(c) === 'unanswered' && c.syns.length >= 2 && c.syns[0].t !== undefined && c.syns[c.syns.length - 1].t !== undefined);
      const longest = timed.reduce<Conn | undefined>((a, c) => (!a || span(c) > span(a) ? c : a), undefined);
      if (longest) {
        out.push({ key: 'capture.syn_sent_seconds', value: round(span(longest)), line: longest.syns[longest.syns.length - 1].line, text: `${describeConn(longest)}: SYN sent ${longest.synCount} times over ${round(span(longest))} s` });
        out.push({ key: 'capture.syn_retransmissions', value: longest.synCount - 1, line: longest.syns[longest.syns.length - 1].line });
        const gaps = longest.syns.slice(1).map((s, i) => round(s.t! - longest.syns[i].t!));
        out.push({ key: 'capture.syn_retry_gap_s', value: Math.max(...gaps), line: longest.syns[1].line, text: `gaps between the SYNs of ${describeConn(longest)}: ${gaps.join(', ')} s` });
        out.push({ key: 'capture.syn_retry_backoff', value: backoffOf(gaps), line: longest.syns[1].line, text: `gaps ${gaps.join(', ')} s` });
      } else if (conns.some((c) => outcomes.get(c) === 'unanswered')) w('capture.syn_sent_seconds', 'the capture has no usable time stamps: how long the SYNs were retried is not known');
    }
    if (kind === 'refused_at_once') {
      const rsts = conns.filter((c) => c.rstServer);
      out.push({ key: 'capture.rst_from', value: 'destination', line: rsts[0]?.rstServer?.line, text: clip(rsts[0]?.rstServer?.text ?? '') });
    }
    this.reaches(out, kind, conns, outcomes, ports);
  }

  /**
   * Why a reset answering a SYN looks sent by a device on the path rather than by the destination's own TCP
   * stack: it has no ACK (RFC 793 has a host acknowledge the SYN it resets), or its TTL differs from the
   * destination's own SYN-ACKs.
   */
  private pathResetReason(c: Conn): string | undefined {
    const r = c.rstServer!;
    if (!r.ack) return 'the reset has no ACK, which a host\'s own TCP stack always sets when it refuses a SYN';
    const ref = this.synAckTtl().get(`${c.block.id}|${c.server}`);
    if (r.ttl !== undefined && ref !== undefined && Math.abs(r.ttl - ref) > 2) return `the reset's TTL (${r.ttl}) differs from the TTL of ${c.server}'s own SYN-ACKs (${ref})`;
    return undefined;
  }

  /**
   * Resets that a device on the path seems to have sent: refused at once, but not by the destination, which
   * the rules would read as a missing listener. Says so and keeps the outcome back; true when it did.
   */
  private resetFromPath(out: Observation[], conns: Conn[]): boolean {
    const rsts = conns.filter((c) => c.rstServer && !c.synAck);
    const reasons = rsts.map((c) => this.pathResetReason(c));
    const first = rsts.find((_, i) => reasons[i]);
    if (!first) return false;
    const why = reasons.find(Boolean)!;
    if (reasons.every(Boolean)) {
      out.push({ key: 'capture.rst_from', value: 'path', line: first.rstServer!.line, text: clip(first.rstServer!.text) });
      this.ctx.withhold('capture.outcome', `refused at once, but by a device on the path, not by ${first.server}: ${why}`, first.rstServer!.line);
    } else this.ctx.withhold('capture.outcome', `some resets look sent by a device on the path (${why}), others by ${first.server}`, first.rstServer!.line);
    this.ctx.withhold('capture.syn_reaches_destination', why, first.rstServer!.line);
    return true;
  }

  /** Whether the SYN to the failing port reached its destination, when the capture shows it either way. */
  private reaches(out: Observation[], kind: string, conns: Conn[], outcomes: Map<Conn, Outcome>, ports: string[]): void {
    const w = this.ctx.withhold;
    if (kind === 'refused_at_once' || kind === 'connects_then_closed' || kind === 'connects') {
      const c = conns[0];
      out.push({ key: 'capture.syn_reaches_destination', value: true, line: this.lineOf(c), text: `${c.server} answered the SYN itself (${kind === 'refused_at_once' ? 'reset' : 'SYN-ACK'})` });
      return;
    }
    // times out: the SYN-ACK was sent, or the capture was taken on the destination
    const lost = conns.find((c) => outcomes.get(c) === 'answer_lost');
    if (lost) {
      out.push({ key: 'capture.syn_reaches_destination', value: true, line: lost.synAck!.line, text: `${lost.server} answered with a SYN-ACK that did not reach ${lost.client}` });
      return;
    }
    const onServer = conns.find((c) => this.sideOf(c) === 'server');
    if (onServer) {
      out.push({ key: 'capture.syn_reaches_destination', value: true, line: onServer.syns[0]?.line, text: `captured on ${onServer.block.host}, the destination: the SYN arrives and is not answered` });
      return;
    }
    const absent = this.absentOnDestination(conns, ports);
    if (absent) {
      out.push({ key: 'capture.syn_reaches_destination', value: false, line: absent.line, text: absent.text });
      return;
    }
    w('capture.syn_reaches_destination', 'the capture was not shown to be taken on the destination: it does not say where the unanswered SYN was lost');
  }

  /** A capture on the destination host, covering the port, that saw no SYN for it while another capture here shows the client retrying. */
  private absentOnDestination(conns: Conn[], ports: string[]): { line: number; text: string } | undefined {
    const retrying = conns.filter((c) => c.synCount >= 2);
    for (const b of this.blocks) {
      if (b.after || b.hidden || !b.host || b.filterUnclear || b.tool === undefined) continue;
      const h = firstLabel(b.host);
      for (const c of retrying) {
        if (c.block === b) continue;
        const port = c.port;
        if (port === undefined || !ports.includes(c.sport)) continue;
        if (b.filterPorts && !b.filterPorts.has(port)) continue;
        const dest = firstLabel(c.server) === h || (this.nameOf.get(c.server)?.has(h) ?? false);
        if (!dest) continue;
        const seen = this.synPortsOf(b).has(port);
        if (seen) continue;
        const where = b.empty ? `"0 packets captured" on ${b.host}` : `no SYN to port ${port} in the capture on ${b.host}`;
        return { line: b.empty?.line ?? b.line, text: `${where} while ${c.client} retried ${c.synCount} SYNs to ${c.server}:${c.sport}` };
      }
    }
    return undefined;
  }

  private success(out: Observation[], portOutcome: Map<string, Outcome | 'mixed'>, byPort: Map<string, Conn[]>): void {
    const w = this.ctx.withhold;
    const outcomes = [...portOutcome.values()];
    if (outcomes.some((o) => o === 'answered')) {
      w('capture.outcome', 'the capture filter keeps SYNs only: the handshakes are answered, but whether they stay open is not shown');
      return;
    }
    const ports = [...portOutcome.keys()].map((p) => portNumber(p)).filter((p): p is number => p !== undefined);
    if (!ports.some(isBackupServicePort)) {
      w('capture.outcome', `every connection completes, but only to port${ports.length === 1 ? '' : 's'} ${[...portOutcome.keys()].join(', ')}, none a backup service port: says nothing about the failing one`);
      return;
    }
    const c = byPort.get([...portOutcome.keys()].find((p) => isBackupServicePort(portNumber(p) ?? 0))!)![0];
    out.push({ key: 'capture.outcome', value: 'connects', line: c.synAck?.line, text: `every connection attempt completes (ports ${[...portOutcome.keys()].join(', ')})` });
    out.push({ key: 'capture.syn_reaches_destination', value: true, line: c.synAck?.line, text: `${c.server} answers the SYN to ${c.sport}` });
  }

  private oneWay(out: Observation[], usable: Conn[], outcomes: Map<Conn, Outcome>): void {
    const one = usable.filter((c) => {
      const o = outcomes.get(c);
      return o === 'one_way_server' || o === 'one_way_client';
    });
    if (one.length >= 2) {
      const c = one[0];
      const what = outcomes.get(c) === 'one_way_server' ? 'SYN-ACK without its SYN' : 'client ACKs without a SYN-ACK';
      out.push({ key: 'capture.one_way', value: true, line: c.synAck?.line ?? c.clientAckWithoutSynAck?.line, text: `${one.length} connections seen in one direction only, e.g. ${describeConn(c)}: ${what}` });
    } else if (one.length === 1) this.ctx.withhold('capture.one_way', `one connection (${describeConn(one[0])}) is seen in one direction only; one is not a pattern`);
  }

  /** The one product port left unanswered while other product ports to the same host complete. */
  private blockedPort(out: Observation[], usable: Conn[], outcomes: Map<Conn, Outcome>): void {
    const byServer = new Map<string, Map<number, Outcome[]>>();
    for (const c of usable) {
      const o = outcomes.get(c)!;
      if (c.port === undefined || !isProductPort(c.port) || o === 'unclear' || o === 'one_way_client' || o === 'one_way_server') continue;
      const m = byServer.get(c.server) ?? new Map<number, Outcome[]>();
      const list = m.get(c.port);
      if (list) list.push(o);
      else m.set(c.port, [o]);
      byServer.set(c.server, m);
    }
    const found = new Map<string, { server: string; port: number }>();
    for (const [server, ports] of byServer) {
      const merged = [...ports].map(([p, list]) => [p, this.merge(list)] as const);
      const silent = merged.filter(([, o]) => o === 'unanswered' || o === 'icmp_rejected');
      const complete = merged.filter(([, o]) => o !== 'mixed' && COMPLETING.has(o));
      const other = merged.length - silent.length - complete.length;
      if (silent.length === 1 && complete.length >= 1 && other === 0) found.set(blockedPortValue(silent[0][0]), { server, port: silent[0][0] });
    }
    if (found.size === 1) {
      const [value, f] = [...found][0];
      out.push({ key: 'capture.blocked_port', value, text: `${f.server}: port ${f.port} gets no answer while the other product ports connect` });
    } else if (found.size > 1) this.ctx.withhold('capture.blocked_port', `different hosts leave different ports unanswered (${[...found.values()].map((f) => `${f.server}:${f.port}`).join(', ')})`);
  }

  /** NetBackup's fallback: after PBX 1556 fails, the same client connects to the same host on vnetd or bpcd. */
  private fallback(out: Observation[], usable: Conn[], outcomes: Map<Conn, Outcome>): void {
    let yes: { c: Conn; wait?: number } | undefined;
    let no: Conn | undefined;
    // vnetd/bpcd attempts by client and host, in capture order
    const legacy = new Map<string, Conn[]>();
    for (const c of usable) {
      if (c.port !== 13724 && c.port !== 13782) continue;
      const k = `${c.block.id}|${c.client}|${c.server}`;
      const list = legacy.get(k);
      if (list) list.push(c);
      else legacy.set(k, [c]);
    }
    for (const pbx of usable) {
      const o = outcomes.get(pbx)!;
      if (pbx.port !== 1556 || !(o === 'unanswered' || o === 'refused' || o === 'icmp_rejected')) continue;
      const t0 = pbx.syns[0]?.t;
      const next = legacy.get(`${pbx.block.id}|${pbx.client}|${pbx.server}`)?.find((c) => {
        if (c.seq < pbx.seq) return false;
        const t = c.syns[0]?.t;
        return t0 === undefined || t === undefined || (t >= t0 && t - t0 <= FALLBACK_WINDOW_S);
      });
      if (!next) continue;
      const no2 = outcomes.get(next)!;
      if (COMPLETING.has(no2)) {
        const t = next.syns[0]?.t;
        yes ??= { c: next, wait: t0 !== undefined && t !== undefined ? t - t0 : undefined };
      } else if (no2 === 'unanswered' || no2 === 'refused' || no2 === 'icmp_rejected') no ??= next;
    }
    if (yes && no) {
      this.ctx.withhold('capture.vnetd_after_pbx', 'after PBX failed, one vnetd/bpcd fallback connected and another did not');
      return;
    }
    if (yes) {
      out.push({ key: 'capture.vnetd_after_pbx', value: true, line: yes.c.synAck?.line, text: `${describeConn(yes.c)} connects after the attempt on 1556 failed` });
      if (yes.wait !== undefined) out.push({ key: 'capture.pbx_wait_s', value: round(yes.wait), line: yes.c.syns[0]?.line, text: `${round(yes.wait)} s from the first SYN to 1556 to the fallback on ${yes.c.sport}` });
    } else if (no) out.push({ key: 'capture.vnetd_after_pbx', value: false, line: this.lineOf(no), text: `${describeConn(no)} fails as well after the attempt on 1556` });
  }

  private pathMtu(out: Observation[]): void {
    if (this.mtu) out.push({ key: 'capture.path_mtu', value: this.mtu.mtu, line: this.mtu.line, text: clip(this.mtu.text) });
  }
}

/** Doubling gaps (1, 2, 4 s; 3, 6 s) are a TCP stack retransmitting; equal gaps an application retrying. */
function backoffOf(gaps: number[]): string {
  if (gaps.length < 2) return 'irregular';
  const doubling = gaps.slice(1).every((g, i) => g >= gaps[i] * 1.6 && g <= gaps[i] * 2.5);
  if (doubling) return 'doubling';
  const constant = gaps.every((g) => Math.abs(g - gaps[0]) <= Math.max(0.3, gaps[0] * 0.15));
  return constant ? 'constant' : 'irregular';
}

function span(c: Conn): number {
  return (c.syns[c.syns.length - 1].t ?? 0) - (c.syns[0].t ?? 0);
}
