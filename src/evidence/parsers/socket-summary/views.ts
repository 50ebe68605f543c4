/**
 * What a command line tells about the socket counts printed after it: the commands of a `;`/`&&`/`&`
 * sequence one by one, what each prints (a count, counts per value, nothing because it writes to a file or
 * a variable, …), and what a count covers — the sockets of one state on the whole host, all TCP sockets,
 * a mixed listing (udp and unix sockets too), or only part of a listing (filtered, cut) — with the header
 * lines the count includes.
 */
import { describeView, parseCommand, type CommandLine, type Filter } from '../../transcript.js';

/** What a command prints, as far as this reader cares. */
export type Output = 'count' | 'group' | 'compare' | 'comm' | 'value' | 'other' | 'none';

export interface Segment {
  cmd: CommandLine;
  output: Output;
  /** Seconds the command sleeps (`sleep 60`, `Start-Sleep -Seconds 60`, `timeout /t 60`). */
  sleep?: number;
  /** The file or `$variable` it writes its output to. */
  writes?: string;
  /** It runs in a shell loop (`while …; do …; done`): it prints once per turn. */
  repeat?: boolean;
  /** Its counts per value come from an awk program (`{++S[$NF]} END {…}`), printed value first. */
  awkGroups?: boolean;
}

/** Shell words that open the body of a loop or a branch, before the command itself. */
const BODY_WORDS = /^(?:do|then|else)\s+/;
/** A bash loop written on one line: `while …; do …; done`, `for i in …; do …; done`. */
const isLoop = (parts: readonly string[]) => /^(?:while|until|for)\s/.test(parts[0] ?? '') && parts.some((p) => p === 'done' || p.startsWith('done '));

/** The commands of a sequence (`a; b`, `a && b`, cmd.exe `a & b`), split outside quotes, braces and parentheses. */
export function splitSequence(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ';' || ch === '&' || (ch === '|' && text[i + 1] === '|'))) {
      const doubled = text[i + 1] === ch;
      // `2>&1`, `&>file` and PowerShell's call operator `& 'x.exe'` are not separators
      const redirect = ch === '&' && (text[i - 1] === '>' || text[i - 1] === '<' || text[i + 1] === '>');
      if (!redirect && (ch !== '&' || cur.trim() !== '' || doubled)) {
        if (cur.trim()) out.push(cur.trim());
        cur = '';
        if (doubled) i++;
        continue;
      }
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const SLEEP_NAMES = new Set(['sleep', 'start-sleep', 'timeout']);

/** Seconds a sleep command waits, or undefined when the command is no sleep. */
function sleepSeconds(cmd: CommandLine): number | undefined {
  const st = cmd.stages[0];
  if (!st || !SLEEP_NAMES.has(st.name)) return undefined;
  let ms = false;
  for (let i = 0; i < st.args.length; i++) {
    const a = st.args[i].toLowerCase();
    if (a === '-milliseconds' || a === '-m') ms = true;
    const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(a);
    if (!m) continue;
    const n = Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
    return ms ? n / 1000 : n;
  }
  return undefined;
}

const WRITERS = new Set(['out-file', 'set-content', 'add-content', 'export-csv', 'export-clixml']);

/** Where a command writes its output instead of printing it: `> file`, `| Out-File file`, `$x = …`. */
function writeTarget(text: string, cmd: CommandLine | undefined): string | undefined {
  const assign = /^\$([\w:]{1,64})\s{0,8}=[^=]/.exec(text);
  if (assign) return `$${assign[1]}`;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') {
      // `2>` sends errors elsewhere; `>&1` duplicates a stream
      if (text[i - 1] === '2' || text[i + 1] === '&') continue;
      const rest = text.slice(i + (text[i + 1] === '>' ? 2 : 1)).trim();
      const file = rest.split(/[\s;|&]/)[0];
      if (file) return file;
    }
  }
  for (const st of cmd?.stages ?? []) {
    if (!WRITERS.has(st.name)) continue;
    const args = st.args.filter((a) => !a.startsWith('-') || /^-(?:filepath|path|literalpath)$/i.test(a));
    const file = args.find((a) => !a.startsWith('-'));
    if (file) return file;
  }
  return undefined;
}

