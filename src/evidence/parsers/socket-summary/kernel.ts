/**
 * The kernel's own socket summaries, one line each: `ss -s` ("TCP:   5678 (estab 120, closed 5400,
 * orphaned 0, timewait 5398/0), ports 0" from iproute2 before 4.x, "… timewait 5398)" after),
 * /proc/net/sockstat ("TCP: inuse 52 orphan 0 tw 2890 alloc 60 mem 8") and the TCP memory limits
 * (/proc/sys/net/ipv4/tcp_mem, `sysctl net.ipv4.tcp_mem`: low, pressure and high, in pages).
 */

export interface SsTcpLine {
  total: number;
  timewait: number;
  estab?: number;
  closed?: number;
}

export interface SockstatTcp {
  inuse: number;
  tw: number;
  alloc: number;
  orphan?: number;
  /** Pages of memory TCP holds. */
  mem?: number;
}

export interface TcpMemLimits {
  low: number;
  pressure: number;
  high: number;
}

const tokens = (text: string) => text.trim().split(/\s+/);
const isCount = (t: string | undefined) => t !== undefined && /^\d{1,12}$/.test(t);

/** Leading digits of a field value ("5398/0" → 5398), or undefined. */
function leadingNumber(t: string): number | undefined {
  const m = /^\d{1,12}/.exec(t);
  return m ? Number(m[0]) : undefined;
}

/** The TCP line of `ss -s`, or undefined. */
export function readSsTcp(text: string): SsTcpLine | undefined {
  const s = text.trim();
  if (!s.startsWith('TCP:')) return undefined;
  const open = s.indexOf('(');
  const close = s.indexOf(')', open);
  if (open < 0 || close < 0) return undefined;
  const head = s.slice(4, open).trim();
  if (!isCount(head)) return undefined;
  const fields = new Map<string, number>();
  for (const part of s.slice(open + 1, close).split(',')) {
    const [name, value] = tokens(part);
    const n = value === undefined ? undefined : leadingNumber(value);
    if (name && n !== undefined) fields.set(name.toLowerCase(), n);
  }
  const timewait = fields.get('timewait');
  if (timewait === undefined) return undefined;
  return { total: Number(head), timewait, estab: fields.get('estab'), closed: fields.get('closed') };
}

/** The TCP line of /proc/net/sockstat, or undefined (sockstat6's "TCP6: inuse 3" has no tw or alloc). */
export function readSockstatTcp(text: string): SockstatTcp | undefined {
  const t = tokens(text);
  if (t[0] !== 'TCP:' || t[1] !== 'inuse') return undefined;
  const fields = new Map<string, number>();
  for (let i = 1; i + 1 < t.length; i += 2) if (isCount(t[i + 1])) fields.set(t[i], Number(t[i + 1]));
  const inuse = fields.get('inuse');
  const tw = fields.get('tw');
  const alloc = fields.get('alloc');
  if (inuse === undefined || tw === undefined || alloc === undefined) return undefined;
  return { inuse, tw, alloc, orphan: fields.get('orphan'), mem: fields.get('mem') };
}

/** Three page counts, low ≤ pressure ≤ high. */
function limits(a: string | undefined, b: string | undefined, c: string | undefined): TcpMemLimits | undefined {
  if (!isCount(a) || !isCount(b) || !isCount(c)) return undefined;
  const [low, pressure, high] = [Number(a), Number(b), Number(c)];
  return low <= pressure && pressure <= high && high > 0 ? { low, pressure, high } : undefined;
}

/** `net.ipv4.tcp_mem = 188121 250831 376242` (sysctl), or undefined. */
export function readSysctlTcpMem(text: string): TcpMemLimits | undefined {
  const t = tokens(text);
  if (t[0] === 'net.ipv4.tcp_mem' && (t[1] === '=' || t[1] === ':') && t.length === 5) return limits(t[2], t[3], t[4]);
  if (t[0] === 'net.ipv4.tcp_mem=' && t.length === 4) return limits(t[1], t[2], t[3]);
  return undefined;
}

/** The three numbers `cat /proc/sys/net/ipv4/tcp_mem` prints, or undefined. */
export function readTcpMemValues(text: string): TcpMemLimits | undefined {
  const t = tokens(text);
  return t.length === 3 ? limits(t[0], t[1], t[2]) : undefined;
}

export type TcpMemState = 'below_low' | 'low_to_pressure' | 'pressure' | 'over_high';

/** Where TCP's memory stands against its limits: the kernel regulates from `low` on and is under pressure from `pressure`. */
export function tcpMemState(pages: number, l: TcpMemLimits): TcpMemState {
  if (pages >= l.high) return 'over_high';
  if (pages >= l.pressure) return 'pressure';
  if (pages >= l.low) return 'low_to_pressure';
  return 'below_low';
}

export function describeTcpMem(pages: number, l: TcpMemLimits): string {
  const state = tcpMemState(pages, l);
  const where =
    state === 'over_high' ? 'at or over the high limit' : state === 'pressure' ? 'at or over the pressure threshold' : state === 'low_to_pressure' ? 'between the low and pressure thresholds' : 'below the low threshold';
  return `TCP holds ${pages} pages of memory, ${where} of tcp_mem ${l.low} ${l.pressure} ${l.high}`;
}
