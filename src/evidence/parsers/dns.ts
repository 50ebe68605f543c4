/**
 * Name lookups and how long they take: `dig` (BIND 9.x, with or without its command line, `-x`, `+short`),
 * `nslookup` (BIND on Linux/Unix; Windows, English and localised: French, German, Spanish, Korean), `host`,
 * `getent hosts|ahosts` (no output = not found), PowerShell `Resolve-DnsName`, and NetBackup's
 * `bpclntcmd -hn/-ip`, timed with bash/zsh/POSIX `time`, GNU `/usr/bin/time` or `Measure-Command`.
 *
 * Concludes the slowest lookup (dns.lookup_ms: the `time` figure of a timed lookup, else dig's query time,
 * else Windows nslookup's "timeout was N seconds" summed over its tries; a fast figure only when both a forward
 * and a reverse lookup were measured), whether a reverse lookup (of an
 * IP address or an in-addr.arpa name) fails with NXDOMAIN, SERVFAIL or a timeout, and whether a lookup timed
 * out. A time figure belongs to the command it timed: `time ./bptestbpcd …` says nothing about lookups.
 */
import type { CommandLine } from '../transcript.js';
import { readNumber } from '../vocab/units.js';
import type { Observation, Parser, ParserDef } from './types.js';
import { clip } from './types.js';

type Outcome = 'answer' | 'nxdomain' | 'servfail' | 'timeout' | 'not_found';

interface Lookup {
  tool: string;
  query?: string;
  reverse?: boolean;
  timed: boolean;
  /** Output may be reduced (grep, head…), so an empty output proves nothing. */
  reduced: boolean;
  /** dig +short, getent: an empty output means the name was not found. */
  emptyMeansNotFound: boolean;
  line: number;
  text: string;
  outcome?: Outcome;
  outcomeAt?: { line: number; text: string };
  queryMs?: number;
  queryAt?: { line: number; text: string };
  timeoutSecs: number;
  timeoutAt?: { line: number; text: string };
  realSecs?: number;
  realAt?: { line: number; text: string };
  outputLines: number;
  /** nslookup printed its "Server:" header: timeouts before it were its own server's reverse lookup. */
  header: boolean;
  digHeader: boolean;
  /** Its time figure was read: the next output belongs to the next command of the line. */
  timeDone: boolean;
}

/** A command of the line that is not a lookup, but may be timed. */
interface Other {
  tool: string;
  timed: boolean;
  timeDone: boolean;
}

type Piece = { kind: 'lookup'; l: Lookup } | { kind: 'other'; o: Other };

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]+$/i;
const isAddress = (s: string) => IPV4.test(s) || (IPV6.test(s) && (s.match(/:/g)?.length ?? 0) >= 2);
const isReverseName = (s: string) => /\.(?:in-addr|ip6)\.arpa\.?$/i.test(s);

const DIG_HEADER = /^; <<>> DiG \S+ <<>> (.*)$/;
const DIG_STATUS = /^;; ->>HEADER<<- opcode: \w+, status: ([A-Z]+)/;
const DIG_TIME = /^;; Query time: (\d+) (msec|usec)/;
const TIMED_OUT = /connection timed out; no servers could be reached|^;; communications error to \S+: timed out|^;; no servers could be reached/;
const LINUX_CANT_FIND = /^\*\* server can't find (\S+?):? ?(NXDOMAIN|SERVFAIL|REFUSED|NOTIMP)/;
const HOST_NOT_FOUND = /^Host (\S+) not found: \d\(([A-Z]+)\)/;
const HOST_ANSWER = /^\S+ (?:domain name pointer|has address|has IPv6 address|is an alias for) \S+/;
const PTR_ANSWER = /^\S+\.(?:in-addr|ip6)\.arpa\s+name = \S+/i;
const SERVER_HEADER = /^(?:Server|Serveur|Servidor|서버)\s*:/;
const NAME_LINE = /^(?:Name|Nom|Nombre|이름)\s*:\s+\S/;
const NS_DEFAULT_SERVER = /^Default Server:/;
const PS_ERROR = /^Resolve-DnsName\s*:\s*(\S+)\s*:\s*(.*)$/;
const PS_ERROR_ID = /FullyQualifiedErrorId\s*:\s*(\w+)/;
const MEASURE = /^Total(Seconds|Milliseconds)\s*:\s*(\d[\d.,]*)\s*$/;

