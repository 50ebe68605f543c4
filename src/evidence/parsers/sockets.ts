/**
 * Socket tables: Linux `netstat -an/-antp`, `ss -tan/-tanp` (also with a state filter, where the State
 * column is missing), Windows `netstat -ano`, Solaris/AIX/BSD dotted ports, Data Domain `net show
 * connections`/netstat. Several snapshots in one paste (a prompt or header line starts a new one) are
 * summarised one by one and the worst is reported.
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { round } from './types.js';

const STATES: Record<string, string> = {
  ESTABLISHED: 'ESTABLISHED', ESTAB: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT', 'SYN-SENT': 'SYN_SENT', SYN_SEND: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV', 'SYN-RECV': 'SYN_RECV', SYN_RECEIVED: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1', 'FIN-WAIT-1': 'FIN_WAIT1', FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2', 'FIN-WAIT-2': 'FIN_WAIT2', FIN_WAIT_2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT', 'TIME-WAIT': 'TIME_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT', 'CLOSE-WAIT': 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK', 'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING', CLOSED: 'CLOSED', CLOSE: 'CLOSED',
  LISTEN: 'LISTEN', LISTENING: 'LISTEN',
  BOUND: 'BOUND', IDLE: 'IDLE', UNCONN: 'UNCONN',
  // Windows localises the state column (French, German, Spanish); Linux keeps the English names.
  'ÉTABLIE': 'ESTABLISHED', ETABLIE: 'ESTABLISHED', 'ÉTABLI': 'ESTABLISHED', 'ÉCOUTE': 'LISTEN', ECOUTE: 'LISTEN',
  HERGESTELLT: 'ESTABLISHED', 'ABHÖREN': 'LISTEN', WARTEND: 'TIME_WAIT', SCHLIESSEN_WARTEN: 'CLOSE_WAIT', SYN_GESENDET: 'SYN_SENT',
  ESTABLECIDO: 'ESTABLISHED', ESCUCHANDO: 'LISTEN',
};
const STATE_ALT = Object.keys(STATES).sort((a, b) => b.length - a.length).join('|');
/** Address with port: 1.2.3.4:80, [::1]:80, host.name:80, *:*, 1.2.3.4.80 (dotted), HOST_PLACEHOLDER:111 */
const ADDR = String.raw`(\[[^\]\s]*\](?::|\.)(?:\d+|\*)|\S+?[:.](?:\d+|\*))`;
/** Linux/DD/Unix netstat: proto recv-q send-q local remote state */
const NETSTAT_UNIX = new RegExp(String.raw`^\s*(tcp[46]?|tcp6)\s+(\d+)\s+(\d+)\s+${ADDR}\s+${ADDR}\s+(${STATE_ALT})\b`, 'i');
/** Windows: proto local remote state [pid] */
const NETSTAT_WIN = new RegExp(String.raw`^\s*(TCP)\s+${ADDR}\s+${ADDR}\s+(${STATE_ALT})\b`, 'i');
/** Solaris/AIX (no proto column): local remote swind send-q rwind recv-q state */
const NETSTAT_SOLARIS = new RegExp(String.raw`^\s*${ADDR}\s+${ADDR}\s+\d+\s+(\d+)\s+\d+\s+(\d+)\s+(${STATE_ALT})\b`, 'i');
/** ss with state column, optionally a Netid column: [tcp] STATE recv send local peer */
const SS_STATE = new RegExp(String.raw`^\s*(?:tcp\s+)?(${STATE_ALT})\s+(\d+)\s+(\d+)\s+${ADDR}\s+${ADDR}(?:\s|$)`, 'i');
/** ss with a state filter: recv send local peer */
const SS_NOSTATE = new RegExp(String.raw`^\s*(?:tcp\s+)?(\d+)\s+(\d+)\s+${ADDR}\s+${ADDR}(?:\s|$)`);
const SS_CMD = /\bss\s+(?:-[a-zA-Z]+\s+)*(?:state|\()\s*\(?\s*([a-z-]+)/i;
/**
 * A header or command line that starts a new snapshot:
 *   /^\s*(?:Proto\s+Recv-Q|…|Local Address\s+Remote Address\s+Swind)|(?:[$#>%]\s*|^)\s*(?:sudo\s+)?(?:netstat|ss|net\s+show\s+connections)\b/i
 * split into its anchored part and its after-a-prompt part (the unanchored alternation with "^" inside
 * was the cost of every table row).
 */
const NEW_SNAPSHOT_START = /^\s*(?:Proto\s+Recv-Q|Active (?:Internet )?Connections|State\s+Recv-Q|Netid\s+State|Recv-Q\s+Send-Q|Local Address\s+Remote Address\s+Swind|(?:sudo\s+)?(?:netstat|ss|net\s+show\s+connections)\b)/i;
const NEW_SNAPSHOT_PROMPT = /[$#>%]\s*(?:sudo\s+)?(?:netstat|ss|net\s+show\s+connections)\b/i;
const isNewSnapshot = (text: string) => NEW_SNAPSHOT_START.test(text) || NEW_SNAPSHOT_PROMPT.test(text);

/** The port at the end of an address (as /[:.](\d+)$/). */
function port(addr: string): number | undefined {
  let i = addr.length;
  while (i > 0) {
    const c = addr.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  if (i === addr.length || i === 0) return undefined;
  const sep = addr.charCodeAt(i - 1);
  return sep === 58 || sep === 46 ? Number(addr.slice(i)) : undefined;
}

interface Snapshot {
  start: number;
  total: number;
  counts: Map<string, number>;
  stuck: Map<number, { n: number; line: number; text: string }>;
  synSent: Map<number, { n: number; line: number; text: string }>;
  localPorts: number[];
  filterState?: string;
  /** Output piped through grep/findstr: state counts and shares say nothing about the host. */
  filtered: boolean;
}

const newSnap = (start: number, filterState?: string, filtered = false): Snapshot => ({
  start, filtered, total: 0, counts: new Map(), stuck: new Map(), synSent: new Map(), localPorts: [], filterState,
});

/** The service side of a connection: the lower port, which is the well-known one in client/server pairs. */
function servicePort(local?: number, remote?: number): number | undefined {
  if (local === undefined) return remote;
  if (remote === undefined) return local;
  return Math.min(local, remote);
}

const WATCHED = ['TIME_WAIT', 'CLOSE_WAIT', 'SYN_SENT', 'FIN_WAIT1', 'ESTABLISHED'];
/** A share of a handful of sockets says little; shares are reported from this many sockets on. */
export const MIN_SOCKETS_FOR_SHARE = 20;
/** Below this, a table is taken for an excerpt: no per-state counts. */
export const MIN_SOCKETS_FOR_COUNTS = 10;
const MAX_PORTS_KEPT = 200_000;

export const socketsParser: ParserDef = {
  kind: 'sockets',
  label: 'socket table (netstat / ss)',
  aliases: ['netstat', 'ss'],
  detect: [/^\s*Proto\s+Recv-Q\s+Send-Q/i, /^\s*(?:Netid\s+)?State\s+Recv-Q\s+Send-Q/i, /^\s*Active (?:Internet )?Connections/i, NETSTAT_UNIX, NETSTAT_WIN, SS_STATE, /^\s*Proto\s+Local Address\s+Foreign Address\s+State/i],
  bigFileLiterals: [...new Set(Object.keys(STATES).filter((k) => k.length > 4))].concat(['Recv-Q', 'netstat', 'ss -', 'Active Internet']),
  create(): Parser {
    const snaps: Snapshot[] = [];
    let cur: Snapshot | undefined;
    let pendingFilter: string | undefined;
    let pendingGrep = false;
    const add = (no: number, text: string, state: string, sendQ: number | undefined, local: string, remote: string) => {
      if (!cur) {
        cur = newSnap(no, pendingFilter, pendingGrep);
        snaps.push(cur);
      }
      cur.total++;
      cur.counts.set(state, (cur.counts.get(state) ?? 0) + 1);
      const lp = port(local);
      const rp = port(remote);
      if (state !== 'LISTEN' && state !== 'UNCONN' && lp !== undefined && cur.localPorts.length < MAX_PORTS_KEPT) cur.localPorts.push(lp);
      if (sendQ && sendQ > 0 && (state === 'ESTABLISHED' || state === 'FIN_WAIT1' || state === 'CLOSE_WAIT' || state === 'LAST_ACK')) {
        const sp = servicePort(lp, rp);
        if (sp !== undefined) {
          const e = cur.stuck.get(sp) ?? { n: 0, line: no, text };
          e.n++;
          cur.stuck.set(sp, e);
        }
      }
      if (state === 'SYN_SENT' && rp !== undefined) {
        const e = cur.synSent.get(rp) ?? { n: 0, line: no, text };
        e.n++;
        cur.synSent.set(rp, e);
      }
    };
    return {
      line(no, text) {
        if (isNewSnapshot(text)) {
          const f = SS_CMD.exec(text);
          if (/\b(?:netstat|ss)\b/.test(text)) pendingGrep = /\|\s*(?:e?grep|findstr|select-string|awk|head|tail)\b/i.test(text);
          if (f) pendingFilter = STATES[f[1].toUpperCase()];
          else if (/\b(?:netstat|ss)\b/.test(text) || /\bState\b/i.test(text)) pendingFilter = undefined;
          // a header without a State column keeps the filter of the command line just before it
          if (cur && cur.total > 0) cur = undefined;
          else if (cur) cur.filterState = pendingFilter;
          return;
        }
        let m = NETSTAT_UNIX.exec(text);
        if (m) return add(no, text, STATES[m[6].toUpperCase()], Number(m[3]), m[4], m[5]);
        m = NETSTAT_WIN.exec(text);
        if (m) return add(no, text, STATES[m[4].toUpperCase()], undefined, m[2], m[3]);
        m = SS_STATE.exec(text);
        if (m) return add(no, text, STATES[m[1].toUpperCase()], Number(m[3]), m[4], m[5]);
        m = NETSTAT_SOLARIS.exec(text);
        if (m) return add(no, text, STATES[m[5].toUpperCase()], Number(m[3]), m[1], m[2]);
        m = SS_NOSTATE.exec(text);
        if (m && (cur?.filterState || pendingFilter)) return add(no, text, (cur?.filterState ?? pendingFilter)!, Number(m[2]), m[3], m[4]);
        if (m) return add(no, text, 'UNKNOWN', Number(m[2]), m[3], m[4]);
      },
      finish() {
        const out: Observation[] = [];
        const real = snaps.filter((s) => s.total > 0);
        if (!real.length) return out;
        out.push({ key: 'sockets.snapshots', value: real.length });
        const biggest = real.reduce((a, b) => (b.total > a.total ? b : a));
        out.push({ key: 'sockets.total', value: biggest.total, line: biggest.start, text: `${biggest.total} sockets in the largest snapshot` });
        const whole = real.filter((s) => !s.filtered && s.total >= MIN_SOCKETS_FOR_COUNTS);
        for (const st of WATCHED) {
          let best: { s: Snapshot; n: number } | undefined;
          for (const s of whole) {
            const n = s.counts.get(st) ?? 0;
            if (!best || n > best.n) best = { s, n };
          }
          if (!best) continue;
          out.push({ key: `sockets.count.${st}`, value: best.n, line: best.s.start, text: `${best.n} of ${best.s.total} sockets in ${st}` });
          let share: { s: Snapshot; p: number } | undefined;
          for (const s of whole) {
            if (s.total < MIN_SOCKETS_FOR_SHARE || s.counts.has('UNKNOWN')) continue;
            const p = (100 * (s.counts.get(st) ?? 0)) / s.total;
            if (!share || p > share.p) share = { s, p };
          }
          if (share) out.push({ key: `sockets.share.${st}`, value: round(share.p), line: share.s.start, text: `${share.s.counts.get(st) ?? 0} of ${share.s.total} sockets (${round(share.p)}%) in ${st}` });
        }
        const stuck = new Map<number, { n: number; line: number; text: string }>();
        const syn = new Map<number, { n: number; line: number; text: string }>();
        for (const s of real) {
          for (const [p, e] of s.stuck) if ((stuck.get(p)?.n ?? 0) < e.n) stuck.set(p, e);
          for (const [p, e] of s.synSent) if ((syn.get(p)?.n ?? 0) < e.n) syn.set(p, e);
        }
        for (const [p, e] of stuck) out.push({ key: `sockets.sendq_stuck.${p}`, value: e.n, line: e.line, text: e.text });
        for (const [p, e] of syn) out.push({ key: `sockets.syn_sent.${p}`, value: e.n, line: e.line, text: e.text });
        const top = [...stuck].sort((a, b) => b[1].n - a[1].n)[0];
        if (top) out.push({ key: 'sockets.sendq_stuck_port', value: top[0], line: top[1].line, text: top[1].text });
        const topSyn = [...syn].sort((a, b) => b[1].n - a[1].n)[0];
        if (topSyn) out.push({ key: 'sockets.syn_sent_port', value: topSyn[0], line: topSyn[1].line, text: topSyn[1].text });
        // Local ports, for the ephemeral-range comparison done once the configured range is known.
        out.push({ key: '_sockets.local_ports', value: JSON.stringify({ line: biggest.start, ports: biggest.localPorts }) });
        return out;
      },
    };
  },
};
