/**
 * One line of ping output, read into what it says: a run's header, an echo reply, a probe that got no
 * answer, an error (unreachable, fragmentation needed), a summary, round-trip statistics. Covers Linux
 * iputils (old and new), busybox, macOS/BSD, Solaris `ping -s`, ping6, and Windows ping in English,
 * French, German, Korean, Spanish, Portuguese, Italian, Japanese and Chinese. A leading time stamp
 * (`ping -D` epochs, `| ts`, a PowerShell `Get-Date` prefix) is taken off and returned with the line.
 * No regex here can backtrack: fixed words, indexOf and token splits.
 */
import { readStamp } from '../time.js';
import type { Clock } from './timeline.js';

export type PingStyle = 'linux' | 'bsd' | 'solaris' | 'windows';

export type PingLine =
  | { kind: 'header'; style: PingStyle; target: string; addr?: string; payload?: number; total?: number; v6: boolean }
  | { kind: 'reply'; seq?: number; rtt?: number }
  | { kind: 'timeout'; seq?: number }
  | { kind: 'unreachable'; seq?: number; what: string }
  | { kind: 'frag'; seq?: number; mtu?: number; local: boolean }
  | { kind: 'summary'; sent: number; received: number; windows: boolean }
  | { kind: 'rtt'; avg: number }
  | { kind: 'alive'; target: string; ok: boolean };

export interface ReadLine {
  line: PingLine;
  at?: Clock;
}

/** Windows header: the size word after the number of bytes, per locale. */
const WIN_HEADER_WORDS = ['bytes of data', 'octets de données', 'Bytes Daten', '바이트 데이터 사용', 'bytes de datos', 'bytes de dados', 'byte di dati', 'バイトのデータ', '字节的数据'];
const TIMEOUT_WORDS = [
  'Request timed out',
  'Request timeout for icmp_seq',
  'no answer yet for icmp_seq',
  'attente de la demande dépassé',
  'Zeitüberschreitung der Anforderung',
  '요청 시간이 만료되었습니다',
  'Tiempo de espera agotado',
  'Esgotado o tempo limite',
  'Richiesta scaduta',
  '要求がタイムアウトしました',
  '请求超时',
];
const UNREACHABLE_WORDS = [
  'Destination Host Unreachable',
  'Destination Net Unreachable',
  'Destination Port Unreachable',
  'Destination Protocol Unreachable',
  'Destination host unreachable',
  'Destination net unreachable',
  'Time to live exceeded',
  'TTL expired in transit',
  'Packet filtered',
  'administratively prohibited',
  'General failure',
  'No route to host',
  'Network is unreachable',
  'Host is down',
  "joindre l'hôte de destination",
  'joindre l’hôte de destination',
  'Hôte de destination inaccessible',
  'Défaillance générale',
  'Zielhost nicht erreichbar',
  'Zielnetz nicht erreichbar',
  'Allgemeiner Fehler',
  '대상 호스트에 연결할 수 없습니다',
  '대상 네트워크에 연결할 수 없습니다',
  '일반 오류',
  'Host de destino inaccesible',
  'Host di destinazione non raggiungibile',
  '宛先ホストに到達できません',
  '无法访问目标主机',
];
const WIN_SUMMARY_LABELS = new Set(['packets', 'paquets', 'pakete', 'paquetes', 'pacotes', 'pacchetti', '패킷', 'パケット数', '数据包']);
const WIN_RTT_LABELS = new Set(['minimum', 'mínimo', 'minimo', '최소', '最小', '最短']);
const TIME_WORDS = ['time', 'temps', 'zeit', 'tiempo', 'tempo', 'durata', '시간', '時間', '时间'];

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The integer at `s[i]…`, or undefined. */
function intAt(s: string, i: number): number | undefined {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  return j > i ? Number(s.slice(i, j)) : undefined;
}

/** The number (with "." or "," decimals) at `s[i]…`, and where it ends. */
function numberAt(s: string, i: number): { n: number; end: number } | undefined {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === i) return undefined;
  if ((s[j] === '.' || s[j] === ',') && isDigit(s.charCodeAt(j + 1))) {
    j++;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  }
  return { n: Number(s.slice(i, j).replace(',', '.')), end: j };
}