/** Words of a Windows "*** … can't find …: Non-existent domain" line, in the locales Windows ships. */
const NX_WORDS = ['non-existent domain', 'nxdomain', 'domaine inexistant', 'domaine non existant', 'nicht vorhanden', 'existiert nicht', 'dominio no existente', 'dominio inexistente', '존재하지 않는 도메인'];
const SERVFAIL_WORDS = ['server failed', 'servfail', 'échec du serveur', 'serverfehler', 'error del servidor', '서버 오류'];
const TIMEOUT_WORDS = ['timed-out', 'timed out', 'a expiré', 'expiré', 'zeitüberschreitung', 'tiempo de espera', '시간이 초과', '시간 초과'];
const PS_NX_WORDS = ['dns name does not exist', 'nom dns inexistant', 'dns-name ist nicht vorhanden', 'el nombre dns no existe', 'dns 이름이 없습니다'];
const PS_TIMEOUT_WORDS = ['timeout period expired', 'délai d’attente', "délai d'attente", 'zeitlimit', 'tiempo de espera', '시간 제한'];

const has = (text: string, words: readonly string[]) => {
  const t = text.toLowerCase();
  return words.some((w) => t.includes(w));
};

const MAX_LOOKUPS = 10000;
/** Below this, a lookup is fast (kb: lookups-fast); above, one slow lookup is enough to say so. */
const FAST_S = 0.5;

/** Splits a command line into its commands (`a; b`, `a && b`), outside quotes and braces. */
function splitCommands(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = '';
  let depth = 0;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i];
    if (q) {
      if (ch === q) q = '';
    } else if (ch === '"' || ch === "'") q = ch;
    else if (ch === '{' || ch === '(') depth++;
    else if (ch === '}' || ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ';' || (ch === '&' && cmd[i + 1] === '&') || (ch === '|' && cmd[i + 1] === '|'))) {
      out.push(cur);
      cur = '';
      if (ch !== ';') i++;
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

function tokens(s: string): string[] {
  return s.replace(/["']/g, '').split(/\s+/).filter(Boolean);
}

function baseName(w: string): string {
  const slash = Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\'));
  return (slash >= 0 ? w.slice(slash + 1) : w).toLowerCase().replace(/\.exe$/, '');
}

/** dig's arguments (from the command line or its "; <<>> DiG … <<>> …" header): the name, and whether it is reverse. */
function digQuery(args: string[]): { query?: string; reverse: boolean; short: boolean } {
  let query: string | undefined;
  let reverse = false;
  let ptr = false;
  const short = args.some((a) => a === '+short');
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-x') {
      reverse = true;
      query = args[++i];
    } else if (/^-[tqcpbfky]$/.test(a)) {
      if (a === '-t' && /^ptr$/i.test(args[i + 1] ?? '')) ptr = true;
      i++;
    } else if (a.startsWith('-') || a.startsWith('+') || a.startsWith('@')) continue;
    else if (/^ptr$/i.test(a)) ptr = true;
    else if (/^(?:A|AAAA|MX|NS|SOA|TXT|SRV|CNAME|ANY|IN|CH)$/i.test(a)) continue;
    else query ??= a;
  }
  return { query, reverse: reverse || ptr || (query !== undefined && isReverseName(query)), short };
}

/** The lookup a command asks for, or undefined when it is no lookup. */
function lookupOf(piece: string, no: number, reduced: boolean): Piece | undefined {
  let w = tokens(piece);
  let timed = false;
  for (;;) {
    const n = baseName(w[0] ?? '');
    if (n === 'time') (timed = true), (w = w.slice(1));
    else if (n === 'sudo') w = w.slice(1);
    else break;
  }
  if (/^measure-command$/i.test(w[0] ?? '')) {
    timed = true;
    w = tokens(piece.slice(piece.indexOf('{') + 1, piece.lastIndexOf('}') > 0 ? piece.lastIndexOf('}') : undefined));
  }
  if (!w.length) return undefined;
  const name = baseName(w[0]);
  const args = w.slice(1);
  const mk = (tool: string, query: string | undefined, reverse: boolean | undefined, emptyMeansNotFound = false): Piece => ({
    kind: 'lookup',
    l: { tool, query, reverse, timed, reduced, emptyMeansNotFound, line: no, text: piece, timeoutSecs: 0, outputLines: 0, header: false, digHeader: false, timeDone: false },
  });
  const positional = (skipValue: RegExp) => {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (skipValue.test(args[i])) i++;
      else if (!args[i].startsWith('-')) out.push(args[i]);
    }
    return out;
  };
  switch (name) {
    case 'dig': {
      const d = digQuery(args);
      return mk('dig', d.query, d.reverse, d.short);
    }
    case 'nslookup': {
      const q = positional(/^$/)[0];
      if (q === undefined || q === '-') return undefined; // interactive mode
      const ptr = args.some((a) => /^-(?:type|q|querytype)=ptr$/i.test(a));
      return mk('nslookup', q, isAddress(q) || isReverseName(q) || ptr);
    }
    case 'host': {
      const q = positional(/^-[tcWRNm]$/)[0];
      return q === undefined ? undefined : mk('host', q, isAddress(q) || isReverseName(q));
    }
    case 'getent': {
      if (!/^a?hosts(?:v[46])?$/.test(args[0] ?? '')) return undefined;
      const q = args[1];
      return q === undefined ? undefined : mk('getent', q, isAddress(q), true);
    }
    case 'resolve-dnsname': {
      let q: string | undefined;
      let ptr = false;
      for (let i = 0; i < args.length; i++) {
        const a = args[i].toLowerCase();
        if (a === '-name') q = args[++i];
        else if (a === '-type') ptr = /^ptr$/i.test(args[++i] ?? '');
        else if (a === '-server' || a === '-querytimeout') i++;
        else if (!a.startsWith('-')) q ??= args[i];
      }
      return q === undefined ? undefined : mk('Resolve-DnsName', q, isAddress(q) || isReverseName(q) || ptr);
    }
    case 'bpclntcmd': {
      const i = args.findIndex((a) => a === '-hn' || a === '-ip');
      if (i < 0) return { kind: 'other', o: { tool: name, timed, timeDone: false } };
      return mk('bpclntcmd', args[i + 1], args[i] === '-ip');
    }
    default:
      return { kind: 'other', o: { tool: name, timed, timeDone: false } };
  }
}

