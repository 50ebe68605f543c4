/**
 * Listening sockets and the state of backup services: Linux `ss -ltn`/`-lntp`/`-lunp`/`-lntu` (with or
 * without the Netid and State columns, service names without -n, `sport = :1556` filters), `netstat
 * -ltn`/`-an` (Linux, AIX/BSD dotted ports, Solaris TCP:/UDP: sections), Windows `netstat -an(o)` (English
 * or localised states), PowerShell `Get-NetTCPConnection`/`Get-NetUDPEndpoint` tables, `lsof -i :1556`,
 * `systemctl status xinetd|vxpbx_exchanged|amanda.socket|…` (Active:, Loaded:, Listen:) and SysV
 * `service xinetd status`.
 *
 * Concludes, per backup port, whether something listens on an address a peer can use (not only loopback):
 * true from a listener row; false only when the listing could have shown that port's row (listeners listed,
 * its protocol listed, no cut, every grep/findstr stage would keep the row, the output ended before the next
 * prompt) and did not. A listing cut by head, filtered for another port or process, or a Windows listing
 * filtered on the English state that printed nothing (the state is localised) says nothing about absent
 * ports. The summary for the port the command asked about (`| grep :1556`, `sport = :1556`, `lsof -i
 * :1556`, `-LocalPort 1556`) or for a failed backup service is what the evidence map turns into a fact.
 */
import { commandList } from '../command-list.js';
import { keeps, viewOf, type View } from '../grep-view.js';
import type { CommandLine } from '../transcript.js';
import { canonicalState } from '../vocab/tcp-states.js';
import { BACKUP_PORTS, BACKUP_UNITS, isLoopback, unitBase, type Proto } from '../vocab/backup-services.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

type Tool = 'ss' | 'netstat' | 'pwsh-tcp' | 'pwsh-udp' | 'lsof';
const UNIT_STATES = ['running', 'exited', 'listening', 'waiting', 'inactive', 'failed', 'activating', 'not-found'] as const;
type UnitState = (typeof UNIT_STATES)[number];

/** Service names socket tools print without -n (/etc/services), for the backup ports. */
const SERVICE_PORTS: Record<string, number> = {
  ssh: 22, sunrpc: 111, rpcbind: 111, nfs: 2049, amanda: 10080, kamanda: 10081, amandaidx: 10082, amidxtape: 10083,
  vnetd: 13724, bpcd: 13782, bprd: 13720, bpdbm: 13721, veritas_pbx: 1556, 'veritas-pbx': 1556, vrts_pbx: 1556,
};
const NETIDS = new Set(['tcp', 'udp', 'raw', 'u_str', 'u_dgr', 'u_seq', 'nl', 'p_raw', 'p_dgr', 'sctp', 'mptcp', 'v_str', 'v_dgr', 'tipc', 'xdp']);
const NETSTAT_PROTOS: Record<string, Proto> = { tcp: 'tcp', tcp4: 'tcp', tcp6: 'tcp', tcp46: 'tcp', udp: 'udp', udp4: 'udp', udp6: 'udp', udp46: 'udp' };
/** Windows prints the LISTENING state in the system's language. */
const LOCALISED_LISTEN = ['ABHÖREN', 'ÉCOUTE', 'ESCUCHANDO', 'IN ASCOLTO', 'ABHOREN'];
const MAX_LISTINGS = 500;
/** What a socket table's first line starts with (headers, Solaris sections, PowerShell and lsof headers). */
const TABLE_START = /^(?:State|Netid|Recv-Q|Proto|Active|Local|LocalAddress|COMMAND|TCP|UDP)\b/;
const LISTEN_WORD = /LISTEN|Listen|ABHÖREN|ÉCOUTE|ESCUCHANDO|ASCOLTO/;

interface Row {
  proto: Proto;
  port: number;
  loopback: boolean;
  line: number;
  text: string;
}

interface Listing {
  cmd?: CommandLine;
  line: number;
  tool?: Tool;
  host?: string;
  /** Protocols whose listeners the listing shows. */
  protos: Set<Proto>;
  /** Ports the tool itself was asked for (sport = :1556, lsof -i :1556, -LocalPort); undefined: all. */
  toolPorts?: Set<number>;
  /** Ports a grep/findstr pattern names: what the admin asked about. */
  asked: Set<number>;
  view: View;
  /** Why no absence can be read from this listing. */
  partial?: string;
  header: boolean;
  rows: Row[];
  ended: boolean;
  /** Windows netstat filtered on a state word. */
  stateWord: boolean;
  /** How the rows print addresses, once a row was read. */
  form?: Form;
  /** Ports this host connects to as a client (rows whose peer has the port). */
  clientOf: Set<number>;
  /** `ss state listening` prints no State column: every row is a listener. */
  impliedListen?: boolean;
}

type Form = 'colon' | 'dotted' | 'windows';

interface RowInfo {
  proto: Proto;
  port: number;
  loopback: boolean;
  listen: boolean;
  peerPort?: number;
  form: Form;
}

interface UnitReading {
  unit: string;
  state: UnitState;
  enabled?: boolean;
  failedRun: boolean;
  line: number;
  text: string;
  host?: string;
}

