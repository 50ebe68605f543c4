/**
 * Socket tables: Linux `netstat -an/-antp`, `ss -tan/-tanp` (also with a state filter, where the State
 * column is missing), Windows `netstat -ano`, Solaris/AIX/BSD dotted ports, Data Domain `net show
 * connections`/netstat. Several snapshots in one paste (a prompt or header line starts a new one) are
 * summarised one by one and the worst is reported.
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';
import { round } from './types.js';
import type { ByteLines } from '../lines.js';
import { TCP_STATES } from '../vocab/tcp-states.js';

const STATES = TCP_STATES;
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
/**
 * The start of a netstat row that ends before its state column is complete: a row a narrow terminal
 * wrapped (the rest is on the next line) or a cut paste. `tcp 0 0 local [remote [part of the state]]`
 * (Unix) or `TCP local [remote [part of the state]]` (Windows). Only tried on lines that are not full rows.
 */
const PARTIAL_ROW = /^\s*(?:tcp[46]?\s+\d+\s+\d+|TCP)(?:\s+\S+){0,3}\s*$/i;
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

/** The port at the end of an address (as /[:.](\d+)$/), or -1 when there is none. */
function port(addr: string): number {
  let i = addr.length;
  while (i > 0) {
    const c = addr.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  if (i === addr.length || i === 0) return -1;
  const sep = addr.charCodeAt(i - 1);
  return sep === 58 || sep === 46 ? Number(addr.slice(i)) : -1;
}

/** Canonical state names by id: per-snapshot counts are arrays indexed by state id (no Map update per row). */
const STATE_NAMES: string[] = [...new Set(Object.values(STATES)), 'UNKNOWN'];
const STATE_ID = new Map<string, number>(STATE_NAMES.map((n, i) => [n, i]));
const MAX_STATES = 64;
function stateId(name: string): number {
  let id = STATE_ID.get(name);
  if (id === undefined) {
    // Not reached (every state comes from STATES or is UNKNOWN); kept total all the same.
    id = Math.min(STATE_NAMES.length, MAX_STATES - 1);
    STATE_NAMES.push(name);
    STATE_ID.set(name, id);
  }
  return id;
}
const ID_LISTEN = stateId('LISTEN');
const ID_UNCONN = stateId('UNCONN');
const ID_ESTABLISHED = stateId('ESTABLISHED');
const ID_FIN_WAIT1 = stateId('FIN_WAIT1');
const ID_CLOSE_WAIT = stateId('CLOSE_WAIT');
const ID_LAST_ACK = stateId('LAST_ACK');
const ID_SYN_SENT = stateId('SYN_SENT');
const ID_UNKNOWN = stateId('UNKNOWN');

// ---- Byte fast path: Linux netstat, Windows netstat and ss rows read straight from the bytes. ----------------
// It takes only rows whose reading by the regexes above is certain (plain ASCII fields, the state column a
// whole token that is a state name, ports of at most 15 digits, no prompt character that could make the row a
// command line) and gives exactly what the regex path gives for them; any other line goes to the regexes.

const UPPER = new Uint8Array(256);
for (let c = 0; c < 256; c++) UPPER[c] = c >= 97 && c <= 122 ? c - 32 : c;
/** ASCII state names by (length << 7 | first byte): the state token is compared with a handful at most. */
const STATE_BUCKETS: ({ bytes: Uint8Array; id: number }[] | undefined)[] = new Array(32 << 7);
for (const [k, v] of Object.entries(STATES)) {
  if (!/^[A-Z0-9_-]+$/.test(k) || k.length >= 32) continue;
  const b = Buffer.from(k, 'latin1');
  (STATE_BUCKETS[(b.length << 7) | b[0]] ??= []).push({ bytes: b, id: stateId(v) });
}
/** State id of the token [s, e) when it is a state name (any case), else -1. */
function stateOf(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len >= 32) return -1;
  const list = STATE_BUCKETS[(len << 7) | UPPER[buf[s]]];
  if (list === undefined) return -1;
  outer: for (let k = 0; k < list.length; k++) {
    const b = list[k].bytes;
    for (let j = 1; j < len; j++) if (UPPER[buf[s + j]] !== b[j]) continue outer;
    return list[k].id;
  }
  return -1;
}
/** Value of an all-digit token of 1-15 digits (exact as Number() gives it), else -1. */
function digitsOf(buf: Uint8Array, s: number, e: number): number {
  if (e - s > 15) return -1;
  let v = 0;
  for (let j = s; j < e; j++) {
    const d = buf[j] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
/**
 * A token [s, e) read as ADDR reads a whole token (something, then ":" or ".", then digits or "*"):
 * its port as port() gives it (-1 for "*"), or -2 when it is not an address (or a port over 15 digits).
 */
function addrOf(buf: Uint8Array, s: number, e: number): number {
  if (buf[e - 1] === 42) {
    if (e - s < 3) return -2;
    const sep = buf[e - 2];
    return sep === 58 || sep === 46 ? -1 : -2;
  }
  let i = e;
  while (i > s && buf[i - 1] >= 48 && buf[i - 1] <= 57) i--;
  if (i === e || e - i > 15 || i - 1 <= s) return -2;
  const sep = buf[i - 1];
  if (sep !== 58 && sep !== 46) return -2;
  let v = 0;
  for (let j = i; j < e; j++) v = v * 10 + (buf[j] - 48);
  return v;
}

/** Byte classes for the row tokeniser: 0 part of a token, 1 blank (\s in ASCII), 2 not for the fast path. */
const CLASS = new Uint8Array(256);
for (const c of [32, 9, 11, 12]) CLASS[c] = 1;
// A prompt character could make the line a command line (a new snapshot); non-ASCII bytes (a no-break space
// is \s for the regexes, a UTF-8 one is not) are left to the regex path; CR, LF and NUL never occur in a line.
for (const c of [36, 35, 62, 37]) CLASS[c] = 2;
for (let c = 0x80; c < 256; c++) CLASS[c] = 2;
/** The prompt characters alone (what the unread rest of a row is checked for). */
const PROMPT = new Uint8Array(256);
for (const c of [36, 35, 62, 37]) PROMPT[c] = 1;
/** Token bounds of the row being read (the first 6 tokens), and what was read from it. */
const TOK = new Int32Array(12);
const row = { state: 0, sendQ: -1, lp: -1, rp: -1 };

/** Reads a socket row from bytes into `row`; false when the line is not one the fast path takes. */
function byteRow(buf: Uint8Array, start: number, end: number): boolean {
  let n = 0;
  let i = start;
  while (i < end) {
    let k = CLASS[buf[i]];
    if (k === 1) {
      while (++i < end && (k = CLASS[buf[i]]) === 1);
      continue;
    }
    if (k === 2) return false;
    if (n === 6) {
      // The rest (process column etc.) is not read, but a prompt character could make the line a command.
      for (; i < end; i++) if (PROMPT[buf[i]] !== 0) return false;
      break;
    }
    TOK[2 * n] = i;
    for (i++; i < end; i++) {
      k = CLASS[buf[i]];
      if (k !== 0) break;
    }
    if (k === 2) return false;
    TOK[2 * n + 1] = i;
    n++;
  }
  if (n < 4) return false;
  const s0 = TOK[0];
  const len0 = TOK[1] - s0;
  const tcp =
    len0 >= 3 && len0 <= 4 && (buf[s0] | 0x20) === 116 && (buf[s0 + 1] | 0x20) === 99 && (buf[s0 + 2] | 0x20) === 112 && (len0 === 3 || buf[s0 + 3] === 52 || buf[s0 + 3] === 54);
  if (tcp && digitsOf(buf, TOK[2], TOK[3]) >= 0) {
    // Linux / Unix netstat: tcp recv-q send-q local remote state
    if (n < 6) return false;
    const sendQ = digitsOf(buf, TOK[4], TOK[5]);
    if (sendQ < 0) return false;
    const lp = addrOf(buf, TOK[6], TOK[7]);
    if (lp === -2) return false;
    const rp = addrOf(buf, TOK[8], TOK[9]);
    if (rp === -2) return false;
    const st = stateOf(buf, TOK[10], TOK[11]);
    if (st < 0) return false;
    row.state = st;
    row.sendQ = sendQ;
    row.lp = lp;
    row.rp = rp;
    return true;
  }
  const tcp3 = tcp && len0 === 3;
  if (tcp3) {
    const lp = addrOf(buf, TOK[2], TOK[3]);
    if (lp !== -2) {
      // Windows: TCP local remote state [pid]
      const rp = addrOf(buf, TOK[4], TOK[5]);
      if (rp === -2) return false;
      const st = stateOf(buf, TOK[6], TOK[7]);
      if (st < 0) return false;
      row.state = st;
      row.sendQ = -1;
      row.lp = lp;
      row.rp = rp;
      return true;
    }
  }
  // ss: [tcp] state recv-q send-q local peer
  const k = tcp3 ? 2 : 0;
  if (n < (k >> 1) + 5) return false;
  const st = stateOf(buf, TOK[k], TOK[k + 1]);
  if (st < 0 || digitsOf(buf, TOK[k + 2], TOK[k + 3]) < 0) return false;
  const sendQ = digitsOf(buf, TOK[k + 4], TOK[k + 5]);
  if (sendQ < 0) return false;
  const lp = addrOf(buf, TOK[k + 6], TOK[k + 7]);
  if (lp === -2) return false;
  const rp = addrOf(buf, TOK[k + 8], TOK[k + 9]);
  if (rp === -2) return false;
  row.state = st;
  row.sendQ = sendQ;
  row.lp = lp;
  row.rp = rp;
  return true;
}

/** What the fast path reads from a row, for tests: undefined when it leaves the row to the regexes. */
export function socketRowFromBytes(buf: Uint8Array, start = 0, end = buf.length): { state: string; sendQ?: number; local?: number; remote?: number } | undefined {
  if (!byteRow(buf, start, end)) return undefined;
  return { state: STATE_NAMES[row.state], sendQ: row.sendQ < 0 ? undefined : row.sendQ, local: row.lp < 0 ? undefined : row.lp, remote: row.rp < 0 ? undefined : row.rp };
}

/** What the regex path reads from a row (the state-filter forms aside), for tests. */
export function socketRowFromText(text: string): { state: string; sendQ?: number; local?: number; remote?: number } | undefined {
  if (isNewSnapshot(text)) return undefined;
  const r = (state: string, sendQ: number | undefined, local: string, remote: string) => {
    const lp = port(local);
    const rp = port(remote);
    return { state, sendQ, local: lp < 0 ? undefined : lp, remote: rp < 0 ? undefined : rp };
  };
  let m = NETSTAT_UNIX.exec(text);
  if (m) return r(STATES[m[6].toUpperCase()], Number(m[3]), m[4], m[5]);
  m = NETSTAT_WIN.exec(text);
  if (m) return r(STATES[m[4].toUpperCase()], undefined, m[2], m[3]);
  m = SS_STATE.exec(text);
  if (m) return r(STATES[m[1].toUpperCase()], Number(m[3]), m[4], m[5]);
  return undefined;
}

interface Entry {
  n: number;
  line: number;
  text: string;
}

interface Snapshot {
  start: number;
  total: number;
  /** Sockets by state id. */
  counts: Float64Array;
  stuck: Map<number, Entry>;
  synSent: Map<number, Entry>;
  localPorts: number[];
  filterState?: string;
  /** Output piped through grep/findstr: state counts and shares say nothing about the host. */
  filtered: boolean;
}

const newSnap = (start: number, filterState?: string, filtered = false): Snapshot => ({
  start, filtered, total: 0, counts: new Float64Array(MAX_STATES), stuck: new Map(), synSent: new Map(), localPorts: [], filterState,
});
const countOf = (s: Snapshot, state: string) => {
  const id = STATE_ID.get(state);
  return id === undefined ? 0 : s.counts[id];
};

/** The service side of a connection: the lower port, which is the well-known one in client/server pairs (-1: none). */
function servicePort(local: number, remote: number): number {
  if (local < 0) return remote;
  if (remote < 0) return local;
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
  emits: {
    'sockets.snapshots': { type: 'number', meaning: 'socket tables (snapshots) read' },
    'sockets.total': { type: 'number', meaning: 'sockets in the largest snapshot' },
    'sockets.rows_without_state': { type: 'number', meaning: 'rows cut before their state column' },
    'sockets.count.*': { type: 'number', meaning: 'sockets in the state named by the suffix, in the snapshot where it is largest (whole listings only)' },
    'sockets.share.*': { type: 'number', unit: '%', meaning: 'share of all sockets in the state named by the suffix (whole listings of 20 sockets or more)' },
    'sockets.sendq_stuck.*': { type: 'number', meaning: 'connections on the service port named by the suffix with a Send-Q above zero' },
    'sockets.syn_sent.*': { type: 'number', meaning: 'connections in SYN_SENT to the port named by the suffix' },
    'sockets.sendq_stuck_port': { type: 'number', meaning: 'the service port with the most connections with a Send-Q above zero' },
    'sockets.syn_sent_port': { type: 'number', meaning: 'the port with the most connections in SYN_SENT' },
    'sockets.local_ports': { type: 'data', meaning: 'local ports of the largest snapshot, for the ephemeral-range combiner' },
  },
  samples: [
    {
      name: 'Linux netstat -ant with a SYN_SENT to PBX',
      input: ['Proto Recv-Q Send-Q Local Address           Foreign Address         State', 'tcp        0      1 10.1.0.7:41022          10.1.0.9:1556           SYN_SENT'].join('\n'),
      yields: { 'sockets.syn_sent.1556': 1, 'sockets.syn_sent_port': 1556 },
      never: ['sockets.count.', 'sockets.share.'],
    },
  ],
  create(): Parser {
    const snaps: Snapshot[] = [];
    let cur: Snapshot | undefined;
    /** A row that ended before its state column, held to see whether the next line completes it. */
    let pending: { no: number; text: string } | undefined;
    /** Rows left without a state (wrapped or cut and not completed by the next line). */
    let stateless = 0;
    let statelessFirst: { no: number; text: string } | undefined;
    let pendingFilter: string | undefined;
    let pendingGrep = false;
    /** One row (ports -1 and sendQ -1 when absent); its text is decoded only when kept (first row of an entry). */
    const add = (no: number, text: string | undefined, lines: ByteLines | undefined, ls: number, le: number, state: number, sendQ: number, lp: number, rp: number) => {
      if (!cur) {
        cur = newSnap(no, pendingFilter, pendingGrep);
        snaps.push(cur);
      }
      cur.total++;
      cur.counts[state]++;
      if (state !== ID_LISTEN && state !== ID_UNCONN && lp >= 0 && cur.localPorts.length < MAX_PORTS_KEPT) cur.localPorts.push(lp);
      if (sendQ > 0 && (state === ID_ESTABLISHED || state === ID_FIN_WAIT1 || state === ID_CLOSE_WAIT || state === ID_LAST_ACK)) {
        const sp = servicePort(lp, rp);
        if (sp >= 0) {
          let e = cur.stuck.get(sp);
          if (!e) cur.stuck.set(sp, (e = { n: 0, line: no, text: text ?? lines!.text(ls, le) }));
          e.n++;
        }
      }
      if (state === ID_SYN_SENT && rp >= 0) {
        let e = cur.synSent.get(rp);
        if (!e) cur.synSent.set(rp, (e = { n: 0, line: no, text: text ?? lines!.text(ls, le) }));
        e.n++;
      }
    };
    const addText = (no: number, text: string, state: string, sendQ: number | undefined, local: string, remote: string) =>
      add(no, text, undefined, 0, 0, stateId(state), sendQ === undefined ? -1 : sendQ, port(local), port(remote));
    /** A complete row with its state (netstat Unix/Windows, ss, Solaris): counted, true; else false. */
    const fullRow = (no: number, text: string): boolean => {
      let m = NETSTAT_UNIX.exec(text);
      if (m) {
        addText(no, text, STATES[m[6].toUpperCase()], Number(m[3]), m[4], m[5]);
        return true;
      }
      m = NETSTAT_WIN.exec(text);
      if (m) {
        addText(no, text, STATES[m[4].toUpperCase()], undefined, m[2], m[3]);
        return true;
      }
      m = SS_STATE.exec(text);
      if (m) {
        addText(no, text, STATES[m[1].toUpperCase()], Number(m[3]), m[4], m[5]);
        return true;
      }
      m = NETSTAT_SOLARIS.exec(text);
      if (m) {
        addText(no, text, STATES[m[5].toUpperCase()], Number(m[3]), m[1], m[2]);
        return true;
      }
      return false;
    };
    /** A row that stays without a state: counted in its snapshot as UNKNOWN (so no shares), and reported. */
    const countStateless = (r: { no: number; text: string }) => {
      stateless++;
      statelessFirst ??= r;
      const m = SS_NOSTATE.exec(r.text);
      if (m) addText(r.no, r.text, 'UNKNOWN', Number(m[2]), m[3], m[4]);
      else add(r.no, r.text, undefined, 0, 0, ID_UNKNOWN, -1, -1, -1);
    };
    const flushPending = () => {
      if (pending) countStateless(pending);
      pending = undefined;
    };
    return withCommandsAsLines({
      bytes(no, lines, start, end) {
        if (!byteRow(lines.buf, start, end)) return false;
        flushPending();
        add(no, undefined, lines, start, end, row.state, row.sendQ, row.lp, row.rp);
        return true;
      },
      line(no, text) {
        if (pending) {
          // A wrapped row continues on this line: as the terminal cut it (no separator), or trimmed.
          const held = pending;
          pending = undefined;
          for (const joined of [held.text + text, `${held.text.trimEnd()} ${text.trimStart()}`]) {
            if (fullRow(held.no, joined)) return;
          }
          countStateless(held);
        }
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
        if (fullRow(no, text)) return;
        const m = SS_NOSTATE.exec(text);
        if (m && (cur?.filterState || pendingFilter)) return addText(no, text, (cur?.filterState ?? pendingFilter)!, Number(m[2]), m[3], m[4]);
        if (PARTIAL_ROW.test(text)) {
          pending = { no, text };
          return;
        }
        if (m) return addText(no, text, 'UNKNOWN', Number(m[2]), m[3], m[4]);
      },
      finish() {
        flushPending();
        const out: Observation[] = [];
        const real = snaps.filter((s) => s.total > 0);
        if (!real.length) return out;
        out.push({ key: 'sockets.snapshots', value: real.length });
        const biggest = real.reduce((a, b) => (b.total > a.total ? b : a));
        out.push({ key: 'sockets.total', value: biggest.total, line: biggest.start, text: `${biggest.total} sockets in the largest snapshot` });
        if (stateless) {
          out.push({
            key: 'sockets.rows_without_state',
            value: stateless,
            line: statelessFirst!.no,
            text: `${stateless} socket row(s) end before the state column (wrapped by a narrow terminal, or cut) and were not completed by the next line; state counts leave out tables where they are 10 % or more of the rows`,
          });
        }
        // A table whose rows largely lack a state says nothing reliable about how many are in each state.
        const whole = real.filter((s) => !s.filtered && s.total >= MIN_SOCKETS_FOR_COUNTS && s.counts[ID_UNKNOWN] < 0.1 * s.total);
        for (const st of WATCHED) {
          let best: { s: Snapshot; n: number } | undefined;
          for (const s of whole) {
            const n = countOf(s, st);
            if (!best || n > best.n) best = { s, n };
          }
          if (!best) continue;
          out.push({ key: `sockets.count.${st}`, value: best.n, line: best.s.start, text: `${best.n} of ${best.s.total} sockets in ${st}` });
          let share: { s: Snapshot; p: number } | undefined;
          for (const s of whole) {
            if (s.total < MIN_SOCKETS_FOR_SHARE || s.counts[ID_UNKNOWN] > 0) continue;
            const p = (100 * countOf(s, st)) / s.total;
            if (!share || p > share.p) share = { s, p };
          }
          if (share) out.push({ key: `sockets.share.${st}`, value: round(share.p), line: share.s.start, text: `${countOf(share.s, st)} of ${share.s.total} sockets (${round(share.p)}%) in ${st}` });
        }
        const stuck = new Map<number, Entry>();
        const syn = new Map<number, Entry>();
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
        out.push({ key: 'sockets.local_ports', value: biggest.localPorts.length, line: biggest.start, data: { ports: biggest.localPorts } });
        return out;
      },
    });
  },
};