/** Index of the last stage that counts lines, and of the last that groups them (-1: none). */
function stageIndexes(cmd: CommandLine): { count: number; group: number } {
  let count = -1;
  let group = -1;
  cmd.stages.forEach((st, i) => {
    const a = st.args;
    if ((st.name === 'wc' && a.some((x) => x === '-l' || x === '--lines')) || st.name === 'measure-object' || st.name === 'measure') count = i;
    else if (st.name === 'find' && a.some((x) => x.toLowerCase() === '/c')) count = i;
    else if (/^(?:e|f|z)?grep$|^findstr$/.test(st.name) && a.some((x) => x === '--count' || x.toLowerCase() === '/c' || (/^-[a-zA-Z]+$/.test(x) && x.includes('c')))) count = i;
    else if ((st.name === 'uniq' && a.some((x) => /^-[a-z]*c/.test(x))) || st.name === 'group-object' || st.name === 'group') group = i;
    // awk '{++S[$NF]} END {for (a in S) print a, S[a]}': counts per value in an array, printed at the end
    else if ((st.name === 'awk' || st.name === 'gawk') && /\+\+|\+=\s*1\b/.test(st.text) && /\bEND\s*\{/.test(st.text)) group = i;
  });
  // `(…).Count` counts what the whole pipeline gives
  if (cmd.counted && count < 0) count = cmd.stages.length;
  return { count, group };
}

const VALUE_READERS = new Set(['cat', 'type', 'get-content', 'gc', 'sysctl', 'ndd', 'echo', 'printf']);

/** The commands of a command line, each with what it prints. */
export function segmentsOf(cmd: CommandLine): Segment[] {
  const parts = splitSequence(cmd.command).map((p) => p.replace(BODY_WORDS, ''));
  const loop = isLoop(parts);
  const cmds = parts.length > 1 ? parts.map((p) => ({ text: p, cmd: parseCommand(p.replace(/^\$[\w:]{1,64}\s{0,8}=(?!=)/, '')) })) : [{ text: cmd.command, cmd: writeTarget(cmd.command, cmd)?.startsWith('$') ? parseCommand(cmd.command.replace(/^\$[\w:]{1,64}\s{0,8}=(?!=)/, '')) : cmd }];
  const out: Segment[] = [];
  for (const { text, cmd: c } of cmds) {
    if (!c) continue;
    if (cmd.host) c.host ??= cmd.host;
    const sleep = sleepSeconds(c);
    if (sleep !== undefined) {
      out.push({ cmd: c, output: 'none', sleep });
      continue;
    }
    const writes = writeTarget(text, c);
    const first = c.stages[0]?.name ?? '';
    const tee = c.stages.some((s) => s.name === 'tee' || s.name === 'tee-object');
    const { count, group } = stageIndexes(c);
    let output: Output;
    if (writes && !tee) output = 'none';
    else if (first === 'compare-object' || first === 'compare') output = 'compare';
    else if (first === 'comm' && c.stages[0].args.some((a) => a === '-12')) output = count > 0 ? 'count' : 'comm';
    else if (count >= 0 && group >= 0 && count > group) output = 'other'; // counts distinct values, not sockets
    else if (count >= 0) output = 'count';
    else if (group >= 0) output = 'group';
    else if (VALUE_READERS.has(first)) output = 'value';
    else output = 'other';
    const awkGroups = output === 'group' && (c.stages[group]?.name === 'awk' || c.stages[group]?.name === 'gawk');
    out.push({ cmd: c, output, ...(writes ? { writes } : {}), ...(loop ? { repeat: true } : {}), ...(awkGroups ? { awkGroups } : {}) });
  }
  return out;
}

/** Socket listing commands whose lines are one socket each. */
const LISTERS = new Set(['netstat', 'ss', 'get-nettcpconnection']);
/** Commands that read a saved listing (`grep -c TIME_WAIT netstat.txt`, `Get-Content x | …`). */
const FILE_READERS = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'findstr', 'find', 'select-string', 'sls', 'cat', 'type', 'get-content', 'gc']);

