/**
 * One line of a packet capture printed as text, as a packet: tcpdump (4.x/4.99 "Flags [S.]", 3.x "S 1:1(0)
 * ack 2", -v two-line packets, -e link headers, -i any with interface and In/Out, IPv6), Solaris snoop
 * summaries ("a -> b TCP D=1556 S=41022 Syn Seq=…") and tshark/Wireshark text ("a → b TCP 74 41022 → 1556
 * [SYN]"). Lines are split into tokens and the tokens compared; nothing here backtracks.
 */
import { readStamp } from './time.js';

/** A time as printed: a clock (time of day or dated) or a bare number of seconds whose meaning the command decides. */
export type RawStamp = { clock: number; dated: boolean } | { seconds: number };

export interface TcpPacket {
  kind: 'tcp';
  stamp?: RawStamp;
  src: string;
  sport: string;
  dst: string;
  dport: string;
  syn: boolean;
  ack: boolean;
  rst: boolean;
  fin: boolean;
  /** Payload bytes. */
  len: number;
  /** tcpdump -i any: the packet came in to or went out of the capturing host. */
  dir?: 'in' | 'out';
  ifname?: string;
  ttl?: number;
}

export interface IcmpPacket {
  kind: 'icmp';
  stamp?: RawStamp;
  /** The sender of the ICMP message (a router, a firewall, or the destination itself). */
  from: string;
  to: string;
  what: 'need_frag' | 'port_unreachable' | 'prohibited' | 'unreachable';
  /** The destination of the packet the message is about. */
  target?: string;
  port?: string;
  mtu?: number;
}

/** tcpdump -v: the IP header line whose packet body follows on the next line. */
export interface PendingHeader {
  kind: 'header';
  stamp?: RawStamp;
  dir?: 'in' | 'out';
  ifname?: string;
  ttl?: number;
}

export type PacketLine = TcpPacket | IcmpPacket | PendingHeader;

/** Lines longer than this are not packet summaries (payload dumps, pasted blobs); only their start is read. */
const MAX_LINE = 2000;
const DIRECTIONS: Record<string, 'in' | 'out' | undefined> = { In: 'in', Out: 'out', B: 'in', M: 'in', P: 'in' };
const SECONDS = /^\d{1,10}\.\d{1,9}$/;

function tokens(text: string): string[] {
  const t = text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text;
  return t.trim().split(/\s+/);
}

/** A stamp at the start of `tok` (one token, or a date and a time): the stamp and how many tokens it used. */
function leadingStamp(tok: string[], from: number): { stamp?: RawStamp; used: number } {
  const first = tok[from];
  if (first === undefined) return { used: 0 };
  if (SECONDS.test(first)) return { stamp: { seconds: Number(first) }, used: 1 };
  if (!/^\d/.test(first)) return { used: 0 };
  const two = tok[from + 1] !== undefined ? `${first} ${tok[from + 1]}` : first;
  const st = readStamp(two, 0);
  if (!st) return { used: 0 };
  const used = st.end > first.length ? 2 : 1;
  return { stamp: { clock: st.t, dated: st.dated }, used };
}

/** "10.1.0.7.41022" → ["10.1.0.7", "41022"]; "2001:db8::7.41022", "media01.example.com.vnetd" likewise. */
function splitEndpoint(s: string): [string, string] | undefined {
  const dot = s.lastIndexOf('.');
  if (dot <= 0 || dot === s.length - 1) return undefined;
  return [s.slice(0, dot).toLowerCase(), s.slice(dot + 1).toLowerCase()];
}

const TCPDUMP_FLAG_CHARS = /^[SFRPUEW.]+$/;