/** "0.0.0.0:1556", "[::]:1556", ":::1556", "*:ssh", "*.1556", "127.0.0.53%lo:53" → address and port. */
export function splitAddress(token: string): { addr: string; port: number | undefined } | undefined {
  let addr: string;
  let port: string;
  const br = token.lastIndexOf(']:');
  if (token.startsWith('[') && br > 0) {
    addr = token.slice(1, br);
    port = token.slice(br + 2);
  } else {
    const c = token.lastIndexOf(':');
    const d = token.lastIndexOf('.');
    const cut = c >= 0 ? c : d;
    if (cut < 0) return undefined;
    addr = token.slice(0, cut);
    port = token.slice(cut + 1);
    if (c < 0 && !addr.includes('.') && addr !== '*') return undefined;
  }
  if (!port) return undefined;
  if (port === '*') return { addr, port: undefined };
  if (/^\d{1,5}$/.test(port)) return { addr, port: Number(port) };
  const named = SERVICE_PORTS[port.toLowerCase()];
  return named !== undefined ? { addr, port: named } : { addr, port: undefined };
}

/** A peer address of an unconnected socket: "*:*", "0.0.0.0:*", "[::]:*", ":::*", "*.*", "0.0.0.0:0". */
function wildcardPeer(token: string): boolean {
  return /^(?:\*|0\.0\.0\.0|\[::\]|::|\[::\]%\S+)?[:.](?:\*|0)$/.test(token) || token === ':::*' || token === '*.*' || token === '*:*';
}

function isInt(t: string | undefined): boolean {
  return t !== undefined && /^\d+$/.test(t);
}

function flagsOf(args: string[]): { short: Set<string>; long: Set<string> } {
  const short = new Set<string>();
  const long = new Set<string>();
  for (const a of args) {
    if (a.startsWith('--')) long.add(a.split('=')[0]);
    else if (a.startsWith('-') && a.length > 1) for (const ch of a.slice(1)) short.add(ch);
  }
  return { short, long };
}

/** The ports of an ss filter expression made only of "sport = :N" joined by "or"; undefined when it holds more. */
function ssSportPorts(expr: string[]): Set<number> | undefined {
  const ports = new Set<number>();
  const toks = expr.join(' ').replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t === 'or' || t === '||') continue;
    if ((t === 'sport' || t === 'src-port') && i + 2 < toks.length && ['=', '==', 'eq'].includes(toks[i + 1])) {
      const m = /^:?(\d{1,5})$/.exec(toks[i + 2]) ?? (SERVICE_PORTS[toks[i + 2].replace(/^:/, '')] !== undefined ? [toks[i + 2], String(SERVICE_PORTS[toks[i + 2].replace(/^:/, '')])] : null);
      if (!m) return undefined;
      ports.add(Number(m[1]));
      i += 2;
      continue;
    }
    const glued = /^sport(?:=|==):?(\d{1,5})$/.exec(t);
    if (glued) {
      ports.add(Number(glued[1]));
      continue;
    }
    return undefined;
  }
  return ports.size ? ports : undefined;
}

/** Is the command run with root's view (lsof shows other users' sockets only to root)? */
function asRoot(cmd: CommandLine): boolean {
  return /^\s*(?:sudo|doas)\b/.test(cmd.command) || cmd.prompt.trimEnd().endsWith('#') || cmd.prompt.includes('root@');
}

