/**
 * What a pasted terminal transcript says about itself. A line after a shell prompt (`$ `, `# `,
 * `[root@media01 ~]# `, `C:\> `, `PS C:\> `, `fw01# `), or a bare command line (`netstat -an | grep 1556`),
 * is a command, not output: it never reaches a reader's line() or a signature. It is read for context
 * instead: the host in the prompt, and what its pipeline does to the listing after it (filtered by grep or
 * findstr or a state filter, cut by head, counted by wc -l, grouped by sort | uniq -c). Admins' own notes
 * ("# job started here", "=== 02:10:01 ===") are marks: a time, or where the job started.
 */
import { canonicalState } from './vocab/tcp-states.js';
import { stampLine, type Stamp } from './time.js';

export interface Stage {
  /** Command name, lower case, without path or ".exe" (PowerShell cmdlets keep their case-folded name). */
  name: string;
  args: string[];
  text: string;
}

export interface Filter {
  /** What the filter keeps: sockets in a state, lines holding a text, a port, an address, a process… */
  by: 'state' | 'port' | 'address' | 'text' | 'expression';
  /** Canonical TCP state for by: "state". */
  state?: string;
  port?: number;
  negate?: boolean;
  /** The filter as written ("grep 1556", "state time-wait"). */
  text: string;
}

export interface CommandLine {
  /** The command after the prompt. */
  command: string;
  /** The prompt as written ("" for a bare command line). */
  prompt: string;
  host?: string;
  /** The pipeline's stages; `time` and `sudo` prefixes are taken off the first. */
  stages: Stage[];
  /** The command is timed (`time getent hosts x`, `Measure-Command { … }`). */
  timed: boolean;
  /** Filters between the command and its output (in the first stage's own arguments or later stages). */
  filters: Filter[];
  /** The listing is cut: `head`, `tail`, `Select-Object -First`. */
  truncated?: string;
  /** The output is a count of lines (`wc -l`, `find /c`, `grep -c`, `Measure-Object`). */
  counted?: string;
  /** The output is counts per value (`sort | uniq -c`, `Group-Object`). */
  grouped?: string;
  /** Only some columns are printed (`awk '{print $6}'`, `Select-Object RemoteAddress`). */
  projected?: string;
}

/** A time, a job phase, or any other admin's note (readers look there for "# after opening the port"). */
export type Mark =
  | { kind: 'time'; stamp: Stamp; text: string }
  | { kind: 'job'; phase: 'before' | 'start' | 'during' | 'end'; text: string }
  | { kind: 'note'; text: string };

/** A note with `prompt` is an empty prompt line: the output of the command before it has ended there. */
export type LineClass = { kind: 'output' } | { kind: 'command'; cmd: CommandLine; mark?: Mark } | { kind: 'note'; mark?: Mark; prompt?: true } | { kind: 'mark'; mark: Mark };

/** Commands an admin pastes with their output; a bare line starting with one of these is a command line. */
const KNOWN = new Set(
  (
    'ss netstat ping ping6 traceroute traceroute6 tracert tracepath mtr pathping tcpdump snoop tshark iperf iperf3 nc ncat netcat telnet curl wget openssl ' +
    'dig nslookup host getent time sudo watch date cat grep egrep fgrep zgrep tail head less more awk sed wc sort uniq cut tr find findstr ' +
    'getenforce setenforce sestatus ausearch audit2why audit2allow aureport semodule systemctl service journalctl dmesg lsmod modinfo modprobe rmmod ' +
    'iptables ip6tables iptables-save ip6tables-save nft firewall-cmd ufw conntrack ethtool ip ifconfig route arp sysctl ndd ipadm no lsof fuser ps top sar echo ' +
    'netsh reg ipconfig route.exe powershell pwsh cmd tasklist ' +
    'bptestbpcd bptestnetconn bpclntcmd bpgetconfig nbgetconfig bpsetconfig bpdbjobs bperror bpps vxlogview nbemmcmd bpstulist bpimagelist ' +
    'ddpconnchk avtar mccli avmaint ssh scp rsync sftp ftp amcheck amdump amrecover amstatus amreport openstack cinder nova kubectl docker'
  ).split(' '),
);
/** Commands that are often run without arguments (their line is then the command alone). */
const BARE_OK = new Set('getenforce sestatus lsmod ipconfig date hostname uptime iptables-save conntrack netstat'.split(' '));
/** Network devices: these start the command after `host#` / `host>`. */
const DEVICE_VERBS = new Set('show ping traceroute packet-tracer capture debug test diagnose get execute request net'.split(' '));

