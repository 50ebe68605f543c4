/**
 * TCP buffer, window and timer settings as hosts report them: Linux `sysctl -a` / `sysctl KEY …` /
 * `sysctl -n KEY` / `cat /proc/sys/net/…` (tcp_rmem, tcp_wmem, net.core.rmem_max/wmem_max,
 * tcp_window_scaling, tcp_keepalive_*, tcp_tw_reuse, tcp_fin_timeout, tcp_max_tw_buckets), FreeBSD/macOS
 * `sysctl net.inet.tcp` ("key: value"), Windows `netsh interface tcp show global` (the auto-tuning line
 * found by its words in English, German, French, Spanish, Italian, Portuguese, Russian, Japanese, Chinese,
 * Korean), `reg query …\Tcpip\Parameters` (REG_DWORD 0x… values), Solaris `ndd /dev/tcp`, AIX `no -a`.
 *
 * Concludes whether TCP windows are limited: window scaling off, receive-window auto-tuning disabled (or
 * highly restricted, 256 KB at most), or a tcp_rmem/tcp_wmem maximum of 256 KiB or less; not limited when
 * scaling is on and both maxima are 4 MiB or more (or Windows auto-tuning is normal). Values read after a
 * change in the same paste (`sysctl -w`, `sysctl -p`, `netsh … set global`, `reg add`, `ndd -set`, `no -o
 * x=y`) and values from configuration files are not the ones the failure ran under and are not used.
 * The keepalive time is given in seconds for another reader to compare with a firewall's idle timeout.
 */
import { commandList } from '../command-list.js';
import type { CommandLine } from '../transcript.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

const KIB = 1024;
const SMALL = 256 * KIB;
const LARGE = 4 * KIB * KIB;
const LEVELS = ['disabled', 'highlyrestricted', 'restricted', 'normal', 'experimental'] as const;
type Level = (typeof LEVELS)[number];

/** Linux/BSD sysctl names → the setting they hold. */
const SYSCTL_KEYS: Record<string, string> = {
  'net.ipv4.tcp_rmem': 'rmem',
  'net.ipv4.tcp_wmem': 'wmem',
  'net.core.rmem_max': 'core_rmem_max',
  'net.core.wmem_max': 'core_wmem_max',
  'net.ipv4.tcp_window_scaling': 'window_scaling',
  'net.ipv4.tcp_keepalive_time': 'keepalive_time',
  'net.ipv4.tcp_keepalive_intvl': 'keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes': 'keepalive_probes',
  'net.ipv4.tcp_tw_reuse': 'tw_reuse',
  'net.ipv4.tcp_fin_timeout': 'fin_timeout',
  'net.ipv4.tcp_max_tw_buckets': 'max_tw_buckets',
  'net.inet.tcp.rfc1323': 'window_scaling',
  'net.inet.tcp.recvbuf_max': 'bsd_recvbuf_max',
  'net.inet.tcp.sendbuf_max': 'bsd_sendbuf_max',
  'net.inet.tcp.keepidle': 'bsd_keepidle_ms',
};
/** AIX `no` tunables. */
const AIX_KEYS: Record<string, string> = { rfc1323: 'aix_rfc1323', use_isno: 'aix_use_isno', tcp_recvspace: 'aix_recvspace', tcp_sendspace: 'aix_sendspace', tcp_keepidle: 'aix_keepidle', sb_max: 'aix_sb_max' };
/** Solaris ndd /dev/tcp parameters. */
const NDD_KEYS: Record<string, string> = { tcp_recv_hiwat: 'sol_recv_hiwat', tcp_xmit_hiwat: 'sol_xmit_hiwat', tcp_max_buf: 'sol_max_buf', tcp_keepalive_interval: 'sol_keepalive_ms', tcp_time_wait_interval: 'sol_time_wait_ms' };
/** Windows Tcpip\Parameters values. */
const REG_KEYS: Record<string, string> = { keepalivetime: 'win_keepalive_ms', tcptimedwaitdelay: 'win_tw_delay', maxuserport: 'win_max_user_port', tcp1323opts: 'win_tcp1323opts' };

