/**
 * Counts per value: `sort | uniq -c` ("   3120 TIME_WAIT", "    812 10.20.3.41") and PowerShell's
 * Group-Object table ("Count Name Group", "  2890 TimeWait  {MSFT_NetTCPConnection …}"). What the values
 * are — TCP states, remote addresses, processes — comes from the command (Group-Object -Property) or, for
 * uniq -c, from the values themselves; header words caught by awk ("Foreign", "established)", "State")
 * are no value of any kind and are left out.
 */
import { canonicalState } from '../../vocab/tcp-states.js';

export interface GroupRow {
  n: number;
  value: string;
  line: number;
  text: string;
}

export type ValueClass = 'state' | 'address' | 'wildcard' | 'process' | 'noproc' | 'number' | 'header' | 'other';

/** Words of netstat's and ss's headers that awk picks up with the rows ("Active Internet connections (servers and established)"). */
const HEADER_WORDS = new Set(['foreign', 'local', 'address', 'address:port', 'state', 'process', 'pid/program', 'program', 'peer', 'recv-q', 'send-q', 'proto', 'netid', 'and', 'established)', 'servers)', '(servers', '(w/o', 'connections', 'name', 'users']);

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** An IPv6 address, possibly v4-mapped (hex groups, colons, a dotted tail, a zone). */
const IPV6 = /^[0-9a-f:]{2,39}(?:\.\d{1,3}){0,3}(?:%\w{1,16})?$/i;
const WILDCARDS = new Set(['*', '0.0.0.0', '::', '[::]', '*:*', '0.0.0.0:*', '[::]:*', '::0']);

export function classifyValue(v: string): ValueClass {
  if (v === '' || v === '-') return v === '-' ? 'noproc' : 'other';
  if (HEADER_WORDS.has(v.toLowerCase())) return 'header';
  if (WILDCARDS.has(v)) return 'wildcard';
  if (canonicalState(v)) return 'state';
  if (IPV4.test(v)) return 'address';
  if (v.includes(':') && IPV6.test(v) && /[0-9a-f]/i.test(v)) return 'address';
  if (v.startsWith('users:((')) return 'process';
  if (/^\d{1,7}\/\S/.test(v)) return 'process';
  if (/^\d{1,10}$/.test(v)) return 'number';
  return 'other';
}

/** The process a value names: `1234/bpbrm` (netstat -p), `users:(("bpbrm",pid=1234,fd=7))` (ss -p), a PID. */
export function processKey(v: string): string {
  if (v.startsWith('users:((')) {
    const name = /^users:\(\("([^"]{0,64})"/.exec(v)?.[1] ?? '';
    const pid = /pid=(\d{1,10})/.exec(v)?.[1] ?? '';
    return `${name}/${pid}`;
  }
  return v;
}

/**
 * A row of grouped output, or undefined: a count, then the value (Group-Object's {Group} column left off);
 * or, for awk's `print a, S[a]`, the value then the count.
 */
export function readGroupRow(text: string, valueFirst = false): { n: number; value: string } | undefined {
  const t = text.trim();
  if (valueFirst) {
    const w = t.split(/\s+/);
    return w.length === 2 && /^\d{1,12}$/.test(w[1]) && !/^\d+$/.test(w[0]) ? { n: Number(w[1]), value: w[0] } : undefined;
  }
  const sp = t.search(/\s/);
  const head = sp < 0 ? t : t.slice(0, sp);
  if (!/^\d{1,12}$/.test(head)) return undefined;
  let value = sp < 0 ? '' : t.slice(sp).trim();
  const brace = value.indexOf(' {');
  if (brace >= 0) value = value.slice(0, brace).trim();
  else if (value.startsWith('{')) value = '';
  return { n: Number(head), value };
}

/** The class most of the counted sockets fall in (header words and wildcards aside), when it is 80 % or more. */
export function dominantClass(rows: readonly GroupRow[]): ValueClass | undefined {
  const by = new Map<ValueClass, number>();
  let all = 0;
  for (const r of rows) {
    const c = classifyValue(r.value);
    if (c === 'other' || c === 'wildcard' || c === 'header') continue;
    by.set(c, (by.get(c) ?? 0) + r.n);
    all += r.n;
  }
  let best: [ValueClass, number] | undefined;
  for (const e of by) if (!best || e[1] > best[1]) best = e;
  if (!best || best[1] < 0.8 * all) return undefined;
  // a process column without process names ("-" for sockets of other users) is still a process column
  return best[0] === 'noproc' ? 'process' : best[0];
}

export interface Top {
  value: string;
  n: number;
  total: number;
  line: number;
  text: string;
}

/** The value holding the most sockets among the rows of a class, and the total of that class. */
export function topOf(rows: readonly GroupRow[], keep: (c: ValueClass) => boolean, key: (v: string) => string = (v) => v): Top | undefined {
  const sums = new Map<string, { n: number; row: GroupRow }>();
  let total = 0;
  for (const r of rows) {
    if (!keep(classifyValue(r.value))) continue;
    const k = key(r.value);
    const e = sums.get(k);
    if (e) e.n += r.n;
    else sums.set(k, { n: r.n, row: r });
    total += r.n;
  }
  let best: { k: string; n: number; row: GroupRow } | undefined;
  for (const [k, e] of sums) if (!best || e.n > best.n) best = { k, ...e };
  return best ? { value: best.k, n: best.n, total, line: best.row.line, text: best.row.text } : undefined;
}

/** Sockets per canonical state. */
export function stateCounts(rows: readonly GroupRow[]): Map<string, { n: number; row: GroupRow }> {
  const out = new Map<string, { n: number; row: GroupRow }>();
  for (const r of rows) {
    const st = canonicalState(r.value);
    if (!st) continue;
    const e = out.get(st);
    if (e) e.n += r.n;
    else out.set(st, { n: r.n, row: r });
  }
  return out;
}

/**
 * A flood from one source, read conservatively: among half-open (SYN_RECV) sockets, one address holding
 * 80 % of 200 or more; among TIME_WAIT sockets, 90 % of 1000 or more. Anything short of that is no
 * conclusion; a spread over many addresses (none holding half) of 100 or more is no flood.
 */
export function floodVerdict(state: string, top: Top): boolean | undefined {
  const share = top.n / top.total;
  if (state === 'SYN_RECV' && top.total >= 200 && share >= 0.8) return true;
  if (state === 'TIME_WAIT' && top.total >= 1000 && share >= 0.9) return true;
  if (top.total >= 100 && share < 0.5) return false;
  return undefined;
}

/** One process holding the CLOSE_WAIT sockets: 80 % of 20 or more; none holding half of them is a spread. */
export function oneProcessVerdict(top: Top): boolean | undefined {
  if (top.total < 20) return undefined;
  const share = top.n / top.total;
  if (share >= 0.8) return true;
  if (share < 0.5) return false;
  return undefined;
}