/** Splits a command into pipeline stages, honouring quotes; returns the stages' texts. */
function splitPipeline(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = '';
  let depth = 0;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i];
    if (q) {
      if (ch === q) q = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      cur += ch;
    } else if (ch === '{' || ch === '(') {
      depth++;
      cur += ch;
    } else if (ch === '}' || ch === ')') {
      depth = Math.max(0, depth - 1);
      cur += ch;
    } else if (ch === '|' && depth === 0 && cmd[i + 1] !== '|' && cmd[i - 1] !== '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Shell words of one stage (quotes removed). */
function words(stage: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = '';
  let has = false;
  for (const ch of stage) {
    if (q) {
      if (ch === q) q = '';
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

function commandName(word: string): string {
  let w = word;
  const slash = Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\'));
  if (slash >= 0) w = w.slice(slash + 1);
  w = w.toLowerCase();
  if (w.endsWith('.exe')) w = w.slice(0, -4);
  return w;
}

const PORT_ONLY = /^:?(\d{1,5})$/;
const PORT_SUFFIX = /[:.](\d{1,5})\b/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** What a grep/findstr pattern keeps. */
function patternFilter(pattern: string, negate: boolean, text: string): Filter {
  const st = canonicalState(pattern.replace(/^[\\^]+|[$\\]+$/g, ''));
  if (st) return { by: 'state', state: st, negate, text };
  const p = PORT_ONLY.exec(pattern) ?? (/^[:.]\d{1,5}$/.test(pattern) ? PORT_SUFFIX.exec(pattern) : null);
  if (p) return { by: 'port', port: Number(p[1]), negate, text };
  if (IPV4.test(pattern)) return { by: 'address', negate, text };
  return { by: 'text', negate, text };
}

const SS_STATE_WORDS = new Set(['established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'closed', 'close-wait', 'last-ack', 'listening', 'closing', 'all', 'connected', 'synchronized', 'bucket', 'big']);

/** Reads the effect of each stage on the listing into `cmd`. */
function readStages(cmd: CommandLine): void {
  cmd.stages.forEach((st, i) => {
    const a = st.args;
    const name = st.name;
    if (i === 0 && name === 'ss') {
      // ss [options] [ state STATE … ] [ FILTER ]
      for (let j = 0; j < a.length; j++) {
        if ((a[j] === 'state' || a[j] === 'exclude') && a[j + 1]) {
          const w = a[j + 1].toLowerCase();
          const stName = canonicalState(w);
          if (stName) cmd.filters.push({ by: 'state', state: stName, negate: a[j] === 'exclude', text: `${a[j]} ${a[j + 1]}` });
          else if (SS_STATE_WORDS.has(w)) cmd.filters.push({ by: 'expression', text: `${a[j]} ${a[j + 1]}` });
          j++;
        } else if (/^(?:dst|src|dport|sport|\(|\( ?dport|\( ?sport)$/.test(a[j]) || a[j].startsWith('( ') || /^[ds]port$/.test(a[j])) {
          cmd.filters.push({ by: 'expression', text: a.slice(j).join(' ') });
          break;
        }
      }
      return;
    }
    if (i === 0 && name === 'get-nettcpconnection') {
      for (let j = 0; j < a.length; j++) {
        const opt = a[j].toLowerCase();
        if (opt === '-state' && a[j + 1]) {
          const stName = canonicalState(a[j + 1].replace(/,.*$/, ''));
          cmd.filters.push(stName && !a[j + 1].includes(',') ? { by: 'state', state: stName, text: `-State ${a[j + 1]}` } : { by: 'expression', text: `-State ${a[j + 1]}` });
          j++;
        } else if (/^-(?:remoteport|localport|remoteaddress|localaddress|owningprocess)$/.test(opt)) {
          const port = /port$/.test(opt) && /^\d+$/.test(a[j + 1] ?? '') ? Number(a[j + 1]) : undefined;
          cmd.filters.push(port !== undefined ? { by: 'port', port, text: `${a[j]} ${a[j + 1]}` } : { by: 'expression', text: `${a[j]} ${a[j + 1] ?? ''}`.trim() });
          j++;
        }
      }
      return;
    }
    const grepLike = name === 'grep' || name === 'egrep' || name === 'fgrep' || name === 'zgrep' || name === 'findstr' || name === 'select-string' || name === 'sls';
    if (i === 0 && !grepLike) return;
    if (grepLike) {
      const negate = a.some((x) => x === '-v' || x === '/v' || x === '/V' || x.toLowerCase() === '-notmatch');
      const count = a.some((x) => x === '--count' || x.toLowerCase() === '/c' || (/^-[a-zA-Z]+$/.test(x) && x.includes('c')));
      // the pattern: after -e, else the first word that is not an option or an option's value
      const takesValue = new Set(['-e', '-f', '-m', '-A', '-B', '-C', '--regexp', '--file', '--max-count', '-Pattern', '-Path']);
      const patterns: string[] = [];
      for (let k = 0; k < a.length; k++) {
        if (a[k] === '-e' || a[k] === '--regexp' || a[k].toLowerCase() === '-pattern') {
          if (a[k + 1] !== undefined) patterns.push(a[k + 1]);
          k++;
        } else if (takesValue.has(a[k])) k++;
      }
      if (!patterns.length) {
        for (let k = 0; k < a.length; k++) {
          if (takesValue.has(a[k])) {
            k++;
            continue;
          }
          if (a[k].startsWith('-') || (a[k].startsWith('/') && a[k].length <= 3)) continue;
          if (a[k].toLowerCase().startsWith('/c:')) {
            patterns.push(a[k].slice(3));
            continue;
          }
          patterns.push(a[k]);
          break;
        }
      }
      for (const p of patterns) {
        const alts = name === 'findstr' && !p.includes('|') ? p.split(' ').filter(Boolean) : p.split(/\\\||\|/);
        for (const alt of alts) cmd.filters.push(patternFilter(alt.trim(), negate, `${name} ${p}`.trim()));
      }
      if (count) cmd.counted = st.text;
      return;
    }
    if (name === 'awk' || name === 'gawk') {
      const prog = a.find((x) => !x.startsWith('-')) ?? '';
      const m = /^\s*(?:\/([^/]*)\/|\$\d+\s*[=!~]=?\s*"?([^"{]*)"?)/.exec(prog);
      if (m) cmd.filters.push(patternFilter((m[1] ?? m[2] ?? '').trim(), prog.includes('!~') || prog.includes('!='), `awk ${prog}`));
      if (/print\s+\$\d/.test(prog)) cmd.projected = `awk ${prog}`;
      if (/\bNR\s*[<>]|\bexit\b/.test(prog)) cmd.truncated = `awk ${prog}`;
      if (/\+\+|count|END\s*\{/.test(prog)) cmd.grouped = `awk ${prog}`;
      return;
    }
    if (name === 'head' || name === 'tail' || name === 'more' && a.some((x) => /^\+\d+$/.test(x))) {
      if (name === 'tail' && a.some((x) => /^\+\d+$/.test(x) || x === '-n+2' || /^-n\s*\+\d$/.test(x))) return; // tail -n +2: drops the header only
      if (name !== 'more') cmd.truncated = st.text;
      return;
    }
    if (name === 'select-object' || name === 'select') {
      if (a.some((x) => /^-(?:first|last|skip)$/i.test(x))) cmd.truncated = st.text;
      else if (a.length) cmd.projected = st.text;
      return;
    }
    if (name === 'wc' && a.some((x) => x === '-l' || x === '--lines')) {
      cmd.counted = st.text;
      return;
    }
    if (name === 'find' && a.some((x) => x.toLowerCase() === '/c')) {
      cmd.counted = st.text;
      const pat = a.find((x) => x.startsWith('"') || (!x.startsWith('/') && x !== ''));
      const neg = a.some((x) => x.toLowerCase() === '/v');
      if (pat !== undefined && pat !== '' && !neg) cmd.filters.push(patternFilter(pat.replace(/"/g, ''), false, st.text));
      return;
    }
    if (name === 'find' && a.some((x) => x.startsWith('"') || /^[A-Z_]+$/.test(x))) {
      const pat = a.find((x) => !x.startsWith('/'));
      if (pat) cmd.filters.push(patternFilter(pat.replace(/"/g, ''), a.some((x) => x.toLowerCase() === '/v'), st.text));
      return;
    }
    if (name === 'measure-object' || name === 'measure') {
      cmd.counted = st.text;
      return;
    }
    if (name === 'uniq' && a.some((x) => x === '-c' || /^-[a-z]*c/.test(x))) {
      cmd.grouped = cmd.stages.slice(0, i + 1).map((s) => s.text).join(' | ');
      return;
    }
    if (name === 'group-object' || name === 'group') {
      cmd.grouped = st.text;
      return;
    }
    if (name === 'where-object' || name === 'where' || name === '?') {
      const stM = /State\s+-eq\s+['"]?(\w+)/i.exec(st.text);
      const stName = stM ? canonicalState(stM[1]) : undefined;
      cmd.filters.push(stName ? { by: 'state', state: stName, text: st.text } : { by: 'expression', text: st.text });
      return;
    }
    if (name === 'cut' || name === 'tr' || name === 'sort' || name === 'column' || name === 'format-table' || name === 'ft' || name === 'out-string' || name === 'cat' || name === 'less') return;
    if (name === 'sed' && a.some((x) => /^-n$/.test(x) || /^\d+,\d+p$/.test(x) || /^\/.*\/p$/.test(x))) cmd.truncated = st.text;
  });
}

/**
 * The pipeline inside a PowerShell count, `(Get-NetTCPConnection -State TimeWait).Count` or `@(…).Length`,
 * when the parentheses wrap the whole command; else undefined.
 */
function countedInner(command: string): string | undefined {
  const t = command.trim();
  const open = t.startsWith('@(') ? 1 : t.startsWith('(') ? 0 : -1;
  if (open < 0) return undefined;
  const lower = t.toLowerCase();
  const tail = lower.endsWith(').count') ? 7 : lower.endsWith(').length') ? 8 : 0;
  if (!tail) return undefined;
  const close = t.length - tail;
  // the parenthesis opened first must be the one closed before ".Count"
  let depth = 0;
  for (let i = open; i < close; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0) return undefined;
  }
  return depth === 1 ? t.slice(open + 1, close).trim() : undefined;
}

/** One command as written without a prompt (a part of a `;` sequence, say), read as command lines are. */
export function parseCommand(command: string): CommandLine | undefined {
  return buildCommand('', undefined, command.trim());
}

function buildCommand(prompt: string, host: string | undefined, command: string): CommandLine | undefined {
  const inner = countedInner(command);
  if (inner) {
    const cmd = buildCommand(prompt, host, inner);
    if (cmd) {
      cmd.command = command;
      cmd.counted ??= command.slice(command.lastIndexOf(')') + 1);
    }
    return cmd;
  }
  const raw = splitPipeline(command);
  if (!raw.length) return undefined;
  let timed = false;
  const stages: Stage[] = raw.map((t, i) => {
    let w = words(t);
    if (i === 0) {
      for (;;) {
        const n = commandName(w[0] ?? '');
        if (n === 'sudo' || n === 'doas') w = w.slice(1).filter((x, k) => !(k === 0 && x.startsWith('-')));
        else if (n === 'time') {
          timed = true;
          w = w.slice(1);
        } else break;
      }
      if (/^measure-command$/i.test(w[0] ?? '')) timed = true;
    }
    return { name: commandName(w[0] ?? ''), args: w.slice(1), text: t };
  });
  const cmd: CommandLine = { command, prompt, host, stages, timed, filters: [] };
  readStages(cmd);
  return cmd;
}

/** A PowerShell Verb-Noun cmdlet name. */
const CMDLET = /^[A-Z][a-z]+-[A-Z][A-Za-z]+$/;

/** `PS C:\Users\admin> cmd`, `PS> cmd` */
const PS_PROMPT = /^PS(?: [A-Za-z]:[^>]*|)> ?/;
/** `C:\Program Files\Veritas\NetBackup\bin>cmd` */
const WIN_PROMPT = /^[A-Za-z]:\\[^<>|"]*> ?/;
/** `[root@media01 ~]# `, `root@media01:~# `, `admin@dd01# `, `user@srx> ` */
const USER_HOST_PROMPT = /^\[?([A-Za-z_][\w.-]*)@([\w.-]+)(?:[: ][^\s$#%>\]]*)?\]?\s?[$#%>] ?/;
/** `bash-4.2# `, `sh-3.2$ ` */
const SHELL_PROMPT = /^(?:ba|k|z|c|tc)?sh-\d+(?:\.\d+)*[$#] ?/;
/** `media01:~ # ` (SUSE), `media01:/var/log # ` */
const SUSE_PROMPT = /^([\w.-]+):[~/][^\s#$]* [#$] /;
/** `fw01# show conn`, `fw01(config)# `, `ASA> show` */
const DEVICE_PROMPT = /^([A-Za-z][\w.-]*)(?:\([\w-]+\))?[#>] ?/;
/** `$ cmd`, `# cmd`, `% cmd`, `> cmd` */
const BARE_PROMPT = /^\s{0,4}([$#%>]) ?/;

/** Job phase named in an admin's note, if any. */
function jobPhase(text: string): 'before' | 'start' | 'during' | 'end' | undefined {
  const t = text.toLowerCase();
  // iperf and "load" mark a loaded link (for round trips under load), not the job itself
  if (!/\b(?:job|backup|replication|restore|duplication|transfer|iperf3?|load)s?\b/.test(t)) return undefined;
  if (/\bbefore\b|\bprior to\b|\bidle\b|\bno job\b/.test(t)) return 'before';
  if (/\b(?:after|once)\b.*\bstart|\bstart(?:s|ed|ing)?\b|\bbegin|\bbegan\b|\bkick(?:ed)? off|\blaunch(?:ed)?\b|\btriggered\b/.test(t)) return 'start';
  if (/\bduring\b|\bwhile\b|\brunning\b|\bin progress\b|\bunder\b/.test(t)) return 'during';
  if (/\b(?:end(?:s|ed)?|finish(?:ed|es)?|complete[ds]?|done|stopped|failed)\b/.test(t)) return 'end';
  return undefined;
}

/**
 * Windows nslookup prints its failures after three stars ("*** dc01 can't find 10.0.1.9: Non-existent domain",
 * "*** Request to UnKnown timed-out", localised alike): output, not a decoration.
 */
const NSLOOKUP_STAR_WORDS = [': ', "can't find", 'timed-out', 'timed out', 'request to', 'expir', 'nicht gefunden', 'zeitüberschreitung', '찾을 수', '시간'];
function nslookupStars(t: string): boolean {
  if (!t.startsWith('*** ') || t.charCodeAt(4) === 42 || t.endsWith('*') || jobPhase(t)) return false;
  const l = t.toLowerCase();
  return NSLOOKUP_STAR_WORDS.some((w) => l.includes(w));
}

/** A note line: an admin's comment or decoration, not tool output ("# after the job started", "--- sample 2 ---"). */
function noteText(text: string): string | undefined {
  const t = text.trimStart();
  if (t.startsWith('#') || t.startsWith('//') || t.startsWith('REM ') || t.startsWith('::')) return t.replace(/^(?:#+|\/\/|REM|::)\s?/, '');
  if (nslookupStars(t)) return undefined;
  if (/^(?:={2,}|-{3,}|\*{3,}|>{3,}|<{3,})/.test(t)) return t.replace(/^[=\-*<>\s]+|[=\-*<>\s]+$/g, '');
  if (/^\((?:[^()]{0,200})\)$/.test(t)) return t.slice(1, -1);
  if (/^(?:note|NOTE|Note)\s*:/.test(t)) return t.replace(/^\w+\s*:\s*/, '');
  return undefined;
}

/** watch(1) header: "Every 1.0s: netstat -na | grep 1556      media01: Tue Nov 24 02:10:01 2026" */
const WATCH = /^Every\s+[\d.]+s:\s/;

function markOf(note: string): Mark | undefined {
  const phase = jobPhase(note);
  if (phase) return { kind: 'job', phase, text: note };
  const st = stampLine(note);
  if (st) return { kind: 'time', stamp: st, text: note };
  return note.trim() ? { kind: 'note', text: note.trim() } : undefined;
}

/** How a line of a transcript reads: output, a command (with its context), an admin's note, or a time mark. */
export function classifyLine(text: string): LineClass {
  const c0 = text.charCodeAt(0);
  // Fast exit for the bulk of output: table rows and log lines start with a blank, a digit or a letter that
  // opens no prompt form below.
  if (text.length === 0) return { kind: 'output' };
  // A line whose first non-blank character is a digit (log lines, table rows, hops) is output, or a bare
  // time stamp when short; no prompt or command starts so.
  let f = 0;
  while (f < text.length && (text.charCodeAt(f) === 32 || text.charCodeAt(f) === 9)) f++;
  const cf = text.charCodeAt(f);
  if (cf >= 48 && cf <= 57) {
    if (text.length - f > 48) return { kind: 'output' };
    const st = stampLine(text);
    return st ? { kind: 'mark', mark: { kind: 'time', stamp: st, text: text.trim() } } : { kind: 'output' };
  }
  if (WATCH.test(text)) {
    const body = text.replace(WATCH, '');
    // the command runs up to a run of blanks, then "host: date"
    const gap = body.search(/\s{2,}/);
    const command = (gap < 0 ? body : body.slice(0, gap)).trim();
    const tail = gap < 0 ? '' : body.slice(gap).trim();
    const hm = /^([\w.-]+):\s+(.*)$/.exec(tail);
    const stamp = hm ? stampLine(hm[2]) : tail ? stampLine(tail) : undefined;
    const cmd = buildCommand('watch', hm?.[1], command);
    if (cmd) return { kind: 'command', cmd, ...(stamp ? { mark: { kind: 'time', stamp, text: tail } as Mark } : {}) };
  }
  let m: RegExpExecArray | null;
  if (c0 === 80 /* P */ && (m = PS_PROMPT.exec(text))) return commandAfter(text, m[0], undefined) ?? { kind: 'output' };
  if (((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) && text.charCodeAt(1) === 58 && (m = WIN_PROMPT.exec(text))) {
    return commandAfter(text, m[0], undefined, true) ?? { kind: 'output' };
  }
  if ((m = USER_HOST_PROMPT.exec(text))) {
    const r = commandAfter(text, m[0], m[2], true);
    if (r) return r;
  }
  if ((m = SHELL_PROMPT.exec(text)) || (m = SUSE_PROMPT.exec(text))) {
    const r = commandAfter(text, m[0], m[1], true);
    if (r) return r;
  }
  if ((m = DEVICE_PROMPT.exec(text)) && m[0].length < text.length) {
    const verb = text.slice(m[0].length).trim().split(/\s+/)[0]?.toLowerCase();
    if (verb && DEVICE_VERBS.has(verb) && /[#>]\s?$/.test(m[0])) {
      const cmd = buildCommand(m[0], m[1], text.slice(m[0].length).trim());
      if (cmd) return { kind: 'command', cmd };
    }
  }
  if ((m = BARE_PROMPT.exec(text))) {
    const ch = m[1];
    const rest = text.slice(m[0].length);
    // "$ " and "# " alone are empty prompts; a bare "#" is as often a comment line of a pasted file
    if (!rest.trim() && (ch !== '#' || text.endsWith(' '))) return { kind: 'note', prompt: true };
    const first = commandName(words(rest)[0] ?? '');
    if (ch === '$' || ch === '%' || KNOWN.has(first) || CMDLET.test(words(rest)[0] ?? '')) {
      if (ch === '$' || ch === '%' || looksLikeCommand(rest) || promptedCommand(rest)) {
        const cmd = buildCommand(m[0], undefined, rest.trim());
        if (cmd) return { kind: 'command', cmd };
      }
    }
    if (ch === '#') {
      const note = rest.trim();
      const mark = markOf(note);
      return mark ? { kind: 'note', mark } : { kind: 'note' };
    }
  }
  const note = noteText(text);
  if (note !== undefined) {
    const mark = markOf(note);
    return mark ? { kind: 'note', mark } : { kind: 'note' };
  }
  if (looksLikeCommand(text)) {
    const cmd = buildCommand('', undefined, text.trim());
    if (cmd) return { kind: 'command', cmd };
  }
  if (text.trim().length > 48) return { kind: 'output' };
  const st = stampLine(text);
  return st ? { kind: 'mark', mark: { kind: 'time', stamp: st, text: text.trim() } } : { kind: 'output' };
}

/**
 * After a `#` or `>` prompt, a known command with arguments that are hosts, paths or numbers
 * ("# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port", "# ping dd02"), not prose ("# ping works until the job starts").
 */
function promptedCommand(rest: string): boolean {
  const w = words(rest.trim());
  if (!w.length || !KNOWN.has(commandName(w[0]))) return false;
  if (w.length === 1) return true;
  if (w.length > 4) return false;
  return w.slice(1).some((x) => /[\d./:\\_=]/.test(x));
}

function commandAfter(text: string, prompt: string, host: string | undefined, needCommand = false): LineClass | undefined {
  const rest = text.slice(prompt.length).trim();
  if (!rest) return { kind: 'note', prompt: true }; // an empty prompt line
  if (needCommand && !/^[A-Za-z_./\\"'(~[]/.test(rest)) return undefined;
  const cmd = buildCommand(prompt.trimEnd(), host, rest);
  return cmd ? { kind: 'command', cmd } : undefined;
}

/**
 * A line without a prompt that is a command: a known command name followed by an option, a pipe, or (for
 * commands that take none) nothing; or a PowerShell cmdlet. Output lines that start with a command's name
 * ("traceroute to …", "PING host (…)", "tcpdump: listening on …", "iperf 3.9") are not.
 */
function looksLikeCommand(text: string): boolean {
  const t = text.trimStart();
  if (t.length !== text.length && text.length - t.length > 4) return false;
  const w = words(t);
  if (!w.length) return false;
  let k = 0;
  while (k < w.length - 1 && ['sudo', 'time', 'doas'].includes(w[k])) k++;
  const first = w[k];
  // a Verb-Noun word that opens a caption ending in a colon ("Ping-Statistik für 10.2.2.9:") or PowerShell's
  // error record ("Resolve-DnsName : … : DNS name does not exist") is output
  if (CMDLET.test(first)) return !t.trimEnd().endsWith(':') && w[k + 1] !== ':';
  const counted = countedInner(t);
  if (counted) {
    const inner = words(counted)[0] ?? '';
    if (CMDLET.test(inner) || KNOWN.has(commandName(inner))) return true;
  }
  const name = commandName(first);
  if (!KNOWN.has(name) || first !== first.toLowerCase() && !/\.exe$/i.test(first) && !['NETSTAT', 'PING', 'TRACERT', 'NSLOOKUP', 'IPCONFIG'].includes(first)) return false;
  if (first.includes('/') && !first.startsWith('/') && !first.startsWith('./')) return false;
  const next = w[k + 1];
  if (next === undefined) return BARE_OK.has(name) && t.trim() === first;
  if (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next)) return true;
  if (/^\/[a-zA-Z?]{1,3}$/.test(next)) return true; // netstat /ano is rare, but findstr /c:
  if (t.includes(' | ')) return true;
  // commands whose first argument is a host, a file or a subcommand, and whose output never starts with their name
  const ARG_OK = new Set(
    'nslookup dig getent nc ncat telnet curl cat grep egrep tail head awk sed sysctl ausearch systemctl service journalctl lsmod modinfo iptables-save ip ethtool netsh reg bptestbpcd bpclntcmd bpgetconfig nbgetconfig bpdbjobs ddpconnchk openssl ssh scp rsync tcpdump snoop mtr tracepath conntrack nft firewall-cmd watch ipadm ndd'.split(' '),
  );
  if (ARG_OK.has(name)) return !/[:=]$/.test(next) && !/^(?:to|from|version|is|was|has|not|of)$/i.test(next);
  if ((name === 'ping' || name === 'traceroute' || name === 'tracert' || name === 'iperf3' || name === 'iperf') && /^[\w.-]+$/.test(next) && w.length <= 4 && !/^\d+(?:\.\d+)?$/.test(next)) {
    // "ping media01", "tracert dd01" — but not "iperf 3.9 (cJSON …)" or "PING host (…)" (upper case, filtered above)
    return !/\(/.test(t);
  }
  return false;
}

/** Per-file transcript state: the current command, host and time, as lines go by. */
export class Transcript {
  current?: CommandLine;
  host?: string;
  time?: Stamp;
  /** The last job phase noted. */
  phase?: 'before' | 'start' | 'during' | 'end';

  /** Classifies a line and updates the state. */
  read(text: string): LineClass {
    const c = classifyLine(text);
    if (c.kind === 'command') {
      this.current = c.cmd;
      if (c.cmd.host) this.host = c.cmd.host;
    }
    const mark = c.kind === 'output' ? undefined : c.mark;
    if (mark?.kind === 'time') this.time = mark.stamp;
    if (mark?.kind === 'job') this.phase = mark.phase;
    return c;
  }
}

/** Describes how a command's pipeline reduces its listing, for "withheld" notes ("filtered by grep 1556"). */
export function describeView(cmd: CommandLine | undefined): string | undefined {
  if (!cmd) return undefined;
  const parts: string[] = [];
  if (cmd.filters.length) parts.push(`filtered by ${[...new Set(cmd.filters.map((f) => f.text))].join(', ')}`);
  if (cmd.truncated) parts.push(`cut by ${cmd.truncated}`);
  if (cmd.counted) parts.push(`counted by ${cmd.counted}`);
  if (cmd.grouped) parts.push(`grouped by ${cmd.grouped}`);
  return parts.length ? parts.join('; ') : undefined;
}