/** Sets the scope of a listener listing from its first stage; undefined when the command lists no sockets. */
function listingOf(cmd: CommandLine, no: number): Listing | undefined {
  const st = cmd.stages[0];
  const a = st.args;
  const { short, long } = flagsOf(a);
  const base = (tool: Tool, protos: Proto[]): Listing => ({
    cmd, line: no, tool, host: cmd.host, protos: new Set(protos), asked: new Set(), view: viewOf(cmd), header: false, rows: [], ended: false, stateWord: false, clientOf: new Set(),
  });
  let l: Listing;
  if (st.name === 'ss') {
    if (short.has('s') || long.has('--summary')) return undefined;
    const t = short.has('t') || long.has('--tcp');
    const u = short.has('u') || long.has('--udp');
    const other = short.has('x') || short.has('w') || short.has('0') || short.has('S') || long.has('--unix') || long.has('--raw');
    l = base('ss', t || u || other ? [...(t ? ['tcp' as const] : []), ...(u ? ['udp' as const] : [])] : ['tcp', 'udp']);
    if (short.has('A') || long.has('--query') || short.has('f') || long.has('--family')) l.partial = 'the socket types are chosen with -A/-f';
    let listeners = short.has('l') || short.has('a') || long.has('--listening') || long.has('--all');
    const expr: string[] = [];
    for (let j = 0; j < a.length; j++) {
      if (a[j] === 'state' || a[j] === 'exclude') {
        const w = (a[j + 1] ?? '').toLowerCase();
        if (a[j] === 'state' && w === 'listening') {
          listeners = true;
          l.impliedListen = true;
        }
        else if (a[j] === 'state' && w !== 'all') listeners = false;
        else if (a[j] === 'exclude' && w === 'listening') listeners = false;
        j++;
      } else if (!a[j].startsWith('-')) expr.push(a[j]);
      else if (a[j] === '-A' || a[j] === '-f' || a[j] === '-F' || a[j] === '-N') j++;
    }
    if (!listeners) l.partial ??= 'ss lists no listening sockets without -l or -a';
    if (expr.length) {
      const ports = ssSportPorts(expr);
      if (ports) l.toolPorts = ports;
      else l.partial ??= `the filter "${clip(expr.join(' '), 60)}" is not only local ports`;
    }
  } else if (st.name === 'netstat') {
    if (short.has('s') || short.has('r') || short.has('i') || short.has('g') || short.has('M') || long.has('--statistics') || long.has('--route') || long.has('--interfaces')) return undefined;
    let protos: Proto[] = ['tcp', 'udp'];
    const pAt = a.findIndex((x) => x === '-p' || x === '-P');
    const winProto = pAt >= 0 ? (a[pAt + 1] ?? '').toLowerCase() : '';
    if (/^(?:tcp|tcpv6)$/.test(winProto)) protos = ['tcp'];
    else if (/^(?:udp|udpv6)$/.test(winProto)) protos = ['udp'];
    else {
      const t = short.has('t') || long.has('--tcp');
      const u = short.has('u') || long.has('--udp');
      if (t || u) protos = [...(t ? ['tcp' as const] : []), ...(u ? ['udp' as const] : [])];
    }
    l = base('netstat', protos);
    if (!(short.has('l') || short.has('a') || long.has('--listening') || long.has('--all'))) l.partial = 'netstat lists no listening sockets without -a (or -l on Linux)';
    if (a.some((x) => /^-f$/.test(x) || x === '-A')) l.partial ??= 'the address family is chosen with -f/-A';
  } else if (st.name === 'get-nettcpconnection' || st.name === 'get-netudpendpoint') {
    const tcp = st.name === 'get-nettcpconnection';
    l = base(tcp ? 'pwsh-tcp' : 'pwsh-udp', [tcp ? 'tcp' : 'udp']);
    for (let j = 0; j < a.length; j++) {
      const opt = a[j].toLowerCase();
      const v = a[j + 1] ?? '';
      if (opt === '-state') {
        if (!/^listen$/i.test(v)) l.partial = `-State ${v} lists no listeners`;
        j++;
      } else if (opt === '-localport') {
        const ports = v.split(',').map((x) => x.trim());
        if (ports.every((x) => /^\d{1,5}$/.test(x))) l.toolPorts = new Set(ports.map(Number));
        else l.partial ??= `-LocalPort ${v} not read`;
        j++;
      } else if (opt.startsWith('-') && opt !== '-erroraction') {
        l.partial ??= `${a[j]} narrows the listing`;
        j++;
      }
    }
  } else if (st.name === 'lsof') {
    l = base('lsof', []);
    const specs: string[] = [];
    for (let j = 0; j < a.length; j++) {
      const x = a[j];
      if (x === '-i' || x.startsWith('-i')) {
        const spec = x === '-i' ? (a[j + 1] && !a[j + 1].startsWith('-') ? a[++j] : '') : x.slice(2);
        specs.push(spec);
      } else if (x === '-n' || x === '-P' || x === '-nP' || x === '-Pn' || x === '-V') continue;
      else if (/^-sTCP:/i.test(x)) {
        if (!/^-sTCP:LISTEN$/i.test(x)) l.partial = `${x} lists no listeners`;
      } else if (x.startsWith('-')) l.partial ??= `${x} narrows the listing`;
      else l.partial ??= `${x} narrows the listing`;
    }
    if (!specs.length) return undefined;
    const ports = new Set<number>();
    let allPorts = false;
    for (const spec of specs) {
      const m = /^[46]?(tcp|udp)?(@[^:]*)?(?::(.+))?$/i.exec(spec);
      if (!m) {
        l.partial ??= `-i ${spec} not read`;
        continue;
      }
      if (m[2]) l.partial ??= `-i ${spec} names a host`;
      const protos: Proto[] = m[1] ? [m[1].toLowerCase() as Proto] : ['tcp', 'udp'];
      for (const p of protos) l.protos.add(p);
      if (m[3] === undefined) allPorts = true;
      else {
        for (const part of m[3].split(',')) {
          const n = /^\d{1,5}$/.test(part) ? Number(part) : SERVICE_PORTS[part.toLowerCase()];
          if (n === undefined) l.partial ??= `-i ${spec} not read`;
          else ports.add(n);
        }
      }
    }
    if (!allPorts && ports.size) l.toolPorts = ports;
    if (!asRoot(cmd)) l.partial ??= 'lsof run without root shows only the user\'s own sockets';
  } else return undefined;
  for (const f of cmd.filters) if (f.by === 'port' && !f.negate && f.port !== undefined) l.asked.add(f.port);
  for (const p of l.toolPorts ?? []) l.asked.add(p);
  if (l.view.opaque) l.partial ??= `the output is reduced by ${l.view.opaque}`;
  if (cmd.stages.slice(1).some((s) => s.name === 'findstr' || s.name === 'find' || s.name === 'select-string')) {
    l.stateWord = cmd.filters.some((f) => f.by === 'state' && !f.negate);
  }
  return l;
}

