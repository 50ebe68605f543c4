/**
 * Connection tests an admin runs to see whether a port answers: nc (OpenBSD, macOS, traditional, busybox)
 * and nmap's ncat, telnet (Linux/Unix and Windows in English, German, French), curl -v (7.19 to 8.x),
 * PowerShell Test-NetConnection (any locale: the property names stay English, the warning prefix is
 * localised), bash's /dev/tcp with `echo $?` or `&& echo open || echo closed`, ssh -v, and NetBackup's
 * bptestbpcd. Each result belongs to the command before it (host and port from its command line when the
 * output does not name them). Concludes, from tests run before any fix the admin notes: how the failing
 * port fails (refused at once, times out, connects then closed), which one of several ports tested against
 * the same host fails, and, from a test a host runs against itself, whether the service listens there.
 */
import type { CommandLine, Mark } from '../transcript.js';
import { connectError } from '../vocab/connect-errors.js';
import { blockedPortValue, fixPhase, isBackupServicePort, isProductPort, portNumber } from '../vocab/service-ports.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

type Outcome = 'connects' | 'connects_then_closed' | 'refused' | 'times_out' | 'unreachable' | 'failed';

interface Result {
  host?: string;
  port?: number;
  outcome: Outcome;
  line: number;
  text: string;
  source?: string;
  after: boolean;
  tool: string;
}

/** One test command and what its output said so far. */
interface Test {
  no: number;
  tool: string;
  host?: string;
  /** Ports the command names; more than one (or a loop variable) means each result must name its own. */
  ports: number[];
  loop: boolean;
  source?: string;
  after: boolean;
  quiet: boolean;
  /** `&& echo open || echo closed`: what is printed on success and on failure (may hold the loop's $p). */
  okEcho?: string;
  failEcho?: string;
  /** `; echo $?` or `; echo "$p $?"`: the exit status printed after the test. */
  exitEcho?: string;
  /** Per port (or "?"), the result so far. */
  results: Map<string, Result>;
  /** The last output line was telnet's "Escape character is '^]'." */
  escaped: boolean;
  connected: boolean;
}

/** What the tests from one source against one host and port got. */
interface Target {
  source?: string;
  host?: string;
  port: number;
  outcome: Outcome | 'mixed';
  result: Result;
}

/** A Test-NetConnection record being read. */
interface NetConnection {
  computer?: string;
  address?: string;
  port?: number;
  line: number;
}

const TOOLS = new Set(['nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional', 'telnet', 'curl', 'ssh', 'test-netconnection', 'tnc', 'bptestbpcd']);
const NC_VALUE_OPTS = new Set(['-w', '-i', '-s', '-p', '-x', '-X', '-W', '-T', '-I', '-O', '-q', '-e', '-c', '-P', '-g', '-G', '-m', '-M', '-V', '--wait', '--sh-exec', '--exec', '--proxy', '--proxy-type', '-o', '--output', '-d', '--delay', '--source', '--source-port']);
const SSH_VALUE_OPTS = new Set(['-p', '-i', '-l', '-o', '-F', '-b', '-c', '-D', '-E', '-e', '-I', '-J', '-L', '-m', '-O', '-Q', '-R', '-S', '-W', '-w']);
const COMMON_TCP: Record<string, number> = { smb: 445, http: 80, rdp: 3389, winrm: 5985 };
const SCHEME_PORTS: Record<string, number> = { http: 80, https: 443, telnet: 23, ftp: 21, ldap: 389, ldaps: 636, smb: 445 };
const TNC_PROPS = new Set(['ComputerName', 'RemoteAddress', 'RemotePort', 'TcpTestSucceeded', 'InterfaceAlias', 'SourceAddress', 'PingSucceeded', 'NameResolutionResults', 'NameResolutionSucceeded']);
/** Tests followed per file; a longer paste is read up to here. */
const MAX_TESTS = 200_000;
const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

const lowerHost = (h: string) => h.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
const label = (h: string) => (/^\d+(?:\.\d+){3}$/.test(h) || h.includes(':') ? h : h.split('.')[0]);
const isVariable = (w: string) => /^(?:\$\w+|\$\{\w+\}|\$_|%%?\w+)$/.test(w);

/** Positional words of a stage, skipping options and their values. */
function positionals(args: string[], valueOpts: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') continue;
    if (a.startsWith('-') && a.length > 1) {
      if (valueOpts.has(a)) i++;
      continue;
    }
    out.push(a.replace(/;$/, ''));
  }
  return out;
}

/** Ports in "1556", "22 111 2049", "1550-1560" (a range is left to the output, which names each port). */
function portsOf(words: string[]): { ports: number[]; loop: boolean } {
  const ports: number[] = [];
  let loop = false;
  for (const w of words) {
    if (isVariable(w) || /^\d+-\d+$/.test(w)) loop = true;
    else {
      const p = portNumber(w);
      if (p !== undefined) ports.push(p);
    }
  }
  return { ports, loop };
}