/** "time=0.512 ms", "time<1ms", "temps=1 ms", "Zeit<1ms", "시간=16ms": the echo reply's round trip. */
function replyTime(s: string): number | undefined {
  const lower = s.toLowerCase();
  for (const w of TIME_WORDS) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(w, from);
      if (at < 0) break;
      from = at + w.length;
      if (s[from] === ' ' && (s[from + 1] === '=' || s[from + 1] === '<')) from++;
      const op = s[from];
      if (op !== '=' && op !== '<') continue;
      let i = from + 1;
      if (s[i] === ' ') i++;
      const num = numberAt(s, i);
      if (!num) continue;
      let k = num.end;
      if (s[k] === ' ') k++;
      if (lower.startsWith('ms', k)) return op === '<' ? num.n / 2 : num.n;
    }
  }
  return undefined;
}

/** "icmp_seq=3", "icmp_seq 3", "icmp_seq=3.", busybox "seq=3". */
function seqOf(s: string): number | undefined {
  let at = s.indexOf('icmp_seq');
  if (at >= 0) at += 8;
  else {
    at = s.indexOf(' seq=');
    if (at < 0) return undefined;
    at += 4;
  }
  if (s[at] === '=' || s[at] === ' ') at++;
  return intAt(s, at);
}

/** "mtu = 1400", "mtu=1400", "(MTU 1400)", "!F-1400". */
export function mtuOf(s: string): number | undefined {
  const lower = s.toLowerCase();
  const at = lower.indexOf('mtu');
  if (at < 0) return undefined;
  let i = at + 3;
  while (i < s.length && (s[i] === ' ' || s[i] === '=')) i++;
  const n = intAt(s, i);
  return n !== undefined && n >= 68 && n <= 65535 ? n : undefined;
}

function includesAny(s: string, words: readonly string[]): string | undefined {
  for (const w of words) if (s.includes(w)) return w;
  return undefined;
}

/** A host or address token as printed ("dd02", "10.2.0.5", "fd00::5"), without brackets or a trailing colon. */
function bare(tok: string): string {
  let a = 0;
  let b = tok.length;
  while (a < b && (tok[a] === '[' || tok[a] === '(')) a++;
  while (b > a && ']):,'.includes(tok[b - 1])) b--;
  return tok.slice(a, b);
}

function isAddress(tok: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(tok) || (tok.includes(':') && /^[0-9a-fA-F:.]+$/.test(tok));
}

/** "PING dd02 (10.2.0.5) 56(84) bytes of data.", "PING dd02 (10.2.0.5): 56 data bytes", "PING dd02: 56 data bytes". */
function unixHeader(t: string): PingLine | undefined {
  if (t.startsWith('PING6(')) {
    // macOS ping6: "PING6(56=40+8+8 bytes) fd00::1 --> fd00::5"
    const arrow = t.indexOf('-->');
    if (arrow < 0) return undefined;
    const target = t.slice(arrow + 3).trim().split(' ')[0];
    const payload = intAt(t, 6);
    return { kind: 'header', style: 'bsd', target, addr: target, payload: payload !== undefined ? payload - 48 : undefined, total: payload, v6: true };
  }
  const rest = t.slice(5);
  const sp = rest.indexOf(' ');
  const first = sp < 0 ? rest : rest.slice(0, sp);
  const paren = first.indexOf('(');
  const target = bare(paren > 0 ? first.slice(0, paren) : first);
  if (!target) return undefined;
  const close = t.indexOf(')');
  const open = close > 0 ? t.lastIndexOf('(', close) : -1;
  const addr = open >= 0 && close > open ? t.slice(open + 1, close).trim() : undefined;
  const linuxAt = t.indexOf(' bytes of data');
  if (linuxAt > 0) {
    // "56(84) bytes of data": payload(total)
    const o = t.lastIndexOf('(', linuxAt);
    const payloadStart = t.lastIndexOf(' ', o) + 1;
    const payload = intAt(t, payloadStart);
    const total = intAt(t, o + 1);
    return { kind: 'header', style: 'linux', target, addr, payload, total, v6: !!addr?.includes(':') };
  }
  const dataAt = t.indexOf(' data bytes');
  if (dataAt < 0) return undefined;
  const numStart = t.lastIndexOf(' ', dataAt - 1) + 1;
  const payload = intAt(t, numStart);
  const beforeNum = t.slice(0, numStart).trimEnd();
  const v6 = !!addr?.includes(':');
  // "…): 56 data bytes" is BSD, macOS and busybox; "PING dd02: 56 data bytes" is Solaris; "… 56 data bytes" after
  // an address without a colon is Linux ping6
  const style: PingStyle = beforeNum.endsWith(':') ? (addr ? 'bsd' : 'solaris') : 'linux';
  return { kind: 'header', style, target, addr, payload, total: payload !== undefined ? payload + (v6 ? 48 : 28) : undefined, v6 };
}