/** Listener rows as each tool prints them for port `p`: the rows a filter must keep for an absence to count. */
function canonicalRows(tool: Tool | undefined, proto: Proto, p: number, form: Form | undefined): string[] {
  const tcp = proto === 'tcp';
  switch (tool) {
    case 'ss':
      return ['0.0.0.0', '[::]', '*', '10.20.30.40'].flatMap((ad) => {
        const row = `${tcp ? 'LISTEN' : 'UNCONN'} 0 4096 ${ad}:${p} ${ad === '10.20.30.40' ? '0.0.0.0' : ad}:*`;
        return [row, `${proto} ${row}`];
      });
    case 'lsof':
      return ['*', '10.20.30.40', '[::]'].flatMap((ad) => [`daemon 2211 root 5u IPv4 24680 0t0 ${tcp ? 'TCP' : 'UDP'} ${ad}:${p}${tcp ? ' (LISTEN)' : ''}`]);
    case 'pwsh-tcp':
    case 'pwsh-udp':
      return ['0.0.0.0', '::', '10.20.30.40'].map((ad) => (tcp ? `${ad} ${p} ${ad === '::' ? '::' : '0.0.0.0'} 0 Listen 2456` : `${ad} ${p}`));
    default: {
      const colon = tcp
        ? [`tcp 0 0 0.0.0.0:${p} 0.0.0.0:* LISTEN`, `tcp6 0 0 :::${p} :::* LISTEN`, `tcp 0 0 10.20.30.40:${p} 0.0.0.0:* LISTEN`]
        : [`udp 0 0 0.0.0.0:${p} 0.0.0.0:*`, `udp6 0 0 :::${p} :::*`];
      const dotted = tcp ? [`tcp4 0 0 *.${p} *.* LISTEN`, `tcp 0 0 10.20.30.40.${p} *.* LISTEN`] : [`udp4 0 0 *.${p} *.*`];
      const win = tcp
        ? [`TCP 0.0.0.0:${p} 0.0.0.0:0 LISTENING 2456`, `TCP [::]:${p} [::]:0 LISTENING 2456`, `TCP 10.20.30.40:${p} 0.0.0.0:0 LISTENING 2456`]
        : [`UDP 0.0.0.0:${p} *:* 2456`, `UDP [::]:${p} *:* 2456`];
      return form === 'windows' ? win : form === 'colon' ? colon : form === 'dotted' ? dotted : [...colon, ...dotted, ...win];
    }
  }
}