/** Which sockets a listing holds: TCP only (both families or one), or a mix of protocols. */
export type Scope = 'tcp' | 'tcp4' | 'tcp6' | 'mixed';

export type CountView =
  | { kind: 'state'; state: string; scope: Scope; headers: number }
  | { kind: 'total'; scope: Scope; headers: number }
  | { kind: 'partial'; why: string }
  | { kind: 'unknown'; why: string }
  | { kind: 'none' };

/** Short options of a stage as one string of letters (`-tanH` → "tanH"), long options apart. */
function shortFlags(args: readonly string[]): string {
  return args.filter((a) => /^-[A-Za-z0-9]+$/.test(a)).map((a) => a.slice(1)).join('');
}

/** The protocols a lister shows: only TCP (and which families), or more. */
function listerScope(cmd: CommandLine, protocolFilter: boolean): Scope {
  const st = cmd.stages[0];
  if (st.name === 'get-nettcpconnection') return 'tcp';
  const a = st.args;
  const f = shortFlags(a);
  const long = a.map((x) => x.toLowerCase());
  const fam = (s: Scope): Scope => (s === 'mixed' ? s : /4/.test(f) ? 'tcp4' : /6/.test(f) ? 'tcp6' : s);
  if (st.name === 'ss') {
    const tcp = f.includes('t') || long.includes('--tcp') || long.some((x, i) => (x === '-a' || x === '--query') && long[i + 1] === 'tcp');
    const other = /[uwxdS0]/.test(f) || long.some((x) => ['--udp', '--unix', '--raw', '--dccp', '--sctp', '--packet'].includes(x));
    return fam(tcp && !other ? 'tcp' : protocolFilter ? 'tcp' : 'mixed');
  }
  if (st.name === 'netstat') {
    // Windows: -p tcp shows IPv4 TCP only, -p tcpv6 IPv6 only
    const p = long.findIndex((x) => x === '-p' || /^-[a-z]*p$/.test(x));
    if (p >= 0 && (long[p + 1] === 'tcp' || long[p + 1] === 'tcpv6')) return long[p + 1] === 'tcp' ? 'tcp4' : 'tcp6';
    const tcp = /t/.test(f) || long.includes('--tcp');
    const other = /[uwx]/.test(f) || long.includes('--udp') || long.includes('--unix');
    return fam(tcp && !other ? 'tcp' : protocolFilter ? 'tcp' : 'mixed');
  }
  return protocolFilter ? 'tcp' : 'mixed';
}