/** "Pinging dd01 [10.2.2.9] with 32 bytes of data:" and its translations. */
function windowsHeader(t: string): PingLine | undefined {
  const toks = t.split(/\s+/);
  let sizeAt = -1;
  for (let i = 0; i < toks.length; i++) {
    const n = intAt(toks[i], 0);
    if (n === undefined) continue;
    const after = toks[i].slice(String(n).length);
    const next = toks[i + 1] ?? '';
    if (after === '바이트' || (after === '' && /^(?:bytes|octets|Bytes|byte|バイトのデータ:?|字节的数据:?)$/.test(next))) {
      sizeAt = i;
      break;
    }
  }
  if (sizeAt < 1) return undefined;
  const payload = intAt(toks[sizeAt], 0);
  let addr: string | undefined;
  let target: string | undefined;
  const br = toks.findIndex((x) => x.startsWith('[') && x.includes(']'));
  if (br > 0 && br < sizeAt) {
    addr = bare(toks[br]);
    target = bare(toks[br - 1]);
  } else {
    const firstAddr = toks.slice(0, sizeAt).map(bare).find(isAddress);
    let k = sizeAt - 1;
    if (/^(?:with|avec|mit|con|com)$/.test(toks[k])) k--;
    target = firstAddr ?? bare(toks[k]);
    if (isAddress(target)) addr = target;
  }
  if (!target) return undefined;
  const v6 = !!addr?.includes(':');
  return { kind: 'header', style: 'windows', target, addr, payload, total: payload !== undefined ? payload + (v6 ? 48 : 28) : undefined, v6 };
}

/** "5 packets transmitted, 3 received, …" and "5 packets transmitted, 3 packets received, …". */
function unixSummary(t: string): PingLine | undefined {
  const at = t.indexOf(' packets transmitted, ');
  if (at < 0) return undefined;
  const sent = intAt(t, t.lastIndexOf(' ', at - 1) + 1);
  const received = intAt(t, at + 22);
  if (sent === undefined || received === undefined) return undefined;
  return { kind: 'summary', sent, received, windows: false };
}

/** "Packets: Sent = 4, Received = 4, Lost = 0 (0% loss)," and its translations. */
function windowsSummary(t: string): PingLine | undefined {
  const colon = t.indexOf(':');
  if (colon < 0 || colon > 12) return undefined;
  if (!WIN_SUMMARY_LABELS.has(t.slice(0, colon).trim().toLowerCase())) return undefined;
  const nums: number[] = [];
  let from = colon;
  while (nums.length < 3) {
    const eq = t.indexOf('=', from);
    if (eq < 0) break;
    let i = eq + 1;
    while (t[i] === ' ') i++;
    const n = intAt(t, i);
    if (n === undefined) break;
    nums.push(n);
    from = i;
  }
  if (nums.length < 2) return undefined;
  return { kind: 'summary', sent: nums[0], received: nums[1], windows: true };
}

/** "rtt min/avg/max/mdev = 0.4/0.5/0.6/0.1 ms", "round-trip (ms)  min/avg/max/stddev = …", busybox "min/avg/max". */
function unixRtt(t: string): PingLine | undefined {
  const at = t.indexOf('min/avg/max');
  if (at < 0) return undefined;
  const eq = t.indexOf('=', at);
  if (eq < 0) return undefined;
  const parts = t.slice(eq + 1).trim().split('/');
  const avg = parts.length >= 3 ? numberAt(parts[1].trim(), 0) : undefined;
  return avg ? { kind: 'rtt', avg: avg.n } : undefined;
}