/** The list a shell or cmd loop runs over: "for p in 22 111 2049; do …", "for %p in (1556 13724) do …", "1556,13724 | % {…}". */
function loopList(cmd: CommandLine): number[] | undefined {
  const first = cmd.stages[0];
  if (first.name === 'for') {
    const a = first.args;
    const k = a.indexOf('in');
    if (k < 0) return undefined;
    const list: number[] = [];
    for (const w of a.slice(k + 1)) {
      const end = w.endsWith(';') || w.endsWith(')');
      const p = portNumber(w.replace(/[();]/g, ''));
      if (p !== undefined) list.push(p);
      if (end || w === 'do') break;
    }
    return list;
  }
  if (cmd.stages.length > 1 && /^\d+(?:,\s*\d+)+$/.test(first.text.trim())) return first.text.split(',').map((x) => Number(x.trim()));
  return undefined;
}

/** The test tool inside a command: the first stage, or the body of a loop or a ForEach block. */
function findTool(cmd: CommandLine): { tool: string; args: string[] } | undefined {
  for (const st of cmd.stages) {
    if (TOOLS.has(st.name)) return { tool: st.name, args: st.args };
    const words = [st.name, ...st.args];
    for (let i = 0; i < words.length; i++) {
      const w = words[i].toLowerCase().replace(/^.*[/\\]/, '').replace(/\.exe$/, '');
      if (TOOLS.has(w)) {
        const rest: string[] = [];
        for (const x of words.slice(i + 1)) {
          if (x === 'done' || x === '}' || x.startsWith('done')) break;
          rest.push(x);
          if (x.endsWith(';')) break;
        }
        return { tool: w, args: rest };
      }
    }
  }
  return undefined;
}

function testOf(no: number, cmd: CommandLine, source: string | undefined, after: boolean): Test | undefined {
  const text = cmd.command;
  const base = { no, source, after, quiet: false, results: new Map<string, Result>(), escaped: false, connected: false };
  const devTcp = /\/dev\/tcp\/([^/\s'"]+)\/(\d{1,5}|\$\{?\w+\}?)/.exec(text);
  if (devTcp) {
    const list = loopList(cmd);
    const variable = devTcp[2].startsWith('$');
    const echoes = echoesOf(text);
    return {
      ...base,
      tool: 'bash /dev/tcp',
      host: lowerHost(devTcp[1]),
      ports: variable ? (list ?? []) : [Number(devTcp[2])],
      loop: variable,
      ...echoes,
    };
  }
  const found = findTool(cmd);
  if (!found) return undefined;
  const { tool, args } = found;
  const list = loopList(cmd);
  if (tool === 'nc' || tool === 'ncat' || tool === 'netcat' || tool === 'nc.openbsd' || tool === 'nc.traditional') {
    const pos = positionals(args, NC_VALUE_OPTS);
    if (args.some((a) => /^-[a-zA-Z]*l/.test(a) || a === '--listen')) return undefined; // a listener, not a test
    const { ports, loop } = portsOf(pos.slice(1));
    const udp = args.some((a) => /^-[a-zA-Z]*u/.test(a) || a === '--udp');
    return { ...base, tool: udp ? `${tool} -u` : tool, host: pos[0] ? lowerHost(pos[0]) : undefined, ports: list ?? ports, loop: loop || (list?.length ?? 0) > 1 };
  }
  if (tool === 'telnet') {
    const pos = positionals(args, new Set(['-l', '-n', '-b', '-e', '-X']));
    const { ports, loop } = portsOf(pos.slice(1, 2));
    return { ...base, tool, host: pos[0] ? lowerHost(pos[0]) : undefined, ports: list ?? (pos.length > 1 ? ports : [23]), loop: loop || (list?.length ?? 0) > 1 };
  }
  if (tool === 'curl') {
    const url = args.find((a) => a.includes('://')) ?? positionals(args, new Set(['-o', '-m', '-u', '-H', '-d', '-X', '-x', '-w', '--connect-timeout', '--max-time', '-A', '-e', '--data', '--header', '--output', '--resolve', '--interface'])).find((a) => !a.startsWith('-'));
    if (!url) return undefined;
    const m = /^(?:(\w+):\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\w+))?/.exec(url);
    if (!m) return undefined;
    const port = m[3] ? portNumber(m[3]) : SCHEME_PORTS[(m[1] ?? 'http').toLowerCase()];
    const loop = (list?.length ?? 0) > 1 || url.includes('$');
    return { ...base, tool, host: lowerHost(m[2]), ports: list ?? (port && !loop ? [port] : []), loop };
  }
  if (tool === 'ssh') {
    const pos = positionals(args, SSH_VALUE_OPTS);
    const k = args.indexOf('-p');
    const port = k >= 0 ? portNumber(args[k + 1] ?? '') : 22;
    const target = pos[0]?.replace(/^[^@]*@/, '');
    return { ...base, tool, host: target ? lowerHost(target) : undefined, ports: port ? [port] : [], loop: false };
  }
  if (tool === 'test-netconnection' || tool === 'tnc') {
    let host: string | undefined;
    let port: number | undefined;
    let quiet = false;
    let loop = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i].toLowerCase();
      if (a === '-computername' || a === '-cn' || a === '-remoteaddress') host = args[++i];
      else if (a === '-port' || a === '-remoteport') {
        const v = args[++i] ?? '';
        if (isVariable(v)) loop = true;
        else port = portNumber(v);
      } else if (a === '-commontcpport') port = COMMON_TCP[(args[++i] ?? '').toLowerCase()];
      else if (a === '-informationlevel') quiet = (args[++i] ?? '').toLowerCase() === 'quiet';
      else if (!a.startsWith('-') && host === undefined && a !== '}' && a !== '{') host = args[i];
    }
    return { ...base, tool: 'Test-NetConnection', host: host && !isVariable(host) ? lowerHost(host) : undefined, ports: list ?? (port ? [port] : []), loop: loop || (list?.length ?? 0) > 1, quiet };
  }
  if (tool === 'bptestbpcd') {
    const k = args.findIndex((a) => a === '-client' || a === '-host');
    return { ...base, tool, host: k >= 0 && args[k + 1] ? lowerHost(args[k + 1]) : undefined, ports: [], loop: true };
  }
  return undefined;
}

