/**
 * Configured ephemeral (dynamic) port ranges: Linux `sysctl net.ipv4.ip_local_port_range` (also `-n`, and
 * `cat /proc/sys/net/ipv4/ip_local_port_range`), Windows `netsh int ipv4|ipv6 show dynamicport tcp`
 * (English, German, French, Spanish; the UDP range is not the TCP one), Solaris/HP-UX `ndd /dev/tcp
 * tcp_smallest_anon_port|tcp_largest_anon_port`, Solaris 11 `ipadm show-prop -p smallest_anon_port tcp`,
 * AIX `no -a | grep ephemeral`.
 *
 * Concludes the range and its size. A range printed after a change in the same paste (`sysctl -w`,
 * `netsh … set dynamicport`, `ndd -set`, `no -o x=y`) is not the one the failure ran under; ranges that
 * disagree (IPv4 and IPv6, two hosts) are not reported.
 */
import { commandList } from '../command-list.js';
import type { CommandLine } from '../transcript.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

const NETSH_HDR = /Protocol\s+(tcp|udp)\s+Dynamic\s+Port\s+Range|Protokoll\s+(tcp|udp)|Plage de ports dynamique(?:\s+du\s+protocole)?\s*(tcp|udp)?|[Ii]ntervalo de puertos din[áa]micos(?:\s+del\s+protocolo)?\s*(tcp|udp)?|protocolo\s+(tcp|udp)/i;
const NETSH_START = /^\s*(?:Start Port|Startport|Port de d[ée]part|Puerto inicial)[^:]*:\s*(\d+)\s*$/i;
const NETSH_COUNT = /^\s*(?:Number of Ports|Anzahl der Ports|Nombre de ports|N[úu]mero de puertos)[^:]*:\s*(\d+)\s*$/i;
const SYSCTL_KEY = 'net.ipv4.ip_local_port_range';
const AIX = /^\s*tcp_ephemeral_(low|high)\s*=\s*(\d+)\s*$/;
const NDD = /tcp_(smallest|largest)_anon_port$/;

interface Range {
  lo: number;
  hi: number;
  line: number;
  text: string;
  changed?: string;
}

type Expect = 'pair' | 'smallest' | 'largest' | 'ipadm' | 'skip';