export const listenersParser: ParserDef = {
  kind: 'listeners',
  label: 'listening sockets and backup service status',
  aliases: ['lsof', 'systemctl'],
  detect: [/^\s*(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local Address:Port/, /^\s*LocalAddress\s+LocalPort\s+RemoteAddress/, /^\s*Active:\s+(?:active|inactive|failed|activating)\b/, /^COMMAND\s+PID\s+USER\s+FD\s+TYPE/],
  emits: {
    'listeners.port.*': { type: 'boolean', meaning: 'a backup port (or the port asked about) is listened on an address a peer can use: true from a listener row, false when a listing that would show it does not (or shows it on loopback only)' },
    'listeners.service_port': { type: 'boolean', meaning: 'the backup port the command asked about is listened on a non-loopback address (false: the listing for it is empty, loopback only, or the backup service has failed)' },
    'listeners.unit_state.*': { type: 'string', values: [...UNIT_STATES], meaning: 'the state systemctl/service reports for a backup service unit' },
    'listeners.loopback_only.*': { type: 'boolean', meaning: 'the port is listened on loopback addresses only' },
  },
  samples: [
    {
      name: 'ss -ltn | grep :1556 on a media server (RHEL 8)',
      input: '[root@media01 ~]# ss -ltn | grep :1556\nLISTEN 0      128          0.0.0.0:1556       0.0.0.0:*\nLISTEN 0      128             [::]:1556          [::]:*\n[root@media01 ~]# ',
      yields: { 'listeners.port.1556': true, 'listeners.service_port': true },
    },
    {
      name: 'ss -ltn sport = :1556 prints only the header: nothing listens',
      input: '[root@client01 ~]# ss -ltn sport = :1556\nState      Recv-Q Send-Q   Local Address:Port     Peer Address:Port\n[root@client01 ~]# ',
      yields: { 'listeners.port.1556': false, 'listeners.service_port': false },
    },
    {
      name: 'netstat -ltn with 10082 on loopback only',
      input: [
        '# netstat -ltn',
        'Active Internet connections (only servers)',
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
        'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN',
        'tcp        0      0 127.0.0.1:10082         0.0.0.0:*               LISTEN',
        '# ',
      ].join('\n'),
      yields: { 'listeners.port.22': true, 'listeners.port.10082': false, 'listeners.loopback_only.10082': true },
      never: ['listeners.service_port', 'listeners.port.10080'],
    },
    {
      name: 'Windows netstat -ano | findstr LISTENING',
      input: 'C:\\>netstat -ano | findstr LISTENING\n  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       912\n  TCP    0.0.0.0:1556           0.0.0.0:0              LISTENING       2456\n  TCP    [::]:1556              [::]:0                 LISTENING       2456\nC:\\>',
      yields: { 'listeners.port.1556': true, 'listeners.port.13724': false },
    },
    {
      name: 'systemctl status xinetd: failed',
      input: [
        '[root@triumph ~]# systemctl status xinetd',
        '● xinetd.service - Xinetd A Powerful Replacement For Inetd',
        '   Loaded: loaded (/usr/lib/systemd/system/xinetd.service; enabled; vendor preset: enabled)',
        '   Active: failed (Result: exit-code) since Fri 2005-11-18 15:20:11 CET; 5min ago',
      ].join('\n'),
      yields: { 'listeners.unit_state.xinetd': 'failed', 'listeners.service_port': false },
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new ListenersReader(ctx);
  },
};

class ListenersReader implements Parser {
  private readonly listings: Listing[] = [];
  private cur?: Listing;
  /** A table header seen without a command: rows are read, absences are not. */
  private bare?: Listing;
  private unitCmd?: { unit?: string; host?: string; sysv: boolean };
  private unit?: UnitReading;
  private readonly units: UnitReading[] = [];
  /** Solaris netstat sections ("TCP: IPv4"). */
  private section?: Proto;
  private pwshCols?: { addr: number; port: number; state: number };

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    this.end();
    this.section = undefined;
    this.pwshCols = undefined;
    const parts = commandList(cmd);
    for (const part of parts) {
      const name = part.stages[0]?.name ?? '';
      if (name === 'systemctl' || name === 'service') {
        const a = part.stages[0].args.filter((x) => !x.startsWith('-'));
        const sysv = name === 'service';
        const unit = sysv ? (a[1] === 'status' ? a[0] : undefined) : a[0] === 'status' ? a[1] : undefined;
        if (unit && !this.unitCmd) this.unitCmd = { unit, host: cmd.host, sysv };
        continue;
      }
      const l = listingOf(part, no);
      if (!l || this.cur || this.listings.length >= MAX_LISTINGS) continue;
      // the other commands of the line print into the same output
      if (parts.length > 1) l.partial ??= 'other commands on the same line print into its output';
      this.listings.push(l);
      this.cur = l;
    }
  }

  prompt(): void {
    this.end();
  }

  private end(): void {
    if (this.cur) this.cur.ended = true;
    this.cur = undefined;
    this.bare = undefined;
    this.unitCmd = undefined;
    this.endUnit();
  }

  private endUnit(): void {
    if (this.unit) this.units.push(this.unit);
    this.unit = undefined;
  }

  line(no: number, text: string): void {
    if (this.unitCmd || this.unit || /^\s*(?:Active|Loaded):\s/.test(text) || /^[●*○×]\s+\S+\.(?:service|socket)\b/.test(text)) {
      if (this.unitLine(no, text)) return;
    }
    const t = text.trim();
    if (!t) return;
    const l = this.cur ?? this.bare;
    // outside a listing only a table header or a listener row can matter: most log lines are neither
    if (!l && !TABLE_START.test(t) && !LISTEN_WORD.test(t)) return;
    const tokens = t.split(/\s+/);
    if (/^(?:TCP|UDP)(?:v6)?:\s+IPv[46]$/.test(t)) {
      this.section = t.startsWith('TCP') ? 'tcp' : 'udp';
      return;
    }
    if (this.headerLine(no, t, tokens)) return;
    const r = this.readRow(tokens, l);
    if (!r) return;
    if (!l) {
      // without a command, only rows that say LISTEN are taken: a positive needs no scope
      if (!r.listen || r.proto !== 'tcp') return;
      if (!this.bare) {
        this.bare = { line: no, protos: new Set(), asked: new Set(), view: { tests: [] }, partial: 'no command line shows how the listing was made', header: false, rows: [], ended: false, stateWord: false, clientOf: new Set() };
        if (this.listings.length < MAX_LISTINGS) this.listings.push(this.bare);
      }
      this.bare.rows.push({ proto: r.proto, port: r.port, loopback: r.loopback, line: no, text });
      return;
    }
    l.form ??= r.form;
    if (!r.listen) {
      if (r.peerPort !== undefined && l.clientOf.size < 1000) l.clientOf.add(r.peerPort);
      return;
    }
    if (l.rows.length < 200_000) l.rows.push({ proto: r.proto, port: r.port, loopback: r.loopback, line: no, text });
  }

  /** Table headers: they make a headerless paste readable and prove an empty listing was printed. */
  private headerLine(no: number, t: string, tokens: string[]): boolean {
    const l = this.cur;
    if (/^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port/.test(t) || /^Recv-Q\s+Send-Q\s+Local\s+Address:Port/.test(t)) {
      if (l) l.header = true;
      else this.bare = this.bareListing(no, 'ss');
      return true;
    }
    if (/^Proto\s+Recv-Q\s+Send-Q\s+Local\s+Address/.test(t) || /^Active (?:Internet connections|Connections)/.test(t) || /^Proto\s+Local\s+Address\s+Foreign\s+Address/.test(t) || /^Local\s+Address\s+Remote\s+Address/.test(t)) {
      if (l) l.header = true;
      else this.bare = this.bareListing(no, 'netstat');
      return true;
    }
    if (tokens[0] === 'LocalAddress' && tokens[1] === 'LocalPort') {
      const idx = (name: string) => tokens.indexOf(name);
      this.pwshCols = { addr: idx('LocalAddress'), port: idx('LocalPort'), state: idx('State') };
      if (l) l.header = true;
      else this.bare = this.bareListing(no, tokens.includes('State') ? 'pwsh-tcp' : 'pwsh-udp');
      return true;
    }
    if (/^-{5,}(?:\s+-{3,})+$/.test(t)) return true;
    if (tokens[0] === 'COMMAND' && tokens[1] === 'PID' && tokens.includes('NAME')) {
      if (l) l.header = true;
      else this.bare = this.bareListing(no, 'lsof');
      return true;
    }
    return false;
  }

  private bareListing(no: number, tool: Tool): Listing {
    const l: Listing = { line: no, tool, protos: new Set(), asked: new Set(), view: { tests: [] }, partial: 'no command line shows how the listing was made', header: true, rows: [], ended: false, stateWord: false, clientOf: new Set() };
    if (this.listings.length < MAX_LISTINGS) this.listings.push(l);
    return l;
  }

  /** One socket row of any of the tools, or undefined. `listen`: a TCP listener or an unconnected UDP socket. */
  private readRow(tk: string[], l: Listing | undefined): RowInfo | undefined {
    const tool = l?.tool;
    const first = tk[0];
    const lower = first.toLowerCase();
    if (tool === 'pwsh-tcp' || tool === 'pwsh-udp' || (this.pwshCols && !tool)) {
      const c = this.pwshCols ?? { addr: 0, port: 1, state: tool === 'pwsh-udp' ? -1 : 4 };
      if (!isInt(tk[c.port]) || c.addr < 0) return undefined;
      const tcp = c.state >= 0;
      const listen = tcp ? canonicalState(tk[c.state] ?? '') === 'LISTEN' : true;
      return { proto: tcp ? 'tcp' : 'udp', port: Number(tk[c.port]), loopback: isLoopback(tk[c.addr]), listen, form: 'windows' };
    }
    if (tool === 'lsof' || (tk.length >= 9 && isInt(tk[1]) && /^IPv[46]$/.test(tk[4] ?? ''))) {
      const at = tk.findIndex((x, i) => i >= 5 && (x === 'TCP' || x === 'UDP'));
      if (at < 0 || !tk[at + 1]) return undefined;
      const proto: Proto = tk[at] === 'TCP' ? 'tcp' : 'udp';
      const name = tk[at + 1];
      const arrow = name.indexOf('->');
      const sa = splitAddress(arrow >= 0 ? name.slice(0, arrow) : name);
      if (!sa || sa.port === undefined) return undefined;
      const peerPort = arrow >= 0 ? splitAddress(name.slice(arrow + 2))?.port : undefined;
      const listen = proto === 'tcp' ? tk[at + 2] === '(LISTEN)' : arrow < 0;
      return { proto, port: sa.port, loopback: isLoopback(sa.addr), listen, peerPort, form: 'colon' };
    }
    let proto: Proto | undefined;
    let local: string | undefined;
    let peer: string | undefined;
    let state: string | undefined;
    let form: Form | undefined;
    const netstatProto = NETSTAT_PROTOS[lower];
    if (netstatProto && tool !== 'ss' && isInt(tk[1]) && isInt(tk[2]) && tk[3] !== undefined && splitAddress(tk[3])) {
      // Linux / AIX / BSD netstat: proto recv-q send-q local foreign [state]
      proto = netstatProto;
      local = tk[3];
      peer = tk[4];
      state = tk[5];
    } else if (netstatProto && tool !== 'ss' && first === first.toUpperCase() && tk[1] !== undefined && splitAddress(tk[1])) {
      // Windows netstat: proto local foreign [state, maybe two words] [pid]
      proto = netstatProto;
      local = tk[1];
      peer = tk[2];
      const end = tk.length - (isInt(tk[tk.length - 1]) ? 1 : 0);
      state = end > 3 ? tk.slice(3, end).join(' ') : undefined;
      form = 'windows';
    } else if (tool === 'ss' || (tool === undefined && NETIDS.has(lower) && canonicalState(tk[1] ?? ''))) {
      // ss: [netid] [state] recv-q send-q local peer [process]
      let i = 0;
      if (NETIDS.has(lower)) {
        if (lower !== 'tcp' && lower !== 'udp') return undefined;
        proto = lower;
        i = 1;
      }
      const st = canonicalState(tk[i] ?? '');
      if (st) {
        state = st;
        i++;
      } else if (l?.impliedListen) state = 'LISTEN';
      if (!isInt(tk[i]) || !isInt(tk[i + 1])) return undefined;
      local = tk[i + 2];
      peer = tk[i + 3];
      if (!proto && l?.protos.size === 1) proto = [...l.protos][0];
      if (!proto && state === 'LISTEN') proto = 'tcp';
      if (!proto) return undefined;
    } else if (this.section && tk.length >= 2 && tk.length <= 8 && splitAddress(tk[0])) {
      // Solaris: local remote swind send-q rwind recv-q state [if] (TCP) / local [remote] state (UDP)
      proto = this.section;
      local = tk[0];
      if (proto === 'udp') {
        state = tk[tk.length - 1];
        peer = tk.length === 3 ? tk[1] : undefined;
      } else {
        if (tk.length < 7) return undefined;
        peer = tk[1];
        state = tk[6];
      }
      form = 'dotted';
    } else return undefined;
    if (!local) return undefined;
    const sa = splitAddress(local);
    if (!sa || sa.port === undefined) return undefined;
    form ??= local.lastIndexOf(':') >= 0 ? 'colon' : 'dotted';
    const canon = state ? (canonicalState(state.replace(/\s+/g, '_')) ?? (LOCALISED_LISTEN.includes(state.toUpperCase()) ? 'LISTEN' : undefined)) : undefined;
    const unconnected = peer === undefined || wildcardPeer(peer);
    const listen = proto === 'tcp' ? canon === 'LISTEN' : canon === 'UNCONN' || canon === 'IDLE' || (unconnected && (canon === undefined || canon === 'CLOSED'));
    const peerPort = peer !== undefined && !unconnected ? splitAddress(peer)?.port : undefined;
    return { proto, port: sa.port, loopback: isLoopback(sa.addr), listen, peerPort, form };
  }

  /** systemctl status / service status lines; true when the line was one. */
  private unitLine(no: number, text: string): boolean {
    const t = text.trim();
    const head = /^[●*○×]?\s*([\w@.-]+\.(?:service|socket))\s+-\s/.exec(t);
    if (head) {
      this.endUnit();
      this.unit = { unit: head[1], state: 'not-found', failedRun: false, line: no, text, host: this.unitCmd?.host };
      return true;
    }
    const loaded = /^Loaded:\s+(\S+)(?:\s+\(([^)]*)\))?/.exec(t);
    if (loaded) {
      this.unit ??= { unit: this.unitCmd?.unit ?? '?', state: 'not-found', failedRun: false, line: no, text, host: this.unitCmd?.host };
      if (loaded[1] === 'not-found') {
        this.unit.state = 'not-found';
        this.unit.line = no;
        this.unit.text = text;
      }
      const opts = (loaded[2] ?? '').split(';').map((x) => x.trim());
      if (opts[1] === 'enabled' || opts[1] === 'enabled-runtime') this.unit.enabled = true;
      else if (opts[1] === 'disabled' || opts[1] === 'masked' || opts[1] === 'static' || opts[1] === 'indirect') this.unit.enabled = false;
      return true;
    }
    const active = /^Active:\s+(active|inactive|failed|activating|deactivating)(?:\s+\(([^)]*)\))?/.exec(t);
    if (active) {
      this.unit ??= { unit: this.unitCmd?.unit ?? '?', state: 'not-found', failedRun: false, line: no, text, host: this.unitCmd?.host };
      const sub = (active[2] ?? '').split(/[\s)]/)[0];
      const s: UnitState =
        active[1] === 'active' ? (sub === 'exited' ? 'exited' : sub === 'listening' ? 'listening' : sub === 'waiting' ? 'waiting' : 'running') : active[1] === 'inactive' ? 'inactive' : active[1] === 'failed' ? 'failed' : 'activating';
      this.unit.state = s;
      this.unit.failedRun = s === 'failed' || (s === 'activating' && /Result:\s*(?:exit-code|signal|core-dump|timeout)/.test(t));
      this.unit.line = no;
      this.unit.text = text;
      return true;
    }
    const listen = /^Listen:\s+(\S+)\s+\((Stream|Datagram|SequentialPacket)\)/.exec(t);
    if (listen && this.unit) {
      const sa = splitAddress(listen[1]);
      if (sa?.port !== undefined) {
        const l: Listing = { line: no, protos: new Set(), asked: new Set(), view: { tests: [] }, partial: 'a socket unit lists its own ports only', header: false, rows: [], ended: false, stateWord: false, clientOf: new Set(), host: this.unit.host };
        l.rows.push({ proto: listen[2] === 'Datagram' ? 'udp' : 'tcp', port: sa.port, loopback: isLoopback(sa.addr), line: no, text });
        if (this.listings.length < MAX_LISTINGS) this.listings.push(l);
      }
      return true;
    }
    if (this.unitCmd?.sysv) {
      // SysV: "xinetd (pid  2211) is running...", "xinetd is stopped", "xinetd dead but pid file exists"
      const u = this.unitCmd.unit ?? '?';
      if (/\bis running\b/.test(t)) this.units.push({ unit: u, state: 'running', failedRun: false, line: no, text, host: this.unitCmd.host });
      else if (/\bis stopped\b|\bnot running\b/.test(t)) this.units.push({ unit: u, state: 'inactive', failedRun: false, line: no, text, host: this.unitCmd.host });
      else if (/\bdead but\b/.test(t)) this.units.push({ unit: u, state: 'failed', failedRun: true, line: no, text, host: this.unitCmd.host });
      else if (/unrecognized service|could not be found|not-found/i.test(t)) this.units.push({ unit: u, state: 'not-found', failedRun: false, line: no, text, host: this.unitCmd.host });
      else return false;
      return true;
    }
    if (this.unitCmd && /Unit \S+ could not be found/.test(t)) {
      this.units.push({ unit: this.unitCmd.unit ?? '?', state: 'not-found', failedRun: false, line: no, text, host: this.unitCmd.host });
      return true;
    }
    return this.unit !== undefined && /^(?:Docs|Main PID|Process|Tasks|Memory|CPU|CGroup|Triggers|Accepted|Connected|Status|Invocation|TriggeredBy):/.test(t);
  }

  finish(): Observation[] {
    // the end of the file is not the end of an output: a listing still open there may be cut
    this.endUnit();
    const out: Observation[] = [];
    const perPort = new Map<number, { value: boolean; loopbackOnly: boolean; line: number; text: string }[]>();
    const summary: { value: boolean; line: number; text: string }[] = [];
    for (const l of this.listings) {
      const { verdicts, asked } = this.judge(l);
      for (const [port, v] of verdicts) {
        const list = perPort.get(port) ?? [];
        list.push(v);
        perPort.set(port, list);
      }
      const backupAsked = [...asked].filter((p) => BACKUP_PORTS.has(p));
      if (!backupAsked.length) continue;
      // a host that itself connects to the port is a source of the failing step: its own listener is not the destination's
      const outbound = backupAsked.filter((p) => l.clientOf.has(p));
      if (outbound.length) {
        this.ctx.withhold('listeners.service_port', `"${clip(l.cmd?.command ?? '', 60)}": this host connects to ${outbound.join(', ')} itself, so it is a source of the connection, not the destination`, l.line);
        continue;
      }
      const vs = backupAsked.map((p) => verdicts.get(p));
      if (vs.every((v) => v?.value === true)) summary.push({ value: true, line: vs[0]!.line, text: vs[0]!.text });
      else if (vs.every((v) => v?.value === false)) summary.push({ value: false, line: vs[0]!.line, text: vs[0]!.text });
      else if (vs.some((v) => v !== undefined)) this.ctx.withhold('listeners.service_port', `"${clip(l.cmd?.command ?? '', 60)}" asks about ports ${backupAsked.join(', ')} and they differ`, l.line);
    }
    for (const [port, vs] of perPort) {
      const values = new Set(vs.map((v) => v.value));
      if (values.size > 1) {
        this.ctx.withhold(`listeners.port.${port}`, 'the listings disagree (listened in one, absent in another)', vs[0].line);
        continue;
      }
      const v = vs.find((x) => x.value) ?? vs[0];
      out.push({ key: `listeners.port.${port}`, value: v.value, line: v.line, text: v.text });
      if (!v.value && vs.every((x) => x.loopbackOnly)) out.push({ key: `listeners.loopback_only.${port}`, value: true, line: v.line, text: v.text });
    }
    for (const u of this.units) {
      const name = unitBase(u.unit);
      if (!BACKUP_UNITS.has(name)) continue;
      out.push({ key: `listeners.unit_state.${name}`, value: u.state, line: u.line, text: u.text, ...(u.host ? { host: u.host } : {}) });
      if (u.failedRun) summary.push({ value: false, line: u.line, text: `${u.unit}: ${u.text.trim()}` });
      else if (u.state === 'inactive' && u.enabled === true) summary.push({ value: false, line: u.line, text: `${u.unit} is enabled but not running: ${u.text.trim()}` });
      else if (u.state === 'inactive') this.ctx.withhold('listeners.service_port', `${u.unit} is inactive but not enabled: the service may be started another way (a socket unit, xinetd)`, u.line);
      else if (u.state === 'not-found') this.ctx.withhold('listeners.service_port', `${u.unit} does not exist on this host: the service may run under another name`, u.line);
    }
    const values = new Set(summary.map((s) => s.value));
    if (values.size === 1) out.push({ key: 'listeners.service_port', value: summary[0].value, line: summary[0].line, text: summary[0].text });
    else if (values.size > 1) this.ctx.withhold('listeners.service_port', 'the checks disagree (a port listened in one, absent or failed in another)', summary[0].line);
    return out;
  }

  /** Per-port verdicts of one listing, and the ports its command asked about. */
  private judge(l: Listing): { verdicts: Map<number, { value: boolean; loopbackOnly: boolean; line: number; text: string }>; asked: Set<number> } {
    const verdicts = new Map<number, { value: boolean; loopbackOnly: boolean; line: number; text: string }>();
    const ports = new Set<number>([...BACKUP_PORTS.keys(), ...l.asked]);
    const what = l.cmd ? `"${clip(l.cmd.command, 60)}"` : 'the listing';
    const form = l.form ?? (l.cmd?.stages.slice(1).some((st) => st.name === 'findstr' || st.name === 'find' || st.name === 'select-string') ? 'windows' : undefined);
    for (const port of ports) {
      const rows = l.rows.filter((r) => r.port === port);
      const pub = rows.find((r) => !r.loopback);
      if (pub) {
        verdicts.set(port, { value: true, loopbackOnly: false, line: pub.line, text: pub.text });
        continue;
      }
      const need = BACKUP_PORTS.get(port) ?? (l.protos.size === 1 ? [...l.protos] : ['tcp' as const]);
      const why = this.absenceBlocked(l, port, need, form);
      if (why) {
        if (rows.length || l.asked.has(port)) this.ctx.withhold(`listeners.port.${port}`, `${what}: ${why}`, l.line);
        continue;
      }
      const lo = rows[0];
      verdicts.set(port, {
        value: false,
        loopbackOnly: rows.length > 0,
        line: lo?.line ?? l.line,
        text: lo ? `${port} on loopback only: ${lo.text.trim()}` : `${clip(l.cmd?.command ?? '', 100)}: no listener on ${port}`,
      });
    }
    return { verdicts, asked: l.asked };
  }

  /** Why the listing cannot show that nothing listens on `port`, or undefined when it can. */
  private absenceBlocked(l: Listing, port: number, need: readonly Proto[], form: Form | undefined): string | undefined {
    if (l.partial) return l.partial;
    if (!l.ended) return 'the paste ends before its output does';
    if (l.clientOf.has(port)) return `this host connects to ${port} as a client: the listing is from the source, not the destination`;
    if (l.toolPorts && !l.toolPorts.has(port)) return `the command asks only for ${[...l.toolPorts].join(', ')}`;
    const missing = need.filter((p) => !l.protos.has(p));
    if (missing.length) return `it lists no ${missing.join('/')} sockets`;
    for (const proto of need) {
      const rows = canonicalRows(l.tool, proto, port, form);
      if (!rows.every((r) => keeps(l.view, r))) return `its filter would not show a ${proto} listener on ${port}`;
    }
    const filteredForPort = l.asked.has(port);
    if (!l.rows.length && !l.header && !filteredForPort) return 'it printed no row at all, which no host does: the filter matched nothing';
    if (!l.rows.length && l.stateWord && form !== 'colon') return 'an empty result after a filter on the English state proves nothing where Windows prints it in another language (ABHÖREN, ÉCOUTE)';
    return undefined;
  }
}