/** "Minimum = 1ms, Maximum = 2ms, Average = 1ms" and its translations: the third figure. */
function windowsRtt(t: string): PingLine | undefined {
  const eq = t.indexOf('=');
  if (eq < 0 || !WIN_RTT_LABELS.has(t.slice(0, eq).trim().toLowerCase())) return undefined;
  let at = eq;
  for (let k = 0; k < 2 && at >= 0; k++) at = t.indexOf('=', at + 1);
  if (at < 0) return undefined;
  let i = at + 1;
  while (t[i] === ' ') i++;
  const num = numberAt(t, i);
  return num ? { kind: 'rtt', avg: num.n } : undefined;
}

/** A leading time stamp and the line after it ("[1700000000.123456] 64 bytes…", "02:10:01 - Reply from…"). */
function splitStamp(t: string): { at?: Clock; rest: string } {
  const c = t.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c !== 91 && !isDigit(c) && !letter) return { rest: t };
  const st = readStamp(t, 0);
  if (!st) return { rest: t };
  const head = t.slice(0, st.end);
  // an epoch in brackets is ping -D; anything else must hold a time of day, not only a date ("10.11.12.13")
  const epoch = head.startsWith('[');
  if (!epoch && !head.includes(':')) return { rest: t };
  let i = st.end;
  // a zone name after the time ("KST", "UTC"), then separators
  const zone = /^ ?[A-Z]{2,5}\b/.exec(t.slice(i, i + 7));
  if (zone && !/^ ?(?:PING|From|Reply)/.test(t.slice(i, i + 7))) i += zone[0].length;
  while (i < t.length && ' \t-|:'.includes(t[i])) i++;
  const utc = epoch || /\b(?:UTC|GMT)\b/.test(t.slice(0, i));
  return { at: { stamp: st, utc }, rest: t.slice(i) };
}

/** Could this line open a ping run (a header, or Solaris "is alive")? A cheap test for lines outside a run. */
export function mayOpenRun(text: string): boolean {
  return text.includes('PING') || text.includes(' is alive') || text.includes('no answer from ') || includesAny(text, WIN_HEADER_WORDS) !== undefined;
}

/** What one output line says, if it is ping output. */
export function readPingLine(text: string): ReadLine | undefined {
  const trimmed = text.trim();
  if (trimmed.length < 6) return undefined;
  const { at, rest: t } = splitStamp(trimmed);
  const line = classify(t);
  return line ? { line, ...(at ? { at } : {}) } : undefined;
}

function classify(t: string): PingLine | undefined {
  if (t.startsWith('PING ') || t.startsWith('PING6(')) return unixHeader(t);
  if (includesAny(t, WIN_HEADER_WORDS) && t.endsWith(':')) return windowsHeader(t);
  if (t.includes('(DUP!)')) return undefined;
  const c0 = t.charCodeAt(0);
  if (isDigit(c0)) {
    const s = unixSummary(t);
    if (s) return s;
  }
  const rttU = t.includes('min/avg/max') ? unixRtt(t) : undefined;
  if (rttU) return rttU;
  if (t.includes('DF') && /frag|framment|조각|断片|拆分|分片/i.test(t)) {
    return { kind: 'frag', seq: seqOf(t), mtu: mtuOf(t), local: !/^(?:From |\d+ bytes from |Reply from |Réponse de |Antwort von )/.test(t) && !t.includes('의 응답') };
  }
  const lower = t.toLowerCase();
  if (lower.includes('message too long')) {
    // "ping: local error: message too long, mtu=1400"; "ping: sendto: Message too long" (macOS, old iputils)
    return { kind: 'frag', mtu: mtuOf(t), local: true };
  }
  if (t.includes('ms')) {
    const rtt = replyTime(t);
    if (rtt !== undefined) return { kind: 'reply', seq: seqOf(t), rtt };
  }
  if (includesAny(t, TIMEOUT_WORDS)) return { kind: 'timeout', seq: seqOf(t) };
  const unreachable = includesAny(t, UNREACHABLE_WORDS);
  if (unreachable) return { kind: 'unreachable', seq: seqOf(t), what: unreachable };
  const w = windowsSummary(t) ?? windowsRtt(t);
  if (w) return w;
  // Solaris without -s: "dd02 is alive" / "no answer from dd02"
  if (t.endsWith(' is alive') && !t.slice(0, -9).includes(' ')) return { kind: 'alive', target: t.slice(0, -9), ok: true };
  if (t.startsWith('no answer from ') && !t.slice(15).includes(' ')) return { kind: 'alive', target: t.slice(15), ok: false };
  return undefined;
}