export const portRangeParser: ParserDef = {
  kind: 'port-range',
  label: 'ephemeral port range',
  aliases: ['sysctl', 'netsh', 'dynamicport'],
  detect: [/net\.ipv4\.ip_local_port_range\s*=/, NETSH_HDR, /^\s*tcp_ephemeral_(?:low|high)\s*=/, /tcp_(?:smallest|largest)_anon_port/],
  bigFileLiterals: ['ip_local_port_range', 'tcp_ephemeral_'],
  emits: {
    'ports.ephemeral_low': { type: 'number', meaning: 'the lowest port of the configured ephemeral range' },
    'ports.ephemeral_high': { type: 'number', meaning: 'the highest port of the configured ephemeral range' },
    'ports.ephemeral_range_size': { type: 'number', unit: 'ports', meaning: 'ports in the configured ephemeral range' },
  },
  samples: [
    { name: 'sysctl on Linux', input: 'net.ipv4.ip_local_port_range = 32768\t60999', yields: { 'ports.ephemeral_low': 32768, 'ports.ephemeral_range_size': 28232 } },
    {
      name: 'netsh int ipv4 show dynamicport tcp (French)',
      input: 'C:\\>netsh int ipv4 show dynamicport tcp\r\n\r\nPlage de ports dynamique du protocole tcp\r\n---------------------------------\r\nPort de départ      : 49152\r\nNombre de ports     : 16384\r\n',
      yields: { 'ports.ephemeral_range_size': 16384, 'ports.ephemeral_high': 65535 },
    },
    {
      name: 'the UDP range is not the TCP one',
      input: 'C:\\>netsh int ipv4 show dynamicport udp\r\n\r\nProtocol udp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 1025\r\nNumber of Ports : 3976\r\n',
      yields: {},
      never: ['ports.'],
    },
    {
      name: 'sysctl -w in the same paste',
      input: '# sysctl -w net.ipv4.ip_local_port_range="1024 65000"\nnet.ipv4.ip_local_port_range = 1024 65000\n# ',
      yields: {},
      never: ['ports.'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new PortRangeReader(ctx);
  },
};

class PortRangeReader implements Parser {
  private readonly ranges: Range[] = [];
  /** What the bare lines after the command hold, in order (`ndd … smallest; ndd … largest`). */
  private expects: Expect[] = [];
  private udp = false;
  private changed?: string;
  private netsh?: { start?: number; udp: boolean };
  private lo?: { value: number; line: number; text: string };
  private hi?: { value: number; line: number; text: string };
  private ipadm?: { smallest?: number; largest?: number; line: number; text: string };

  constructor(private readonly ctx: ReaderContext) {}

  command(_no: number, cmd: CommandLine): void {
    this.expects = [];
    this.netsh = undefined;
    this.udp = false;
    for (const part of commandList(cmd)) this.readCommand(part, cmd);
  }

  /** One command of the line: a change, or what the bare lines after it hold. */
  private readCommand(cmd: CommandLine, line: CommandLine): void {
    const st = cmd.stages[0];
    const name = st?.name ?? '';
    const a = st?.args ?? [];
    const lower = a.map((x) => x.toLowerCase());
    if (name === 'sysctl') {
      if (a.some((x) => x === '-w' || x === '-p' || x === '--system' || x === '--load' || (x.includes('=') && !x.startsWith('-')))) this.changed = line.command;
      else if (a.includes('-n') || a.includes('--values')) {
        for (const x of a) if (!x.startsWith('-')) this.expects.push(x.replace(/\//g, '.').endsWith('ip_local_port_range') ? 'pair' : 'skip');
      }
    } else if (name === 'cat') {
      const files = a.filter((x) => !x.startsWith('-'));
      if (files.length === 1 && files[0].endsWith('/ip_local_port_range')) this.expects.push('pair');
    } else if (name === 'ndd') {
      if (a.includes('-set')) this.changed = line.command;
      else for (const x of a) {
        const m = NDD.exec(x);
        if (m) this.expects.push(m[1] === 'smallest' ? 'smallest' : 'largest');
      }
    } else if (name === 'ipadm') {
      if (lower[0] === 'set-prop') this.changed = line.command;
      else if (lower.some((x) => x.includes('anon_port'))) this.expects.push('ipadm');
    } else if (name === 'no') {
      if (a.some((x) => x.includes('='))) this.changed = line.command;
    } else if (name === 'netsh') {
      if (lower.includes('set')) this.changed = line.command;
      this.udp ||= lower.includes('udp');
    }
  }

  prompt(): void {
    this.expects = [];
  }

  private add(lo: number, hi: number, line: number, text: string): void {
    if (lo > 0 && hi >= lo && hi <= 65535 && this.ranges.length < 64) this.ranges.push({ lo, hi, line, text, ...(this.changed ? { changed: this.changed } : {}) });
  }

  line(no: number, text: string): void {
    const t = text.trim();
    if (!t) return;
    if (t.startsWith(SYSCTL_KEY)) {
      const rest = t.slice(SYSCTL_KEY.length).replace(/^\s*[=:]\s*/, '');
      const nums = rest.split(/\s+/);
      if (nums.length === 2 && nums.every((x) => /^\d{1,5}$/.test(x))) this.add(Number(nums[0]), Number(nums[1]), no, text);
      return;
    }
    const expect = this.expects[0];
    if (expect === 'skip') {
      this.expects.shift();
      return;
    }
    if (expect === 'pair') {
      const nums = t.split(/\s+/);
      this.expects.shift();
      if (nums.length === 2 && nums.every((x) => /^\d{1,5}$/.test(x))) this.add(Number(nums[0]), Number(nums[1]), no, text);
      return;
    }
    if ((expect === 'smallest' || expect === 'largest') && /^\d{1,5}$/.test(t)) {
      const v = { value: Number(t), line: no, text };
      if (expect === 'smallest') this.lo = v;
      else this.hi = v;
      this.expects.shift();
      return this.pairUp();
    }
    if (expect === 'ipadm') {
      // PROTO PROPERTY PERM CURRENT PERSISTENT DEFAULT POSSIBLE
      const tk = t.split(/\s+/);
      if (tk[0] === 'tcp' && /^(?:smallest|largest)_anon_port$/.test(tk[1] ?? '') && /^\d+$/.test(tk[3] ?? '')) {
        this.ipadm ??= { line: no, text };
        if (tk[1].startsWith('smallest')) this.ipadm.smallest = Number(tk[3]);
        else this.ipadm.largest = Number(tk[3]);
        if (this.ipadm.smallest !== undefined && this.ipadm.largest !== undefined) {
          this.add(this.ipadm.smallest, this.ipadm.largest, no, text);
          this.ipadm = undefined;
        }
      }
      return;
    }
    const hdr = NETSH_HDR.exec(t);
    if (hdr) {
      const proto = (hdr[1] ?? hdr[2] ?? hdr[3] ?? hdr[4] ?? hdr[5] ?? '').toLowerCase();
      this.netsh = { udp: proto === 'udp' || (proto === '' && this.udp) };
      return;
    }
    if (this.netsh) {
      let m = NETSH_START.exec(t);
      if (m) {
        this.netsh.start = Number(m[1]);
        return;
      }
      m = NETSH_COUNT.exec(t);
      if (m && this.netsh.start !== undefined) {
        const { start, udp } = this.netsh;
        this.netsh = undefined;
        if (udp) this.ctx.withhold('ports.ephemeral_range_size', 'the range shown is the UDP one', no);
        else this.add(start, start + Number(m[1]) - 1, no, text);
      }
      return;
    }
    const aix = AIX.exec(t);
    if (aix) {
      const v = { value: Number(aix[2]), line: no, text };
      if (aix[1] === 'low') this.lo = v;
      else this.hi = v;
      this.pairUp();
    }
  }

  /** A low and a high read on separate lines (ndd, AIX no) make a range once both are in. */
  private pairUp(): void {
    if (this.lo && this.hi) {
      const last = this.lo.line > this.hi.line ? this.lo : this.hi;
      this.add(this.lo.value, this.hi.value, last.line, last.text);
      this.lo = undefined;
      this.hi = undefined;
    }
  }

  finish(): Observation[] {
    const before = this.ranges.filter((r) => !r.changed);
    if (!before.length) {
      if (this.ranges.length) this.ctx.withhold('ports.ephemeral_range_size', `read after "${clip(this.ranges[0].changed ?? '', 60)}" in the same paste: not the range the failure ran under`, this.ranges[0].line);
      return [];
    }
    const distinct = new Set(before.map((r) => `${r.lo}-${r.hi}`));
    if (distinct.size > 1) {
      this.ctx.withhold('ports.ephemeral_range_size', `the paste shows different ranges (${[...distinct].join(', ')})`, before[0].line);
      return [];
    }
    const r = before[0];
    const where = { line: r.line, text: r.text };
    return [
      { key: 'ports.ephemeral_low', value: r.lo, ...where },
      { key: 'ports.ephemeral_high', value: r.hi, ...where },
      { key: 'ports.ephemeral_range_size', value: r.hi - r.lo + 1, ...where },
    ];
  }
}