const WINDOW_WORDS = ['window', 'fenster', 'fenêtre', 'fenetre', 'ventana', 'finestra', 'janela', 'окна', 'окно', 'ウィンドウ', '窗口', '視窗', '창'];
const AUTO_WORDS = ['auto', 'abstimm', 'авто', '自動', '自动', '자동'];
const DISABLED_WORDS = new Set(['disabled', 'deaktiviert', 'désactivé', 'desactive', 'deshabilitado', 'disattivato', 'desabilitado', 'отключено', '無効']);

interface Reading {
  value: number | string;
  line: number;
  text: string;
  changed?: string;
}

type CmdKind = 'read' | 'sysctl-n' | 'proc' | 'config' | 'ndd' | 'netsh' | 'reg' | 'set' | 'other';

export const tcpTuningParser: ParserDef = {
  kind: 'tcp-tuning',
  label: 'TCP buffers, window scaling and timers',
  aliases: ['tcp-global', 'tcp-tunables'],
  detect: [/^net\.ipv4\.tcp_(?:rmem|wmem|window_scaling|keepalive_time)\s*=/, /^net\.core\.[rw]mem_max\s*=/, /Auto-Tuning Level\s*:/i, /\\Tcpip\\Parameters\s*$/i, /^\s*(?:rfc1323|tcp_recvspace)\s*=\s*\d/],
  bigFileLiterals: ['net.ipv4.tcp_', 'net.core.', 'Auto-Tuning'],
  emits: {
    'tcp.small_buffers': { type: 'boolean', meaning: 'TCP windows are limited (scaling off, auto-tuning disabled, tcp_rmem/wmem max ≤ 256 KiB); false: scaling on and both maxima ≥ 4 MiB, or Windows auto-tuning normal' },
    'tcp.window_scaling': { type: 'boolean', meaning: 'TCP window scaling (RFC 1323/7323) is on' },
    'tcp.rmem_max': { type: 'number', unit: 'bytes', meaning: 'the most a TCP receive buffer may grow to (tcp_rmem third value)' },
    'tcp.wmem_max': { type: 'number', unit: 'bytes', meaning: 'the most a TCP send buffer may grow to (tcp_wmem third value)' },
    'tcp.core_rmem_max': { type: 'number', unit: 'bytes', meaning: 'net.core.rmem_max: the cap on a receive buffer an application sets itself' },
    'tcp.core_wmem_max': { type: 'number', unit: 'bytes', meaning: 'net.core.wmem_max: the cap on a send buffer an application sets itself' },
    'tcp.default_rcvbuf': { type: 'number', unit: 'bytes', meaning: 'the default receive buffer (tcp_rmem second value, Solaris tcp_recv_hiwat, AIX tcp_recvspace)' },
    'tcp.autotuning_level': { type: 'string', values: [...LEVELS], meaning: 'Windows receive-window auto-tuning level' },
    'tcp.keepalive_time_s': { type: 'number', unit: 's', meaning: 'idle time before the first TCP keepalive probe' },
    'tcp.keepalive_intvl_s': { type: 'number', unit: 's', meaning: 'time between TCP keepalive probes' },
    'tcp.keepalive_probes': { type: 'number', unit: 'probes', meaning: 'keepalive probes before the connection is dropped' },
    'tcp.tw_reuse': { type: 'number', meaning: 'net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only)' },
    'tcp.fin_timeout_s': { type: 'number', unit: 's', meaning: 'net.ipv4.tcp_fin_timeout' },
    'tcp.max_tw_buckets': { type: 'number', unit: 'sockets', meaning: 'net.ipv4.tcp_max_tw_buckets' },
    'tcp.time_wait_s': { type: 'number', unit: 's', meaning: 'how long a closed connection stays in TIME_WAIT (Windows TcpTimedWaitDelay, Solaris tcp_time_wait_interval)' },
    'tcp.max_user_port': { type: 'number', meaning: 'Windows MaxUserPort (used for the ephemeral range up to Windows Server 2003 only)' },
  },
  samples: [
    {
      name: 'sysctl -a excerpt with small buffers (CentOS 5 tuned down)',
      input: '$ sysctl -a | grep -E "tcp_(r|w)mem|window_scaling"\nnet.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_rmem = 4096\t87380\t174760\nnet.ipv4.tcp_wmem = 4096\t16384\t131072\n$ ',
      yields: { 'tcp.small_buffers': true, 'tcp.rmem_max': 174760, 'tcp.wmem_max': 131072 },
    },
    {
      name: 'sysctl on a current Linux default',
      input: 'net.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nnet.ipv4.tcp_wmem = 4096\t16384\t4194304\nnet.ipv4.tcp_keepalive_time = 7200',
      yields: { 'tcp.small_buffers': false, 'tcp.keepalive_time_s': 7200 },
    },
    {
      name: 'netsh interface tcp show global (English, Windows Server 2019)',
      input: 'C:\\>netsh interface tcp show global\nQuerying active state...\n\nTCP Global Parameters\n----------------------------------------------\nReceive-Side Scaling State          : enabled\nReceive Window Auto-Tuning Level    : disabled\nAdd-On Congestion Control Provider  : default\nECN Capability                      : disabled\nRFC 1323 Timestamps                 : disabled\n',
      yields: { 'tcp.autotuning_level': 'disabled', 'tcp.small_buffers': true },
    },
    {
      name: 'netsh in German',
      input: 'C:\\>netsh int tcp show global\nAktiver Status wird abgefragt...\n\nTCP-globale Parameter\n----------------------------------------------\nZustand der empfangsseitigen Skalierung : enabled\nAutom. Abstimmungsgrad Empfangsfenster  : normal\n',
      yields: { 'tcp.autotuning_level': 'normal', 'tcp.small_buffers': false },
    },
    {
      name: 'reg query Tcpip\\Parameters',
      input: 'C:\\>reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n    TcpTimedWaitDelay    REG_DWORD    0x1e\n    KeepAliveTime    REG_DWORD    0x493e0\n    MaxUserPort    REG_DWORD    0xfffe\n',
      yields: { 'tcp.time_wait_s': 30, 'tcp.keepalive_time_s': 300, 'tcp.max_user_port': 65534 },
      never: ['tcp.small_buffers'],
    },
    {
      name: 'sysctl -w in the paste: the value after it is not the failure\'s',
      input: '# sysctl -w net.ipv4.tcp_window_scaling=0\nnet.ipv4.tcp_window_scaling = 0\n# ',
      yields: {},
      never: ['tcp.small_buffers', 'tcp.window_scaling'],
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new TcpTuningReader(ctx);
  },
};

/** "net/ipv4/tcp_rmem" or "/proc/sys/net/ipv4/tcp_rmem" → "net.ipv4.tcp_rmem". */
function sysctlName(path: string): string {
  return path.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** "net.ipv4.tcp_rmem = 4096 87380 6291456" / "rfc1323 = 1" / "net.inet.tcp.rfc1323: 1" → key and value. */
function keyValue(t: string): { key: string; value: string } | undefined {
  const eq = t.indexOf('=');
  const colon = t.indexOf(':');
  const at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
  if (at <= 0) return undefined;
  const key = t.slice(0, at).trim();
  if (!/^[a-z][a-z0-9_.]*$/.test(key)) return undefined;
  return { key, value: t.slice(at + 1).trim() };
}

class TcpTuningReader implements Parser {
  private readonly readings = new Map<string, Reading[]>();
  private kind: CmdKind = 'other';
  /** Settings whose values follow bare, one a line, in this order. */
  private pending: { key: string; via: 'sysctl' | 'ndd' }[] = [];
  private changed?: string;
  private configNoted = false;

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    this.pending = [];
    this.kind = 'other';
    for (const part of commandList(cmd)) {
      const kind = this.partKind(no, part, cmd);
      if (kind === 'set' || this.kind === 'other' || this.kind === 'read') this.kind = kind;
    }
  }

  /** What one command prints, queueing the settings that `sysctl -n`, `cat /proc/sys/…` and `ndd` print bare. */
  private partKind(no: number, cmd: CommandLine, line: CommandLine): CmdKind {
    const st = cmd.stages[0];
    const name = st?.name ?? '';
    const a = st?.args ?? [];
    const configFile = a.some((x) => x.startsWith('/etc/sysctl') || x.endsWith('.conf'));
    if (name === 'sysctl') {
      if (a.some((x) => x === '-w' || x === '--write' || x === '-p' || x === '--load' || x === '--system' || (x.includes('=') && !x.startsWith('-')))) return this.change(line);
      if (a.includes('-n') || a.includes('--values')) {
        for (const x of a) if (!x.startsWith('-')) this.pending.push({ key: sysctlName(x), via: 'sysctl' });
        return 'sysctl-n';
      }
      return 'read';
    }
    if ((name === 'cat' || name === 'grep' || name === 'egrep' || name === 'less' || name === 'more') && configFile) {
      if (!this.configNoted) this.ctx.withhold('tcp settings', `"${clip(line.command, 60)}" shows a configuration file, not the running values`, no);
      this.configNoted = true;
      return 'config';
    }
    if (name === 'cat' && a.some((x) => x.startsWith('/proc/sys/'))) {
      const files = a.filter((x) => x.startsWith('/proc/sys/'));
      if (files.length !== 1) return 'other'; // several files print their values without names
      this.pending.push({ key: sysctlName(files[0]), via: 'sysctl' });
      return 'proc';
    }
    if (name === 'ndd') {
      if (a.includes('-set')) return this.change(line);
      for (const x of a) if (NDD_KEYS[x] !== undefined) this.pending.push({ key: x, via: 'ndd' });
      return 'ndd';
    }
    if (name === 'no') return a.some((x) => x.includes('=')) || a.includes('-d') || a.includes('-D') ? this.change(line) : 'read';
    if (name === 'netsh') return a.some((x) => x.toLowerCase() === 'set') ? this.change(line) : 'netsh';
    if (name === 'reg') {
      const verb = (a[0] ?? '').toLowerCase();
      return verb === 'add' || verb === 'delete' || verb === 'import' ? this.change(line) : 'reg';
    }
    if (name === 'set-netoffloadglobalsetting' || name === 'set-nettcpsetting' || name === 'set-itemproperty') return this.change(line);
    return 'other';
  }

  private change(cmd: CommandLine): CmdKind {
    this.changed = cmd.command;
    return 'set';
  }

  prompt(): void {
    this.kind = 'other';
    this.pending = [];
  }

  private put(setting: string, value: number | string, line: number, text: string): void {
    const list = this.readings.get(setting) ?? [];
    if (list.length < 64) list.push({ value, line, text, ...(this.changed ? { changed: this.changed } : {}) });
    this.readings.set(setting, list);
  }

  line(no: number, text: string): void {
    const t = text.trim();
    if (!t || this.kind === 'config') return;
    if (this.pending.length && (this.pending[0].via === 'sysctl' || /^\d+$/.test(t))) {
      const { key, via } = this.pending.shift()!;
      if (via === 'ndd') return this.put(NDD_KEYS[key], Number(t), no, text);
      const setting = SYSCTL_KEYS[key];
      if (setting) this.sysctlValue(setting, t, no, text);
      return;
    }
    // "key = value" (Linux, AIX) or "key: value" (BSD)
    const kv = keyValue(t);
    if (kv) {
      const setting = SYSCTL_KEYS[kv.key];
      if (setting) return this.sysctlValue(setting, kv.value, no, text);
      const aix = AIX_KEYS[kv.key];
      if (aix && /^\d+$/.test(kv.value)) return this.put(aix, Number(kv.value), no, text);
    }
    const reg = /^([A-Za-z0-9]+)\s+REG_DWORD\s+0x([0-9a-fA-F]{1,8})$/.exec(t);
    if (reg) {
      const setting = REG_KEYS[reg[1].toLowerCase()];
      if (setting) this.put(setting, parseInt(reg[2], 16), no, text);
      return;
    }
    // netsh pads its labels and puts " : " before the value; log lines with times do not
    const colon = t.lastIndexOf(' :');
    if (colon > 0 && (this.kind === 'netsh' || this.kind === 'other' || this.kind === 'read')) this.netshLine(t.slice(0, colon), t.slice(colon + 2), no, text);
  }

  private sysctlValue(setting: string, raw: string, no: number, text: string): void {
    const nums = raw.split(/\s+/).filter(Boolean);
    if (!nums.every((x) => /^\d+$/.test(x))) return;
    if (setting === 'rmem' || setting === 'wmem') {
      if (nums.length !== 3) return;
      this.put(`${setting}_max`, Number(nums[2]), no, text);
      if (setting === 'rmem') this.put('rmem_default', Number(nums[1]), no, text);
      return;
    }
    if (nums.length === 1) this.put(setting, Number(nums[0]), no, text);
  }

  /** The auto-tuning line of netsh, found by a window word and an automatic word in its label. */
  private netshLine(label: string, value: string, no: number, text: string): void {
    const l = label.toLowerCase();
    if (!WINDOW_WORDS.some((w) => l.includes(w)) || !AUTO_WORDS.some((w) => l.includes(w))) return;
    if (l.includes('heuristic')) return;
    const v = value.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const level = (LEVELS as readonly string[]).includes(v) ? (v as Level) : DISABLED_WORDS.has(v) ? 'disabled' : undefined;
    if (level) this.put('autotuning', level, no, text);
  }

  /** The one value of a setting the failure ran under, or undefined (absent, changed in the paste, or disagreeing). */
  private value(setting: string, about: string): Reading | undefined {
    const all = this.readings.get(setting);
    if (!all?.length) return undefined;
    const before = all.filter((r) => !r.changed);
    if (!before.length) {
      this.ctx.withhold(about, `read after "${clip(all[0].changed ?? '', 60)}" in the same paste: not the value the failure ran under`, all[0].line);
      return undefined;
    }
    if (new Set(before.map((r) => r.value)).size > 1) {
      this.ctx.withhold(about, `the paste holds different values (${[...new Set(before.map((r) => r.value))].join(', ')})`, before[0].line);
      return undefined;
    }
    return before[0];
  }

  finish(): Observation[] {
    const out: Observation[] = [];
    const emit = (key: string, r: Reading | undefined, value: number | string | boolean | undefined = r?.value) => {
      if (r && value !== undefined) out.push({ key, value, line: r.line, text: r.text });
    };
    const scaling = this.value('window_scaling', 'tcp.window_scaling');
    const rmem = this.value('rmem_max', 'tcp.rmem_max');
    const wmem = this.value('wmem_max', 'tcp.wmem_max');
    const auto = this.value('autotuning', 'tcp.autotuning_level');
    const aixRfc = this.value('aix_rfc1323', 'tcp.window_scaling');
    const aixIsno = this.value('aix_use_isno', 'tcp.window_scaling');
    emit('tcp.window_scaling', scaling, scaling ? scaling.value !== 0 : undefined);
    emit('tcp.rmem_max', rmem);
    emit('tcp.wmem_max', wmem);
    emit('tcp.core_rmem_max', this.value('core_rmem_max', 'tcp.core_rmem_max'));
    emit('tcp.core_wmem_max', this.value('core_wmem_max', 'tcp.core_wmem_max'));
    emit('tcp.default_rcvbuf', this.value('rmem_default', 'tcp.default_rcvbuf') ?? this.value('sol_recv_hiwat', 'tcp.default_rcvbuf') ?? this.value('aix_recvspace', 'tcp.default_rcvbuf'));
    emit('tcp.autotuning_level', auto);
    const ka = this.value('keepalive_time', 'tcp.keepalive_time_s');
    const winKa = this.value('win_keepalive_ms', 'tcp.keepalive_time_s');
    const solKa = this.value('sol_keepalive_ms', 'tcp.keepalive_time_s');
    const aixKa = this.value('aix_keepidle', 'tcp.keepalive_time_s');
    const bsdKa = this.value('bsd_keepidle_ms', 'tcp.keepalive_time_s');
    if (ka) emit('tcp.keepalive_time_s', ka);
    else if (winKa) emit('tcp.keepalive_time_s', winKa, Number(winKa.value) / 1000);
    else if (solKa) emit('tcp.keepalive_time_s', solKa, Number(solKa.value) / 1000);
    else if (bsdKa) emit('tcp.keepalive_time_s', bsdKa, Number(bsdKa.value) / 1000);
    else if (aixKa) emit('tcp.keepalive_time_s', aixKa, Number(aixKa.value) / 2); // AIX counts half-seconds
    emit('tcp.keepalive_intvl_s', this.value('keepalive_intvl', 'tcp.keepalive_intvl_s'));
    emit('tcp.keepalive_probes', this.value('keepalive_probes', 'tcp.keepalive_probes'));
    emit('tcp.tw_reuse', this.value('tw_reuse', 'tcp.tw_reuse'));
    emit('tcp.fin_timeout_s', this.value('fin_timeout', 'tcp.fin_timeout_s'));
    emit('tcp.max_tw_buckets', this.value('max_tw_buckets', 'tcp.max_tw_buckets'));
    const winTw = this.value('win_tw_delay', 'tcp.time_wait_s');
    const solTw = this.value('sol_time_wait_ms', 'tcp.time_wait_s');
    if (winTw) emit('tcp.time_wait_s', winTw);
    else if (solTw) emit('tcp.time_wait_s', solTw, Number(solTw.value) / 1000);
    emit('tcp.max_user_port', this.value('win_max_user_port', 'tcp.max_user_port'));
    this.finishSmall(out, { scaling, rmem, wmem, auto, aixRfc, aixIsno });
    return out;
  }

  private finishSmall(out: Observation[], v: { scaling?: Reading; rmem?: Reading; wmem?: Reading; auto?: Reading; aixRfc?: Reading; aixIsno?: Reading }): void {
    const limited: Reading[] = [];
    const roomy: Reading[] = [];
    if (v.scaling?.value === 0) limited.push(v.scaling);
    if (v.rmem && Number(v.rmem.value) <= SMALL) limited.push(v.rmem);
    if (v.wmem && Number(v.wmem.value) <= SMALL) limited.push(v.wmem);
    if (v.auto && (v.auto.value === 'disabled' || v.auto.value === 'highlyrestricted')) limited.push(v.auto);
    if (v.aixRfc?.value === 0) {
      // per-interface options (use_isno, the default) override the global rfc1323
      if (v.aixIsno?.value === 0) limited.push(v.aixRfc);
      else this.ctx.withhold('tcp.small_buffers', 'AIX rfc1323 = 0, but interface-specific options (use_isno) may turn scaling on per adapter', v.aixRfc.line);
    }
    if (v.scaling && v.scaling.value !== 0 && v.rmem && v.wmem && Number(v.rmem.value) >= LARGE && Number(v.wmem.value) >= LARGE) roomy.push(v.rmem);
    if (v.auto && (v.auto.value === 'normal' || v.auto.value === 'experimental')) roomy.push(v.auto);
    if (limited.length && roomy.length) {
      this.ctx.withhold('tcp.small_buffers', 'some settings limit the window and others do not (several hosts in one paste?)', limited[0].line);
      return;
    }
    const r = limited[0] ?? roomy[0];
    if (r) out.push({ key: 'tcp.small_buffers', value: limited.length > 0, line: r.line, text: r.text });
  }
}