/** Seconds of a time(1)-style line: bash "real 0m5.012s", POSIX "real 5.01", zsh "… 5.012 total", GNU "0:05.01elapsed". */
function timeFigure(text: string): { secs: number; kind: 'real' | 'part' } | undefined {
  const t = text.trim();
  const w = t.split(/\s+/);
  if (w[0] === 'real' && w.length === 2) {
    const m = /^(?:(\d+)m)?(\d+(?:[.,]\d+)?)s?$/.exec(w[1]);
    const s = m ? readNumber(m[2], 'decimal') : undefined;
    return m && s !== undefined ? { secs: Number(m[1] ?? 0) * 60 + s, kind: 'real' } : undefined;
  }
  if ((w[0] === 'user' || w[0] === 'sys') && w.length === 2 && /^(?:\d+m)?\d+(?:[.,]\d+)?s?$/.test(w[1])) return { secs: 0, kind: 'part' };
  if (w.length >= 3 && w[w.length - 1] === 'total' && /\bcpu\b/.test(t)) {
    const s = readNumber(w[w.length - 2], 'decimal');
    return s === undefined ? undefined : { secs: s, kind: 'real' };
  }
  const el = w.find((x) => x.endsWith('elapsed'));
  if (el && /user$/.test(w[0])) {
    const m = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)elapsed$/.exec(el);
    return m ? { secs: Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]), kind: 'real' } : undefined;
  }
  const ms = MEASURE.exec(t);
  if (ms) {
    const v = readNumber(ms[2], 'decimal');
    if (v === undefined) return undefined;
    return { secs: ms[1] === 'Seconds' ? v : v / 1000, kind: 'real' };
  }
  if (/^(?:Days|Hours|Minutes|Seconds|Milliseconds|Ticks|TotalDays|TotalHours|TotalMinutes)\s*:\s*[\d.,E+-]+$/.test(t)) return { secs: 0, kind: 'part' };
  return undefined;
}