/** The body of a tcpdump packet: "SRC > DST: rest". */
function tcpdumpBody(b: string[], head: Omit<PendingHeader, 'kind'>): TcpPacket | IcmpPacket | undefined {
  if (b.length < 4 || b[1] !== '>' || !b[2].endsWith(':')) return undefined;
  const dstTok = b[2].slice(0, -1);
  const rest = b.slice(3);
  if (rest[0] === 'ICMP' || rest[0] === 'ICMP6,') return icmpOf(b[0], dstTok, rest, head);
  let flags: string | undefined;
  let ack = false;
  let len = 0;
  if (rest[0] === 'Flags' && rest[1]?.startsWith('[')) {
    flags = rest[1].replace(/[[\],]/g, '');
    if (flags === 'none') flags = '';
    ack = flags.includes('.');
    for (let i = 2; i < rest.length - 1; i++) if (rest[i] === 'length') len = Number(rest[i + 1].replace(/[,:]$/, '')) || 0;
  } else if (TCPDUMP_FLAG_CHARS.test(rest[0])) {
    // tcpdump 3.x: "S 123:123(0) win 5840", "R 0:0(0) ack 124 win 0", ". ack 1 win 46", "P 1:10(9) ack 1"
    flags = rest[0];
    for (const t of rest.slice(1, 8)) {
      if (t === 'ack') ack = true;
      const m = /^\d+:\d+\((\d+)\)$/.exec(t);
      if (m) len = Number(m[1]);
    }
    if (flags.includes('.')) ack = true;
  } else return undefined;
  const src = splitEndpoint(b[0]);
  const dst = splitEndpoint(dstTok);
  if (!src || !dst) return undefined;
  return {
    kind: 'tcp',
    ...head,
    src: src[0],
    sport: src[1],
    dst: dst[0],
    dport: dst[1],
    syn: flags.includes('S'),
    rst: flags.includes('R'),
    fin: flags.includes('F'),
    ack,
    len,
  };
}

/** tcpdump's ICMP text (print-icmp.c): "ICMP 10.1.0.9 unreachable - need to frag (mtu 1400), length 556". */
function icmpOf(from: string, to: string, rest: string[], head: Omit<PendingHeader, 'kind'>): IcmpPacket | undefined {
  const base = { kind: 'icmp' as const, stamp: head.stamp, from: from.toLowerCase(), to: to.toLowerCase() };
  const words = rest.slice(1, 16).map((w) => w.replace(/,$/, ''));
  if (rest[0] === 'ICMP6,') {
    // "ICMP6, packet too big, mtu 1400, length 1240"
    const k = words.indexOf('mtu');
    if (words[0] === 'packet' && words[1] === 'too' && k > 0) return { ...base, what: 'need_frag', mtu: Number(words[k + 1]) || undefined };
    return undefined;
  }
  const un = words.indexOf('unreachable');
  if (un < 0) return undefined;
  const lead = words[0] === 'host' || words[0] === 'net' ? 1 : 0;
  const target = words[lead]?.toLowerCase();
  const after = words.slice(un + 1).join(' ');
  if (after.startsWith('- need to frag')) {
    const m = /\(mtu (\d+)\)/.exec(rest.slice(1, 16).join(' '));
    return { ...base, what: 'need_frag', target, mtu: m ? Number(m[1]) : undefined };
  }
  if (words[lead + 1] === 'tcp' && words[lead + 2] === 'port') return { ...base, what: 'port_unreachable', target, port: words[lead + 3]?.toLowerCase() };
  if (after.startsWith('- admin prohibited')) return { ...base, what: 'prohibited', target };
  return { ...base, what: 'unreachable', target };
}

/** The parenthesised IP header of tcpdump -v: "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)". */
function vHeader(tok: string[], from: number): { ttl?: number; next: number } | undefined {
  if (!tok[from]?.startsWith('(')) return undefined;
  let depth = 0;
  let ttl: number | undefined;
  for (let i = from; i < tok.length && i < from + 40; i++) {
    const t = tok[i];
    if ((t === 'ttl' || t === 'hlim') && tok[i + 1]) ttl = Number(tok[i + 1].replace(/,$/, '')) || undefined;
    for (const ch of t) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    if (depth <= 0) return { ttl, next: i + 1 };
  }
  return undefined;
}