/** The pattern a text filter searches for: awk's /PATTERN/, else the last word (quotes, ^ and \b taken off). */
function filterPattern(text: string): string {
  const t = text.trim();
  const awk = /^g?awk\s+'?\/([^/]{0,40})\//.exec(t);
  const raw = awk ? awk[1] : (t.split(/\s+/).pop() ?? '');
  return raw.replace(/^["']|["']$/g, '').replace(/^\^|\\b|\$$/g, '').replace(/^\/c:/i, '');
}

/** A text filter that keeps TCP rows only (`grep tcp`, `grep ^tcp`, `find "TCP"`, `awk '/^tcp/ …'`). */
const isProtocolFilter = (f: Filter) => f.by === 'text' && !f.negate && filterPattern(f.text).toLowerCase() === 'tcp';
/** A negated text filter that drops header lines only (`grep -v Recv-Q`). */
const isHeaderDrop = (f: Filter) => f.by === 'text' && !!f.negate && /(?:Recv-Q|Proto|State|Local|Active|Netid)\b/i.test(f.text);

/** `tail -n +2`, `tail +2`, `tail -n+2`: prints from the second (or third…) line on. */
function tailFrom(args: readonly string[]): boolean {
  return args.some((x) => /^(?:-n)?\+[2-5]$/.test(x));
}

/** Does a stage drop the first line(s) only: `tail -n +2`, `sed 1d`, `awk 'NR>1'`? */
function dropsHeader(cmd: CommandLine): boolean {
  return cmd.stages.some((s, i) => {
    if (i === 0) return false;
    if (s.name === 'tail') return tailFrom(s.args);
    if (s.name === 'sed') return s.args.some((x) => /^1(?:,[2-4])?d$/.test(x));
    if (s.name === 'awk' || s.name === 'gawk') return /^\s*NR\s*(?:>\s*[1-4]|>=\s*[2-5])\s*$/.test(s.args.find((x) => !x.startsWith('-')) ?? '');
    return false;
  });
}

/** The cut that is not a header drop (`awk 'NR>1'` is read as a cut by the transcript). */
function realCut(cmd: CommandLine): string | undefined {
  if (!cmd.truncated) return undefined;
  if (/^(?:awk|gawk)\s+NR\s*(?:>\s*[1-3]|>=\s*[2-4])\s*$/.test(cmd.truncated.trim())) return undefined;
  return cmd.truncated;
}

/** Header lines the listing prints before its rows, when nothing in the pipeline drops them. */
function listerHeaders(cmd: CommandLine): number | undefined {
  const st = cmd.stages[0];
  if (st.name === 'get-nettcpconnection') return 0;
  const f = shortFlags(st.args);
  if (st.name === 'ss') return f.includes('H') || st.args.includes('--no-header') ? 0 : 1;
  // Linux net-tools: "Active Internet connections (…)" and the column header
  if (st.name === 'netstat' && /t/.test(f)) return 2;
  return undefined;
}

/** What a counted command counts, for the count printed after it. */
export function countView(cmd: CommandLine): CountView {
  const first = cmd.stages[0]?.name ?? '';
  if (first === 'lsof') return { kind: 'partial', why: `${cmd.command}: lsof lists a socket once for every process that holds it, so its count is not a count of sockets` };
  if (!LISTERS.has(first) && !FILE_READERS.has(first)) return { kind: 'none' };
  const lister = LISTERS.has(first);
  // a saved file is taken for a socket listing only when it is searched for a state or for tcp rows
  if (!lister && !cmd.filters.some((f) => (f.by === 'state' && !f.negate) || isProtocolFilter(f))) return { kind: 'none' };
  const cut = realCut(cmd);
  if (cut) return { kind: 'partial', why: `the listing is cut by ${cut}: the count is of the lines shown, not of the host` };
  const states = cmd.filters.filter((f) => f.by === 'state' && !f.negate);
  const others = cmd.filters.filter((f) => !(f.by === 'state' && !f.negate) && !isProtocolFilter(f) && !isHeaderDrop(f));
  const distinct = new Set(states.map((f) => f.state));
  if (others.length || distinct.size > 1) {
    return { kind: 'partial', why: `${describeView({ ...cmd, counted: undefined })}: the count is of the sockets shown, not of the host` };
  }
  const protocolFilter = cmd.filters.some(isProtocolFilter);
  const grepped = cmd.stages.some((s, i) => (i > 0 || !LISTERS.has(first)) && FILE_READERS.has(s.name) && s.name !== 'cat' && s.name !== 'type' && s.name !== 'get-content' && s.name !== 'gc');
  const scope = lister ? listerScope(cmd, protocolFilter) : protocolFilter ? 'tcp' : 'mixed';
  if (distinct.size === 1) {
    const state = [...distinct][0]!;
    // a grep for the state (or an awk test of its column) drops the header; a state filter of ss itself does not
    const fromLister = states.every((f) => f.text.startsWith('state ') || f.text.startsWith('-State'));
    let headers = 0;
    if (fromLister && !grepped && !dropsHeader(cmd)) {
      const h = listerHeaders(cmd);
      if (h === undefined) return { kind: 'unknown', why: `${cmd.command}: header lines of this listing are not known for certain` };
      headers = h;
    }
    // the state names a TCP state: the count covers TCP whatever else the listing holds
    return { kind: 'state', state, scope: scope === 'mixed' ? 'tcp' : scope, headers };
  }
  if (!lister) return protocolFilter ? { kind: 'total', scope: 'tcp', headers: 0 } : { kind: 'unknown', why: `${cmd.command}: a count of a saved file's lines, whose header lines are not known` };
  if (protocolFilter || grepped) return { kind: 'total', scope, headers: 0 };
  if (dropsHeader(cmd)) return { kind: 'total', scope, headers: 0 };
  const h = listerHeaders(cmd);
  if (h === undefined) return { kind: 'total', scope: 'mixed', headers: 0 };
  return { kind: 'total', scope, headers: h };
}

/** The view of a grouped listing: which state it is filtered to (if only by one state), or why it is partial. */
export interface GroupView {
  /** The property grouped on, when the command names it (Group-Object State, RemoteAddress, OwningProcess). */
  property?: 'state' | 'address' | 'process' | 'port' | 'other';
  state?: string;
  scope: Scope;
  /** Why the groups are not the whole host (filtered by more than one state, or by port; cut by head). */
  partial?: string;
  /** The groups themselves are cut (`sort -rn | head`): the top ones are shown, the total is not known. */
  cut?: string;
}

const GROUP_PROPERTIES: Record<string, GroupView['property']> = { state: 'state', remoteaddress: 'address', owningprocess: 'process', localport: 'port', remoteport: 'port' };

/**
 * Does the grouped column hold the owning process: the PID/Program column ($7) of `netstat -p`, or the
 * last column (users:((…))) of `ss -p`? Then even bare program names (after `cut -d/ -f2`) are processes.
 */
function processColumn(cmd: CommandLine): boolean {
  const st = cmd.stages[0];
  if (!st || (st.name !== 'netstat' && st.name !== 'ss')) return false;
  if (!/p/.test(shortFlags(st.args)) && !st.args.includes('--program') && !st.args.includes('--processes')) return false;
  const awk = cmd.stages.find((s) => s.name === 'awk' || s.name === 'gawk');
  const col = awk ? /print\s+\$(\d{1,2}|NF)\b/.exec(awk.text)?.[1] : undefined;
  if (!col) return false;
  return st.name === 'netstat' ? col === '7' || col === 'NF' : col === 'NF' || col === '6' || col === '7';
}

export function groupView(cmd: CommandLine): GroupView {
  const { group } = stageIndexes(cmd);
  const gs = cmd.stages[group];
  let property: GroupView['property'];
  if (gs && (gs.name === 'group-object' || gs.name === 'group')) {
    const a = gs.args;
    const k = a.findIndex((x) => x.toLowerCase() === '-property');
    const name = (k >= 0 ? a[k + 1] : a.find((x) => !x.startsWith('-'))) ?? '';
    property = name.includes(',') ? 'other' : (GROUP_PROPERTIES[name.toLowerCase()] ?? 'other');
  }
  if (!property && processColumn(cmd)) property = 'process';
  const protocolFilter = cmd.filters.some(isProtocolFilter);
  const first = cmd.stages[0]?.name ?? '';
  const scope = LISTERS.has(first) ? listerScope(cmd, protocolFilter) : protocolFilter ? 'tcp' : 'mixed';
  const states = cmd.filters.filter((f) => f.by === 'state' && !f.negate);
  const others = cmd.filters.filter((f) => !(f.by === 'state' && !f.negate) && !isProtocolFilter(f) && !isHeaderDrop(f));
  const distinct = new Set(states.map((f) => f.state));
  const view: GroupView = { scope, ...(property ? { property } : {}) };
  if (distinct.size === 1) view.state = [...distinct][0];
  // a cut before the grouping makes the groups partial; after it, only the smaller groups are left out
  const cutStage = cmd.stages.findIndex((s, i) => i > 0 && (s.name === 'head' || s.name === 'tail' || ((s.name === 'select-object' || s.name === 'select') && s.args.some((x) => /^-(?:first|last|skip)$/i.test(x)))));
  if (others.length || distinct.size > 1) view.partial = `${describeView({ ...cmd, grouped: undefined })}`;
  else if (cutStage >= 0 && cutStage < group) view.partial = `cut by ${cmd.stages[cutStage].text} before the grouping`;
  else if (cutStage > group && !(cmd.stages[cutStage].name === 'tail' && dropsHeader(cmd))) view.cut = cmd.stages[cutStage].text;
  return view;
}