/** The echo commands after a test: `&& echo OK || echo FAIL`, `; echo $?`, `; echo "$p $?"`. */
function echoesOf(text: string): { okEcho?: string; failEcho?: string; exitEcho?: string } {
  const out: { okEcho?: string; failEcho?: string; exitEcho?: string } = {};
  // split at ; && || outside quotes, remembering the operator before each part
  let q = '';
  let op = '';
  let cur = '';
  const parts: { op: string; text: string }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === q) q = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      cur += ch;
    } else if (ch === ';' || ((ch === '&' || ch === '|') && text[i + 1] === ch)) {
      parts.push({ op, text: cur.trim() });
      op = ch === ';' ? ';' : ch + ch;
      if (ch !== ';') i++;
      cur = '';
    } else cur += ch;
  }
  parts.push({ op, text: cur.trim() });
  for (const p of parts) {
    if (!p.text.startsWith('echo ')) continue;
    const said = p.text.slice(5).trim().replace(/^(["'])(.*)\1$/, '$2');
    if (said.includes('$?')) out.exitEcho ??= said;
    else if (p.op === '&&') out.okEcho ??= said;
    else if (p.op === '||') out.failEcho ??= said;
  }
  return out;
}

/** A printed line against an echo template: the same words, the loop variable giving the port and $? the status. */
function echoed(template: string, line: string): { port?: number; code?: number } | undefined {
  const tw = template.split(/\s+/);
  const lw = line.split(/\s+/);
  if (tw.length !== lw.length || tw.length > 8) return undefined;
  const got: { port?: number; code?: number } = {};
  for (let i = 0; i < tw.length; i++) {
    const t = tw[i];
    const l = lw[i];
    const tail = /[:,=]$/.test(t) ? t.slice(-1) : '';
    const core = tail ? t.slice(0, -1) : t;
    const value = tail && l.endsWith(tail) ? l.slice(0, -1) : l;
    if (core === '$?') {
      if (!/^\d{1,3}$/.test(value)) return undefined;
      got.code = Number(value);
    } else if (/^\$\{?\w+\}?$/.test(core)) {
      const p = portNumber(value);
      if (p === undefined) return undefined;
      got.port = p;
    } else if (t !== l) return undefined;
  }
  return got;
}

/** "10.1.0.9:1556", "[2001:db8::9]:1556" → host and port. */
function endpoint(s: string): { host: string; port: number } | undefined {
  const k = s.lastIndexOf(':');
  if (k <= 0 || !/^\d{1,5}$/.test(s.slice(k + 1))) return undefined;
  const host = s.slice(0, k).replace(/^\[|\]$/g, '');
  return /^[\w.:-]+$/.test(host) ? { host, port: Number(s.slice(k + 1)) } : undefined;
}

/** Later, more specific results win; a bare "failed" does not hide the reason an earlier line gave. */
function mergeOutcome(prev: Outcome | undefined, next: Outcome): Outcome {
  if (!prev) return next;
  if (next === 'failed' && prev !== 'connects' && prev !== 'connects_then_closed') return prev;
  if (next === 'connects' && prev === 'connects_then_closed') return prev;
  return next;
}

const FACT_OUTCOME: Partial<Record<Outcome, string>> = { refused: 'refused_at_once', times_out: 'times_out', connects_then_closed: 'connects_then_closed', connects: 'connects' };
const FAILED = new Set<Outcome | 'mixed'>(['refused', 'times_out', 'unreachable', 'failed']);

export const connectTestParser: ParserDef = {
  kind: 'connect-test',
  label: 'port connection tests (nc, telnet, curl, Test-NetConnection, /dev/tcp, ssh)',
  aliases: ['nc', 'telnet', 'test-netconnection', 'port-test'],
  detect: [
    /^Connection to \S+ (?:\(\S+\) )?(?:\d+ port|port \d+) \[/,
    /^nc: connectx? to \S+ /,
    /^Ncat: (?:Connected to|Connection refused|TIMEOUT|Connection timed out|Version)/,
    /^Trying [\d.:a-fA-F]+\.\.\.$/,
    /^Escape character is /,
    /^TcpTestSucceeded\s*:/,
    /TCP connect to \([^)]{0,80}\) failed/,
    /Could not open connection to the host/,
    /^\*\s+(?:Trying|Connected to|connect to|Failed to connect)\b/,
    /^curl: \((?:7|28)\)/,
    /^ssh: connect to host /,
    /^telnet: (?:Unable to connect|connect to address)/,
    /\bon port \d{1,5}: Connect failed|\bauf Port \d{1,5}:|\bsur le port \d{1,5}\s?:/,
    /^debug1: Connecting to \S+ \[[\d.:a-fA-F]+\] port \d+\.$/,
    /\/dev\/tcp\/[^/\s]+\/\S/,
    /^\S+ -> \S+$/,
    /[\s/\\](?:bptestbpcd|Test-NetConnection|tnc)\s+-?\w/i,
  ],
  emits: {
    'connect.tests': { type: 'number', meaning: 'connection test results read (before any fix the admin notes)' },
    'connect.result.*': { type: 'string', values: ['connects', 'connects_then_closed', 'refused', 'times_out', 'unreachable', 'failed', 'mixed'], meaning: 'what tests of the port named by the suffix got, from the host that starts the connection' },
    'connect.outcome': { type: 'string', values: ['refused_at_once', 'times_out', 'connects_then_closed', 'connects'], meaning: 'how the failing port fails (or "connects" when every tested backup port connects)' },
    'connect.failed_port': { type: 'number', meaning: 'the one port whose tests fail' },
    'connect.blocked_port': {
      type: 'string',
      values: ['none_all_connect', 'pbx_1556', 'vnetd_13724', 'bpcd_13782', 'rpc_111', 'nfs_2049', 'ddboost_2051', 'ssh_22', 'amanda_10080', 'amindexd_10082', 'amidxtaped_10083', 'other'],
      meaning: 'of several ports tested against the same host, the one that fails (none_all_connect: every one connects)',
    },
    'connect.self_test.*': { type: 'string', values: ['connects', 'refused'], meaning: 'a host testing the port named by the suffix on its own name (not loopback): something listens there, or nothing does' },
  },
  samples: [
    {
      name: 'OpenBSD nc in a loop against a Data Domain: 22 and 111 connect, 2049 times out',
      input: [
        '[root@ave01 ~]# for p in 22 111 2049; do nc -zv -w 5 dd02 $p; done',
        'Connection to dd02 22 port [tcp/ssh] succeeded!',
        'Connection to dd02 111 port [tcp/sunrpc] succeeded!',
        'nc: connect to dd02 port 2049 (tcp) timed out: Operation now in progress',
      ].join('\n'),
      yields: { 'connect.outcome': 'times_out', 'connect.blocked_port': 'nfs_2049', 'connect.failed_port': 2049, 'connect.result.111': 'connects' },
    },
    {
      name: 'telnet to PBX refused (Linux netkit telnet)',
      input: ['$ telnet client01 1556', 'Trying 10.1.0.9...', 'telnet: connect to address 10.1.0.9: Connection refused', 'telnet: Unable to connect to remote host: Connection refused'].join('\n'),
      yields: { 'connect.outcome': 'refused_at_once', 'connect.result.1556': 'refused' },
      never: ['connect.blocked_port'],
    },
    {
      name: 'Test-NetConnection in a German Windows: warning localised, properties in English',
      input: [
        'PS C:\\Users\\admin> Test-NetConnection client01 -Port 1556',
        'WARNUNG: TCP connect to (10.1.0.9 : 1556) failed',
        '',
        'ComputerName           : client01',
        'RemoteAddress          : 10.1.0.9',
        'RemotePort             : 1556',
        'InterfaceAlias         : Ethernet0',
        'SourceAddress          : 10.1.0.7',
        'PingSucceeded          : True',
        'PingReplyDetails (RTT) : 0 ms',
        'TcpTestSucceeded       : False',
      ].join('\n'),
      yields: { 'connect.result.1556': 'failed', 'connect.failed_port': 1556 },
      never: ['connect.outcome', 'connect.blocked_port'],
    },
    {
      name: 'bash /dev/tcp with timeout and echo $?: 124 is a timeout',
      input: ["$ timeout 5 bash -c '</dev/tcp/client01/13724'; echo $?", '124'].join('\n'),
      yields: { 'connect.outcome': 'times_out', 'connect.result.13724': 'times_out' },
    },
    {
      name: 'a test on the host itself: nfs01 reaches its own NFS port',
      input: ['[root@nfs01 ~]# nc -zv nfs01 2049', 'Connection to nfs01 (10.2.0.5) 2049 port [tcp/nfs] succeeded!'].join('\n'),
      yields: { 'connect.self_test.2049': 'connects' },
      never: ['connect.outcome', 'connect.blocked_port', 'connect.result.'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new ConnectTestReader(ctx);
  },
};

class ConnectTestReader implements Parser {
  private readonly tests: Test[] = [];
  private cur?: Test;
  private host?: string;
  private after = false;
  private tnc?: NetConnection;
  private readonly tncWarned = new Set<number>();

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    if (cmd.host) this.host = cmd.host;
    this.tnc = undefined;
    // `echo $?` right after a test prints that test's exit status
    if (this.cur && /^echo\s+["']?\$\?["']?$/.test(cmd.command.trim())) {
      this.cur.exitEcho = '$?';
      return;
    }
    const t = this.tests.length < MAX_TESTS ? testOf(no, cmd, cmd.host ?? this.host, this.after) : undefined;
    this.cur = t;
    if (t) this.tests.push(t);
  }

  mark(_no: number, mark: Mark): void {
    if (mark.kind !== 'note') return;
    const phase = fixPhase(mark.text);
    if (phase) this.after = phase === 'after';
  }

  /** Records a result for the current test (or a test of its own when the output names host and port). */
  private result(no: number, text: string, outcome: Outcome, host?: string, port?: number): void {
    let t = this.cur;
    if (!t) {
      // output pasted without its command counts only when it names its port; it stands alone
      if (port === undefined || this.tests.length >= MAX_TESTS) return;
      t = { no, tool: 'unknown', host, ports: [port], loop: false, source: this.host, after: this.after, quiet: false, results: new Map(), escaped: false, connected: false };
      this.tests.push(t);
    }
    const p = port ?? (!t.loop && t.ports.length === 1 ? t.ports[0] : undefined);
    if (p === undefined) {
      this.ctx.withhold('connect.result', `"${clip(text, 80)}" does not name its port, and the command tests several`, no);
      return;
    }
    const k = String(p);
    const prev = t.results.get(k);
    const merged = mergeOutcome(prev?.outcome, outcome);
    t.results.set(k, { host: host ?? t.host, port: p, outcome: merged, line: merged === prev?.outcome ? prev.line : no, text: merged === prev?.outcome ? prev.text : text, source: t.source, after: t.after, tool: t.tool });
    if (outcome === 'connects') t.connected = true;
  }

  line(no: number, raw: string): void {
    const text = raw.trim();
    const t = this.cur;
    const wasEscaped = t?.escaped ?? false;
    if (t) t.escaped = false;
    if (!text) return;
    if (this.netConnection(no, text)) return;
    if (this.nc(no, text)) return;
    if (this.telnet(no, text, wasEscaped)) return;
    if (this.curl(no, text)) return;
    if (this.ssh(no, text)) return;
    if (this.devTcp(no, text)) return;
    this.bptestbpcd(no, text);
  }

  private failure(no: number, text: string, reason: string, host?: string, port?: number): void {
    const e = connectError(reason);
    this.result(no, text, e ?? 'failed', host, port);
  }

  private nc(no: number, text: string): boolean {
    const w = text.split(/\s+/);
    // OpenBSD: "Connection to dd02 22 port [tcp/ssh] succeeded!"; macOS: "Connection to dd02 port 22 [tcp/ssh] succeeded!"
    if (w[0] === 'Connection' && w[1] === 'to' && text.endsWith('succeeded!') && w.length <= 9) {
      const k = w.indexOf('port');
      const port = portNumber(w[k - 1] ?? '') ?? portNumber(w[k + 1] ?? '');
      if (k < 0 || port === undefined) return false;
      if (text.includes('[udp/')) {
        this.ctx.withhold('connect.result', 'nc -u always reports UDP ports as reachable: not a test', no);
        return true;
      }
      this.result(no, text, 'connects', lowerHost(w[2]), port);
      return true;
    }
    // "nc: connect to dd02 port 2049 (tcp) failed: Connection refused", "… (tcp) timed out: Operation now in progress"
    if (w[0] === 'nc:' && (w[1] === 'connect' || w[1] === 'connectx') && w[2] === 'to') {
      const k = w.indexOf('port');
      const port = k > 0 ? portNumber(w[k + 1] ?? '') : undefined;
      if (w[k + 2] === '(udp)') return true;
      const colon = text.indexOf(': ', 4);
      this.failure(no, text, colon > 0 ? text.slice(colon + 2) + (/\btimed out:/.test(text) ? ' timed out' : '') : text, lowerHost(w[3]), port);
      return true;
    }
    // busybox: "nc: can't connect to remote host (10.1.0.9): Connection refused"
    if (text.startsWith("nc: can't connect to remote host")) {
      this.failure(no, text, text.slice(text.lastIndexOf(':') + 1));
      return true;
    }
    // traditional netcat -v: "client01 [10.1.0.9] 1556 (?) open", "… (?) : Connection refused"
    const m = /^(\S+) \[([\d.:a-fA-F]+)\] (\d{1,5}) \(([^)]{0,40})\) (.{1,200})$/.exec(text);
    if (m) {
      const port = Number(m[3]);
      if (m[5] === 'open') this.result(no, text, 'connects', lowerHost(m[1] === '(UNKNOWN)' ? m[2] : m[1]), port);
      else this.failure(no, text, m[5], lowerHost(m[1] === '(UNKNOWN)' ? m[2] : m[1]), port);
      return true;
    }
    if (text.startsWith('Ncat: ')) {
      const msg = text.slice(6);
      const to = msg.startsWith('Connected to ') ? endpoint(msg.slice(13).replace(/\.$/, '')) : undefined;
      if (to) this.result(no, text, 'connects', undefined, to.port);
      else if (/^(?:Connection reset by peer|Broken pipe)/.test(msg) && this.cur?.connected) this.result(no, text, 'connects_then_closed');
      else if (/^TIMEOUT\.?$/.test(msg)) this.result(no, text, 'times_out');
      else if (/^(?:Version|\d+ bytes sent|Could not resolve|Unable to|Connection to .* failed)/.test(msg) === false && connectError(msg)) this.failure(no, text, msg);
      return true;
    }
    return false;
  }

  private telnet(no: number, text: string, wasEscaped: boolean): boolean {
    if (text === "Escape character is '^]'.") {
      if (this.cur) this.cur.escaped = true;
      return true;
    }
    if (/^Connected to \S+\.$/.test(text) && this.cur?.tool === 'telnet') {
      this.result(no, text, 'connects');
      return true;
    }
    if (text === 'Connection closed by foreign host.') {
      // closed before anything was typed or printed: the server hangs up at once
      if (wasEscaped && this.cur?.connected) this.result(no, text, 'connects_then_closed');
      return true;
    }
    if (text.startsWith('telnet: connect to address ') || text.startsWith('telnet: Unable to connect to remote host')) {
      this.failure(no, text, text.slice(text.lastIndexOf(':') + 1));
      return true;
    }
    // Windows telnet: "Connecting To client01...Could not open connection to the host, on port 1556: Connect failed"
    if (text.includes('...')) {
      const m = /\b(?:on port|auf Port|sur le port|en el puerto|na porta|sulla porta)\s+(\d{1,5})\s*:/i.exec(text);
      if (m) {
        this.result(no, text, 'failed', undefined, Number(m[1]));
        return true;
      }
    }
    return false;
  }

  private curl(no: number, text: string): boolean {
    let msg: string;
    if (text.startsWith('* ')) msg = text.slice(2).trim();
    else if (text.startsWith('curl: (')) msg = text.slice(text.indexOf(')') + 1).trim();
    else return false;
    if (this.cur && this.cur.tool !== 'curl' && this.cur.tool !== 'unknown') return false;
    let m: RegExpExecArray | null;
    if ((m = /^Connected to (\S+) \(([^)]*)\) port (\d{1,5})/.exec(msg))) this.result(no, text, 'connects', lowerHost(m[1]), Number(m[3]));
    else if ((m = /^connect to (\S+) port (\d{1,5})(?: from \S+ port \d+)? failed: (.{1,120})$/.exec(msg))) this.failure(no, text, m[3], undefined, Number(m[2]));
    else if ((m = /^Failed to connect to (\S+) port (\d{1,5})(?: after \d+ ms)?: (.{1,120})$/.exec(msg))) this.failure(no, text, m[3], lowerHost(m[1]), Number(m[2]));
    else if ((m = /^Failed connect to ([^:\s]+):(\d{1,5}); (.{1,120})$/.exec(msg))) this.failure(no, text, m[3], lowerHost(m[1]), Number(m[2]));
    else if (/^Connection timed out after \d+ milliseconds/.test(msg) || /^(?:Connection|connect\(\)) timed out/.test(msg)) this.result(no, text, 'times_out');
    else if (/^couldn't connect to host/i.test(msg)) this.result(no, text, 'failed');
    else if (/^(?:Recv failure: Connection reset by peer|Empty reply from server)/.test(msg) && this.cur?.connected) this.result(no, text, 'connects_then_closed');
    return true;
  }

  private ssh(no: number, text: string): boolean {
    let m: RegExpExecArray | null;
    if ((m = /^ssh: connect to host (\S+) port (\d{1,5}): (.{1,120})$/.exec(text))) {
      this.failure(no, text, m[3], lowerHost(m[1]), Number(m[2]));
      return true;
    }
    if (this.cur?.tool !== 'ssh') return false;
    if (text === 'debug1: Connection established.') {
      this.result(no, text, 'connects');
      return true;
    }
    if (/^(?:Connection closed by \S+ port \d+|Connection reset by \S+ port \d+|(?:kex|ssh)_exchange_identification: (?:read: Connection reset by peer|Connection closed by remote host))$/.test(text)) {
      if (this.cur.connected) this.result(no, text, 'connects_then_closed');
      return true;
    }
    return false;
  }

  private devTcp(no: number, text: string): boolean {
    const t = this.cur;
    if (!t || t.tool !== 'bash /dev/tcp') return false;
    const m = /^-?bash: (?:line \d+: )?(?:connect|\/dev\/tcp\/[^/\s]+\/(\d{1,5})): /.exec(text);
    if (m) {
      this.failure(no, text, text.slice(text.lastIndexOf(':') + 1), undefined, m[1] ? Number(m[1]) : undefined);
      return true;
    }
    const exit = t.exitEcho ? echoed(t.exitEcho, text) : undefined;
    if (exit?.code !== undefined) {
      // timeout(1) exits 124 when it had to kill the attempt; a refused /dev/tcp exits 1
      const code = exit.code;
      const port = exit.port;
      if (code === 0) this.result(no, text, 'connects', undefined, port);
      else if (code === 124) this.result(no, `${text} (timeout killed the attempt)`, 'times_out', undefined, port);
      else this.result(no, text, 'failed', undefined, port);
      return true;
    }
    const ok = t.okEcho ? echoed(t.okEcho, text) : undefined;
    const bad = t.failEcho ? echoed(t.failEcho, text) : undefined;
    if (ok) this.result(no, text, 'connects', undefined, ok.port);
    else if (bad) this.result(no, text, 'failed', undefined, bad.port);
    return true;
  }

  private bptestbpcd(no: number, text: string): void {
    if (this.cur?.tool !== 'bptestbpcd') return;
    // "10.1.0.7:41022 -> 10.1.0.9:1556" (newer releases add "PROXY …" after it)
    const w = text.split(/\s+/, 4);
    const to = w[1] === '->' && endpoint(w[0]) ? endpoint(w[2] ?? '') : undefined;
    if (to && !to.host.startsWith('127.')) {
      this.result(no, text, 'connects', undefined, to.port);
      return;
    }
    if (/bptestbpcd main: Function ConnectToBPCD\(\S+\) failed: \d+/.test(text)) this.ctx.withhold('connect.result', 'bptestbpcd could not connect, but does not say on which port or how the attempt failed', no);
  }

  /** Test-NetConnection: property records, the localised warning, and -InformationLevel Quiet's bare True/False. */
  private netConnection(no: number, text: string): boolean {
    const t = this.cur;
    if (t?.quiet && (text === 'True' || text === 'False')) {
      this.result(no, text, text === 'True' ? 'connects' : 'failed');
      return true;
    }
    const warn = /TCP connect to \(([^()\s]+) : (\d{1,5})\) failed/.exec(text);
    if (warn) {
      this.tncWarned.add(Number(warn[2]));
      return true;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) return false;
    const name = text.slice(0, colon).trim();
    if (!TNC_PROPS.has(name)) return false;
    const value = text.slice(colon + 1).trim();
    if (name === 'ComputerName') this.tnc = { computer: value ? lowerHost(value) : undefined, line: no };
    const rec = this.tnc;
    if (!rec) return true;
    if (name === 'RemoteAddress') rec.address = value;
    else if (name === 'RemotePort') rec.port = portNumber(value);
    else if (name === 'TcpTestSucceeded' && (value === 'True' || value === 'False')) {
      const warned = this.tncWarned.size === 1 ? [...this.tncWarned][0] : undefined;
      const port = rec.port ?? warned ?? (t && !t.loop && t.ports.length === 1 ? t.ports[0] : undefined);
      this.tncWarned.clear();
      if (t?.tool !== 'Test-NetConnection') this.cur = undefined;
      if (this.cur) this.cur.host ??= rec.computer;
      this.result(no, text, value === 'True' ? 'connects' : 'failed', rec.computer, port);
      this.tnc = undefined;
    }
    return true;
  }

  finish(): Observation[] {
    const out: Observation[] = [];
    const w = this.ctx.withhold;
    const all = this.tests.flatMap((t) => [...t.results.values()]).filter((r) => !r.tool.endsWith(' -u'));
    const later = all.filter((r) => r.after);
    const before = all.filter((r) => !r.after);
    if (later.length) w('connect.outcome', `${later.length} test result${later.length === 1 ? '' : 's'} after the fix the admin noted ${later.length === 1 ? 'is' : 'are'} not the failure and ${later.length === 1 ? 'is' : 'are'} left out`, later[0].line);
    if (!before.length) return out;
    out.push({ key: 'connect.tests', value: before.length });

    const isSelf = (r: Result) => r.source !== undefined && r.host !== undefined && !LOOPBACK.test(r.host) && label(r.host) === label(r.source.toLowerCase());
    for (const r of before.filter((x) => isSelf(x) && (x.outcome === 'connects' || x.outcome === 'refused'))) {
      out.push({ key: `connect.self_test.${r.port}`, value: r.outcome, line: r.line, text: `${r.source} tests its own port ${r.port}: ${clip(r.text, 120)}` });
    }
    for (const r of before.filter((x) => isSelf(x) && x.outcome !== 'connects' && x.outcome !== 'refused')) w('connect.self_test', `${r.source} testing its own port ${r.port} got "${clip(r.text, 80)}": does not say whether anything listens`, r.line);
    const client = before.filter((r) => !isSelf(r) && !(r.host && LOOPBACK.test(r.host)));
    if (!client.length) return out;

    // per source, host and port: what its tests got (a port tested both ways is not concluded)
    const byTarget = new Map<string, Result[]>();
    for (const r of client) {
      const k = `${r.source ?? ''}|${r.host ? label(r.host) : ''}|${r.port}`;
      const list = byTarget.get(k);
      if (list) list.push(r);
      else byTarget.set(k, [r]);
    }
    const targets: Target[] = [];
    for (const rs of byTarget.values()) {
      const ok = rs.some((r) => !FAILED.has(r.outcome));
      const bad = rs.some((r) => FAILED.has(r.outcome));
      const known = rs.map((r) => r.outcome).filter((o) => o !== 'failed');
      const kinds = new Set(known);
      const outcome: Outcome | 'mixed' = ok && bad ? 'mixed' : kinds.size === 1 ? known[0] : kinds.size === 0 ? 'failed' : rs[rs.length - 1].outcome;
      if (outcome === 'mixed') w('connect.outcome', `port ${rs[0].port} of ${rs[0].host ?? 'the host'} connects in one test and fails in another; not concluded`, rs[0].line);
      targets.push({ source: rs[0].source, host: rs[0].host, port: rs[0].port!, outcome, result: rs.find((r) => r.outcome === outcome) ?? rs[0] });
    }
    const ports = [...new Set(targets.map((t) => t.port))];
    for (const p of ports) {
      const ts = targets.filter((t) => t.port === p);
      const o = new Set(ts.map((t) => t.outcome)).size === 1 ? ts[0].outcome : 'mixed';
      const r = ts[0].result;
      out.push({ key: `connect.result.${p}`, value: o, line: r.line, text: `${r.tool} ${r.host ?? ''} ${p}: ${clip(r.text, 120)}` });
    }
    this.outcome(out, targets);
    this.blocked(out, targets);
    return out;
  }

  private outcome(out: Observation[], targets: Target[]): void {
    const w = this.ctx.withhold;
    const failing = targets.filter((t) => t.outcome !== 'mixed' && (FAILED.has(t.outcome) || t.outcome === 'connects_then_closed'));
    const failedPorts = new Set(failing.filter((t) => t.outcome !== 'connects_then_closed').map((t) => t.port));
    if (failedPorts.size === 1) {
      const r = failing.find((t) => t.outcome !== 'connects_then_closed')!.result;
      out.push({ key: 'connect.failed_port', value: [...failedPorts][0], line: r.line, text: clip(r.text) });
    }
    if (failing.length) {
      const kinds = new Set(failing.map((t) => FACT_OUTCOME[t.outcome as Outcome]).filter((k): k is string => k !== undefined));
      const unnamed = failing.filter((t) => !FACT_OUTCOME[t.outcome as Outcome]);
      if (kinds.size === 1 && !unnamed.length) {
        const r = failing[0].result;
        out.push({ key: 'connect.outcome', value: [...kinds][0], line: r.line, text: `${r.tool} to ${r.host ?? '?'} port ${r.port}: ${clip(r.text, 120)}` });
        if (failing[0].outcome === 'times_out') w('syn_reaches_destination', 'a connection test that times out does not say where the SYN was lost');
      } else if (kinds.size > 1) w('connect.outcome', `the failing ports fail in different ways (${failing.map((t) => `${t.port}: ${t.outcome}`).join(', ')})`);
      else if (kinds.size === 1) w('connect.outcome', `ports ${failing.map((t) => t.port).join(', ')} fail, some without saying whether refused or timed out`);
      else if (unnamed.some((t) => t.outcome === 'unreachable')) w('connect.outcome', `"no route to host" (an ICMP unreachable, or no route on the source) is neither a reset from the service nor silence`);
      else w('connect.outcome', `the test reports a failure without saying whether it was refused or timed out (${failing[0].result.tool})`, failing[0].result.line);
      return;
    }
    if (targets.some((t) => t.outcome === 'mixed')) return;
    const ports = [...new Set(targets.map((t) => t.port))];
    if (!ports.some(isBackupServicePort)) {
      w('connect.outcome', `only port${ports.length === 1 ? '' : 's'} ${ports.join(', ')} tested and connecting: says nothing about the backup ports`);
      return;
    }
    const r = targets.find((t) => isBackupServicePort(t.port))!.result;
    out.push({ key: 'connect.outcome', value: 'connects', line: r.line, text: `every tested port connects (${ports.join(', ')})` });
  }

  /** Of several ports tested from one host against another, the one that fails. */
  private blocked(out: Observation[], targets: Target[]): void {
    const groups = new Map<string, Target[]>();
    for (const t of targets) {
      if (t.outcome === 'mixed') continue;
      const k = `${t.source ?? ''}|${t.host ? label(t.host) : ''}`;
      const list = groups.get(k);
      if (list) list.push(t);
      else groups.set(k, [t]);
    }
    const values = new Map<string, string>();
    for (const g of groups.values()) {
      if (g.length < 2) continue;
      const host = g[0].host ?? 'the host';
      const failed = g.filter((t) => FAILED.has(t.outcome)).map((t) => t.port);
      if (failed.length === 1) values.set(blockedPortValue(failed[0]), `${host}: port ${failed[0]} fails while ${g.filter((t) => t.port !== failed[0]).map((t) => t.port).join(', ')} connect`);
      else if (failed.length === 0 && g.filter((t) => isProductPort(t.port)).length >= 2) values.set('none_all_connect', `${host}: ${g.map((t) => t.port).join(', ')} all connect`);
    }
    if (values.size === 1) {
      const [value, text] = [...values][0];
      out.push({ key: 'connect.blocked_port', value, text });
    } else if (values.size > 1) this.ctx.withhold('connect.blocked_port', `tests against different hosts disagree (${[...values.keys()].join(', ')})`);
    else if (groups.size && [...groups.values()].every((g) => g.length < 2)) this.ctx.withhold('connect.blocked_port', "one port tested per host: which of the product's ports fails needs several tested");
  }
}