/** A tcpdump line: a packet, an ICMP message, or a -v header whose body is on the next line. */
export function tcpdumpLine(text: string): PacketLine | undefined {
  if (!text.includes('>') && !text.includes('(')) return undefined;
  const tok = tokens(text);
  const { stamp, used } = leadingStamp(tok, 0);
  let i = used;
  let dir: 'in' | 'out' | undefined;
  let ifname: string | undefined;
  // -i any (4.99): "eth0  In  IP …"; older -e cooked headers: " In 00:50:56:… ethertype IPv4 (0x0800), length 76: …"
  for (let k = i; k < i + 3 && k < tok.length; k++) {
    const d = DIRECTIONS[tok[k]];
    if (d) {
      dir = d;
      if (k > i) ifname = tok[k - 1];
      i = k + 1;
      break;
    }
  }
  let ip = -1;
  for (let k = i; k < i + 14 && k < tok.length; k++) {
    if (tok[k] === 'IP' || tok[k] === 'IP6') {
      ip = k;
      break;
    }
    // -e: the link header ends with "length N:"
    if (tok[k] === 'length' && /^\d+:$/.test(tok[k + 1] ?? '')) {
      ip = k + 1;
      break;
    }
  }
  if (ip < 0) return undefined;
  let next = ip + 1;
  let ttl: number | undefined;
  const vh = vHeader(tok, next);
  if (vh) {
    ttl = vh.ttl;
    next = vh.next;
    if (next >= tok.length) return { kind: 'header', stamp, dir, ifname, ttl };
  }
  return tcpdumpBody(tok.slice(next), { stamp, dir, ifname, ttl });
}

/** The second line of a tcpdump -v packet, joined to its header. */
export function tcpdumpContinuation(text: string, head: PendingHeader): TcpPacket | IcmpPacket | undefined {
  if (!/^\s/.test(text)) return undefined;
  const { kind: _k, ...h } = head;
  void _k;
  return tcpdumpBody(tokens(text), h);
}

/** A snoop summary line: "[n] [time] SRC -> DST TCP D=1556 S=41022 Syn Seq=… Len=0 Win=…". */
export function snoopLine(text: string): TcpPacket | IcmpPacket | undefined {
  if (!text.includes(' -> ')) return undefined;
  const tok = tokens(text);
  const k = tok.indexOf('->');
  if (k < 1 || k > 4 || !tok[k + 2]) return undefined;
  const src = tok[k - 1].toLowerCase();
  const dst = tok[k + 1].toLowerCase();
  // before the source: nothing, a time, or the packet number and a time ("  3   1.00012 a -> b …")
  const before = tok.slice(0, k - 1);
  const timeAt = before.length >= 2 ? 1 : before.length === 1 && /[.:]/.test(before[0]) ? 0 : -1;
  const stamp = timeAt >= 0 ? leadingStamp(before, timeAt).stamp : undefined;
  const proto = tok[k + 2];
  const rest = tok.slice(k + 3, k + 30);
  if (proto === 'ICMP') {
    const joined = rest.join(' ');
    const m = /MTU\s*=\s*(\d+)/i.exec(joined);
    if (/fragment/i.test(joined) && m) return { kind: 'icmp', stamp, from: src, to: dst, what: 'need_frag', mtu: Number(m[1]) };
    return undefined;
  }
  if (proto !== 'TCP') return undefined;
  let dport: string | undefined;
  let sport: string | undefined;
  let syn = false;
  let fin = false;
  let rst = false;
  let ack = false;
  let len = 0;
  for (const t of rest) {
    if (t.startsWith('D=')) dport = t.slice(2);
    else if (t.startsWith('S=')) sport = t.slice(2);
    else if (t === 'Syn') syn = true;
    else if (t === 'Fin') fin = true;
    else if (t === 'Rst') rst = true;
    else if (t.startsWith('Ack=')) ack = true;
    else if (t.startsWith('Len=')) len = Number(t.slice(4)) || 0;
  }
  if (!dport || !sport) return undefined;
  return { kind: 'tcp', stamp, src, sport, dst, dport, syn, fin, rst, ack, len };
}

const ARROWS = new Set(['→', '->', '>']);
const TSHARK_FLAGS = new Set(['SYN', 'ACK', 'RST', 'FIN', 'PSH', 'URG', 'ECE', 'CWR', 'NS', 'AE']);