function secondsOf(l: Lookup): { secs: number; at: { line: number; text: string } } | undefined {
  if (l.realSecs !== undefined && l.realAt) return { secs: l.realSecs, at: l.realAt };
  if (l.queryMs !== undefined && l.queryAt) return { secs: l.queryMs / 1000, at: l.queryAt };
  if (l.timeoutSecs > 0 && l.timeoutAt) return { secs: l.timeoutSecs, at: l.timeoutAt };
  return undefined;
}

export const dnsParser: ParserDef = {
  kind: 'dns',
  label: 'dig / nslookup / host / getent / Resolve-DnsName',
  aliases: ['dig', 'nslookup', 'getent', 'resolve-dnsname'],
  detect: [/^; <<>> DiG/, /^;; Query time:/, /^(?:Server|Serveur|Servidor):\s+\S+/, /DNS request timed out/, /^\*\* server can't find/, /^Host \S+ not found:/, /^Resolve-DnsName\s*:/],
  bigFileLiterals: ['Query time', 'timed out', 'timed-out', 'DiG', "can't find", 'not found', 'real', 'status:', 'Resolve-DnsName', 'timeout was'],
  emits: {
    'dns.lookup_ms': { type: 'number', unit: 'ms', meaning: 'the slowest lookup: its `time` figure, else dig\'s query time, else the timeouts nslookup waited out; a fast figure only when both a forward and a reverse lookup were measured' },
    'dns.timed_out': { type: 'boolean', meaning: 'a lookup timed out (false: lookups answered and none timed out)' },
    'dns.reverse_fails': { type: 'boolean', meaning: 'a reverse lookup (of an address or an in-addr.arpa name) got NXDOMAIN, SERVFAIL, no entry, or timed out; false when reverse lookups answered and none failed' },
    'dns.forward_fails': { type: 'boolean', meaning: 'a forward lookup of a name got NXDOMAIN, SERVFAIL, no entry, or timed out' },
  },
  samples: [
    {
      name: 'dig -x 9.18 on Linux, answered after 5 s',
      input: ['$ dig -x 10.0.1.9', '; <<>> DiG 9.18.24 <<>> -x 10.0.1.9', ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 40151', ';; Query time: 5004 msec', ';; SERVER: 10.0.0.53#53(10.0.0.53) (UDP)'].join('\n'),
      yields: { 'dns.lookup_ms': 5004, 'dns.reverse_fails': true, 'dns.timed_out': false },
      never: ['dns.forward_fails'],
    },
    {
      name: 'Windows nslookup of an address timing out twice (English)',
      input: ['C:\\>nslookup 10.0.1.9', 'Server:  dc01.example.com', 'Address:  10.0.0.53', '', 'DNS request timed out.', '    timeout was 2 seconds.', 'DNS request timed out.', '    timeout was 2 seconds.', '*** Request to dc01.example.com timed-out'].join('\r\n'),
      yields: { 'dns.lookup_ms': 4000, 'dns.reverse_fails': true, 'dns.timed_out': true },
    },
    {
      name: 'time getent hosts of an address: no output, 5 s (bash, German locale decimal comma)',
      input: ['[root@media01 ~]# time getent hosts 10.0.1.9', '', 'real\t0m5,012s', 'user\t0m0,001s', 'sys\t0m0,002s'].join('\n'),
      yields: { 'dns.lookup_ms': 5012, 'dns.reverse_fails': true },
    },
    {
      name: 'a timed bptestbpcd is not a lookup time',
      input: ['$ time ./bptestbpcd -host client01', '1 1 1', '', 'real\t0m10.020s', 'user\t0m0.010s', 'sys\t0m0.004s'].join('\n'),
      yields: {},
      never: ['dns.lookup_ms'],
    },
  ],
  create(ctx): Parser {
    const done: Lookup[] = [];
    let pieces: Piece[] = [];
    let at = 0;
    let orphanTimeSaid = false;
    let serverPtrSaid = false;

    const current = (): Piece | undefined => pieces[at];
    const settle = (p: Piece | undefined, atEnd: boolean) => {
      if (!p || p.kind !== 'lookup') return;
      const l = p.l;
      if (!l.outcome && l.emptyMeansNotFound && l.outputLines === 0) {
        if (l.reduced) ctx.withhold('dns lookup', `${clip(l.text, 60)}: its output is filtered, so no output does not mean not found`, l.line);
        else if (atEnd && !l.timed) ctx.withhold('dns lookup', `${clip(l.text, 60)}: nothing follows it, and the paste may end there`, l.line);
        else l.outcome = 'not_found', (l.outcomeAt = { line: l.line, text: `${l.text} (no output)` });
      }
      if (done.length < MAX_LOOKUPS) done.push(l);
    };
    const advance = () => {
      settle(pieces[at], false);
      at++;
    };
    /** The lookup output belongs to: the current command, or an implicit one for output pasted without it. */
    const lookupFor = (no: number, text: string, tool: string): Lookup => {
      let p = current();
      if (p && (p.kind === 'other' || p.l.timeDone) && at + 1 < pieces.length) {
        advance();
        p = current();
      }
      if (p && p.kind === 'lookup' && !p.l.timeDone) return p.l;
      settle(p, false);
      const l: Lookup = { tool, timed: false, reduced: false, emptyMeansNotFound: false, line: no, text, timeoutSecs: 0, outputLines: 0, header: false, digHeader: false, timeDone: false };
      pieces = [{ kind: 'lookup', l }];
      at = 0;
      return l;
    };
    const setOutcome = (l: Lookup, o: Outcome, no: number, text: string) => {
      // a timeout then an answer on a later try: the answer decides the outcome, the wait stays counted
      if (l.outcome && l.outcome !== 'timeout' && o === 'timeout') return;
      l.outcome = o;
      l.outcomeAt = { line: no, text };
    };

    /** A time figure: it belongs to the timed command it follows, lookup or not. */
    const timeLine = (no: number, t: string, tf: { secs: number; kind: 'real' | 'part' }) => {
      if (tf.kind === 'part') return;
      let p = current();
      const ownerOf = (x: Piece | undefined) => x && (x.kind === 'lookup' ? x.l : x.o);
      // "time a; time b": once a's figure is read, the next figure is b's
      while (ownerOf(p)?.timeDone && at + 1 < pieces.length) {
        advance();
        p = current();
      }
      const owner = ownerOf(p);
      if (!p || !owner || !owner.timed || owner.timeDone) {
        if (!orphanTimeSaid) ctx.withhold('name_lookup_seconds', `time figure "${clip(t, 40)}" belongs to no timed lookup in view`, no);
        orphanTimeSaid = true;
        return;
      }
      owner.timeDone = true;
      if (p.kind === 'other') {
        ctx.withhold('name_lookup_seconds', `time figure "${clip(t, 40)}" belongs to ${p.o.tool}, not to a name lookup`, no);
        return;
      }
      p.l.realSecs = tf.secs;
      p.l.realAt = { line: no, text: `${clip(p.l.text, 80)}: ${t}` };
    };

    return {
      command(no, cmd: CommandLine) {
        // zsh prints its time figure after the command's own text: "getent hosts x  0.00s user … 5.012 total"
        const zsh = timeFigure(cmd.command);
        if (zsh && / cpu \S+ total$/.test(cmd.command)) return timeLine(no, cmd.command, zsh);
        for (let i = at; i < pieces.length; i++) settle(pieces[i], false);
        const reduced = cmd.filters.length > 0 || !!cmd.truncated || !!cmd.counted || !!cmd.grouped || !!cmd.projected;
        pieces = [];
        at = 0;
        for (const s of splitCommands(cmd.command)) {
          const p = lookupOf(s, no, reduced);
          if (p) pieces.push(p);
        }
        if (cmd.timed && pieces.length === 1 && pieces[0].kind === 'lookup') pieces[0].l.timed = true;
      },
      line(no, text) {
        const t = text.trim();
        if (!t) return;
        const tf = timeFigure(t);
        if (tf) return timeLine(no, t, tf);
        let m: RegExpExecArray | null;
        if ((m = DIG_HEADER.exec(t))) {
          let l = lookupFor(no, t, 'dig');
          if (l.digHeader) {
            if (at + 1 < pieces.length) advance();
            else {
              settle(current(), false);
              pieces = [];
            }
            l = lookupFor(no, t, 'dig');
          }
          l.digHeader = true;
          l.outputLines++;
          const d = digQuery(tokens(m[1]));
          if (l.query === undefined && d.query) {
            l.query = d.query;
            l.reverse = d.reverse;
          }
          return;
        }
        const p = current();
        const l = p && p.kind === 'lookup' && !p.l.timeDone ? p.l : undefined;
        if ((m = DIG_STATUS.exec(t))) {
          const x = lookupFor(no, t, 'dig');
          x.outputLines++;
          const st = m[1];
          if (st === 'NXDOMAIN') setOutcome(x, 'nxdomain', no, t);
          else if (st === 'SERVFAIL') setOutcome(x, 'servfail', no, t);
          else if (st === 'NOERROR') setOutcome(x, 'answer', no, t);
          return;
        }
        if ((m = DIG_TIME.exec(t))) {
          const x = lookupFor(no, t, 'dig');
          x.outputLines++;
          x.queryMs = m[2] === 'usec' ? Number(m[1]) / 1000 : Number(m[1]);
          x.queryAt = { line: no, text: x.query ? `${x.query}: ${t}` : t };
          if (!x.outcome) setOutcome(x, 'answer', no, t);
          return;
        }
        if (TIMED_OUT.test(t)) {
          const x = lookupFor(no, t, l?.tool ?? 'dig');
          x.outputLines++;
          setOutcome(x, 'timeout', no, t);
          return;
        }
        if ((m = LINUX_CANT_FIND.exec(t)) || (m = HOST_NOT_FOUND.exec(t))) {
          const x = lookupFor(no, t, l?.tool ?? 'nslookup');
          x.outputLines++;
          if (x.query === undefined || x.reverse === undefined) {
            x.query ??= m[1];
            x.reverse ??= isReverseName(m[1]) || isAddress(m[1]);
          }
          setOutcome(x, m[2] === 'NXDOMAIN' ? 'nxdomain' : m[2] === 'SERVFAIL' ? 'servfail' : 'servfail', no, t);
          return;
        }
        if (PTR_ANSWER.test(t) || HOST_ANSWER.test(t)) {
          const x = lookupFor(no, t, l?.tool ?? 'nslookup');
          x.outputLines++;
          if (x.reverse === undefined && PTR_ANSWER.test(t)) x.reverse = true;
          setOutcome(x, 'answer', no, t);
          return;
        }
        if (SERVER_HEADER.test(t) || NS_DEFAULT_SERVER.test(t)) {
          const x = lookupFor(no, t, 'nslookup');
          x.outputLines++;
          x.header = true;
          return;
        }
        if (t.startsWith('*** ')) {
          const x = lookupFor(no, t, 'nslookup');
          x.outputLines++;
          if (has(t, NX_WORDS)) setOutcome(x, 'nxdomain', no, t);
          else if (has(t, SERVFAIL_WORDS)) setOutcome(x, 'servfail', no, t);
          else if (has(t, TIMEOUT_WORDS)) {
            if (x.header) setOutcome(x, 'timeout', no, t);
          }
          if (x.query === undefined) {
            const q = t.split(/\s+/).find((w) => isAddress(w.replace(/:$/, '')) || isReverseName(w.replace(/:$/, '')));
            if (q) (x.query = q.replace(/:$/, '')), (x.reverse = true);
          }
          return;
        }
        // Windows nslookup: "    timeout was 2 seconds." (fr "le délai d'attente était de 2 secondes", ko "시간 제한은 2초입니다")
        if (l?.tool === 'nslookup' || (!l && /^\s/.test(text))) {
          const secs = timeoutSeconds(t);
          if (secs !== undefined) {
            const x = lookupFor(no, t, 'nslookup');
            x.outputLines++;
            if (!x.header) {
              if (!serverPtrSaid) ctx.withhold('name_lookup_seconds', 'nslookup timed out resolving its own DNS server before the "Server:" line: not a lookup of the peer', no);
              serverPtrSaid = true;
              return;
            }
            x.timeoutSecs += secs;
            x.timeoutAt = { line: no, text: `${clip(x.text, 60)}: ${t} (${x.timeoutSecs} s so far)` };
            if (!x.outcome) setOutcome(x, 'timeout', no, t);
            return;
          }
        }
        if ((m = PS_ERROR.exec(t))) {
          const x = lookupFor(no, t, 'Resolve-DnsName');
          x.outputLines++;
          if (x.query === undefined) (x.query = m[1]), (x.reverse = isReverseName(m[1]) || isAddress(m[1]));
          if (has(m[2], PS_NX_WORDS)) setOutcome(x, 'nxdomain', no, t);
          else if (has(m[2], PS_TIMEOUT_WORDS)) setOutcome(x, 'timeout', no, t);
          return;
        }
        if ((m = PS_ERROR_ID.exec(t)) && l?.tool === 'Resolve-DnsName') {
          l.outputLines++;
          if (m[1] === 'DNS_ERROR_RCODE_NAME_ERROR') setOutcome(l, 'nxdomain', no, t);
          else if (m[1] === 'ERROR_TIMEOUT') setOutcome(l, 'timeout', no, t);
          else if (m[1] === 'DNS_ERROR_RCODE_SERVER_FAILURE') setOutcome(l, 'servfail', no, t);
          return;
        }
        if (!l) return;
        l.outputLines++;
        if (l.tool === 'getent' && !l.reduced) setOutcome(l, 'answer', no, t);
        else if (l.tool === 'dig' && l.emptyMeansNotFound && !t.startsWith(';')) setOutcome(l, 'answer', no, t);
        else if (l.tool === 'nslookup' && l.header && NAME_LINE.test(t)) setOutcome(l, 'answer', no, t);
        else if (l.tool === 'Resolve-DnsName' && /\s(?:PTR|A|AAAA|CNAME)\s+\d+\s+Answer\b/.test(t)) setOutcome(l, 'answer', no, t);
      },
      finish() {
        for (let i = at; i < pieces.length; i++) settle(pieces[i], true);
        const out: Observation[] = [];
        let slowest: { secs: number; at: { line: number; text: string } } | undefined;
        for (const l of done) {
          const s = secondsOf(l);
          if (s && (!slowest || s.secs > slowest.secs)) slowest = s;
          if (!s && l.outcome === 'timeout') ctx.withhold('name_lookup_seconds', `${clip(l.text, 60)} timed out, but the output does not say how long it waited`, l.line);
        }
        // a fast figure speaks for both lookups only when both were measured; a slow one speaks for itself
        const measured = done.filter((l) => secondsOf(l));
        const bothWays = measured.some((l) => l.reverse === true) && measured.some((l) => l.reverse === false);
        if (slowest && slowest.secs < FAST_S && !bothWays) {
          ctx.withhold('name_lookup_seconds', `only ${measured.some((l) => l.reverse) ? 'reverse' : 'forward'} lookups were measured, and fast: the other way may still be slow`, slowest.at.line);
        } else if (slowest) out.push({ key: 'dns.lookup_ms', value: Math.round(slowest.secs * 1000), ...slowest.at });
        const decided = done.filter((l) => l.outcome);
        const timeout = decided.find((l) => l.outcome === 'timeout');
        if (timeout) out.push({ key: 'dns.timed_out', value: true, ...timeout.outcomeAt! });
        else if (decided.length) out.push({ key: 'dns.timed_out', value: false, ...decided[0].outcomeAt! });
        for (const [key, rev] of [['dns.reverse_fails', true], ['dns.forward_fails', false]] as const) {
          const these = decided.filter((l) => (rev ? l.reverse === true : l.reverse === false));
          const failed = these.find((l) => l.outcome !== 'answer');
          if (failed) out.push({ key, value: true, ...failed.outcomeAt! });
          else if (these.length && rev) out.push({ key, value: false, ...these[0].outcomeAt! });
        }
        const unknownDir = decided.find((l) => l.reverse === undefined && l.outcome !== 'answer');
        if (unknownDir) ctx.withhold('reverse_lookup_fails', `cannot tell whether the failed lookup at line ${unknownDir.line} was forward or reverse`, unknownDir.line);
        return out;
      },
    };
  },
};

/** The N of "timeout was N seconds" in the locales Windows nslookup speaks, by tokens. */
function timeoutSeconds(t: string): number | undefined {
  const w = t.split(/\s+/);
  for (let i = 0; i < w.length; i++) {
    const ko = /^(\d+)초/.exec(w[i]);
    if (ko && /시간/.test(t)) return Number(ko[1]);
    if (/^\d+(?:[.,]\d+)?$/.test(w[i]) && /^(?:seconds?|secondes?|sekunden?|segundos?|secondi)\.?$/i.test(w[i + 1] ?? '')) {
      return /timeout|délai|zeitlimit|tiempo|limite|timeout/i.test(t) ? readNumber(w[i], 'decimal') : undefined;
    }
  }
  return undefined;
}