/** A tshark / Wireshark text line: "1 0.000000 10.1.0.7 → 10.1.0.9 TCP 74 41022 → 1556 [SYN] Seq=0 …". */
export function tsharkLine(text: string): TcpPacket | undefined {
  if (!text.includes(' TCP ')) return undefined;
  const tok = tokens(text);
  let p = -1;
  for (let k = 2; k < tok.length && k < 12; k++) {
    if (tok[k] === 'TCP' && /^\d+$/.test(tok[k + 1] ?? '')) {
      p = k;
      break;
    }
  }
  if (p < 0) return undefined;
  const dst = tok[p - 1];
  const arrowed = ARROWS.has(tok[p - 2]);
  const src = arrowed ? tok[p - 3] : tok[p - 2];
  if (!src || !dst || ARROWS.has(src)) return undefined;
  const before = tok.slice(0, arrowed ? p - 3 : p - 2);
  let stamp: RawStamp | undefined;
  for (let k = 0; k < before.length && !stamp; k++) {
    if (/^\d+$/.test(before[k]) && k === 0 && before.length > 1) continue;
    stamp = leadingStamp(before, k).stamp;
  }
  // notes such as "[TCP Retransmission]" before the ports, then "41022 → 1556", then the flags "[SYN, ACK]"
  let i = p + 2;
  while (i < tok.length && tok[i].startsWith('[')) {
    while (i < tok.length && !tok[i].endsWith(']')) i++;
    i++;
  }
  const sport = tok[i];
  const dport = tok[i + 2];
  if (!sport || !dport || !ARROWS.has(tok[i + 1]) || !/^\w[\w-]*$/.test(sport) || !/^\w[\w-]*$/.test(dport)) return undefined;
  const flags = new Set<string>();
  let j = i + 3;
  if (tok[j]?.startsWith('[')) {
    for (; j < tok.length && j < i + 12; j++) {
      const w = tok[j].replace(/[[\],]/g, '');
      if (TSHARK_FLAGS.has(w)) flags.add(w);
      if (tok[j].endsWith(']')) break;
    }
  }
  if (!flags.size) return undefined;
  let len = 0;
  for (const t of tok.slice(j, j + 20)) if (t.startsWith('Len=')) len = Number(t.slice(4)) || 0;
  return {
    kind: 'tcp',
    stamp,
    src: src.toLowerCase(),
    sport: sport.toLowerCase(),
    dst: dst.toLowerCase(),
    dport: dport.toLowerCase(),
    syn: flags.has('SYN'),
    ack: flags.has('ACK'),
    rst: flags.has('RST'),
    fin: flags.has('FIN'),
    len,
  };
}

/** The fields of a Wireshark CSV export line ("1","0.000000","10.1.0.7",…), or undefined. */
export function csvFields(text: string): string[] | undefined {
  const t = text.trim();
  if (t.length > MAX_LINE || !t.startsWith('"') || !t.endsWith('"') || !t.includes('","')) return undefined;
  return t.slice(1, -1).split('","');
}

/** Column positions of a Wireshark CSV header ("No.","Time","Source","Destination","Protocol","Length","Info"). */
export interface CsvColumns {
  time: number;
  src: number;
  dst: number;
  proto: number;
  length: number;
  info: number;
}

export function csvColumns(fields: string[]): CsvColumns | undefined {
  const at = (name: string) => fields.findIndex((f) => f.trim().toLowerCase() === name);
  const cols = { time: at('time'), src: at('source'), dst: at('destination'), proto: at('protocol'), length: at('length'), info: at('info') };
  return cols.src >= 0 && cols.dst >= 0 && cols.proto >= 0 && cols.info >= 0 ? cols : undefined;
}

/** A Wireshark CSV row read as the one-line summary tshark prints. */
export function csvPacket(fields: string[], c: CsvColumns): TcpPacket | undefined {
  if (fields[c.proto] !== 'TCP') return undefined;
  const time = c.time >= 0 ? fields[c.time] : '';
  const len = c.length >= 0 ? fields[c.length] : '0';
  return tsharkLine(`0 ${time} ${fields[c.src]} → ${fields[c.dst]} TCP ${/^\d+$/.test(len) ? len : '0'} ${fields[c.info]}`);
}
