/**
 * SELinux on the backup hosts: `getenforce` (Enforcing/Permissive/Disabled), `sestatus` and `sestatus -v`
 * (RHEL 5-9, Fedora, CentOS), /etc/selinux/config, AVC records as audit.log holds them, as `ausearch -m avc`
 * prints them (raw, `-i` interpreted with unquoted and decoded fields, "----"/"time->" separators,
 * `<no matches>`), as the kernel logs them (`kernel: type=1400 audit(…)`, dmesg), USER_AVC records,
 * `audit2why`/`audit2allow` output and setroubleshoot's "SELinux is preventing …" in /var/log/messages.
 *
 * Concludes the running mode (not the configured one, and not a mode read after a `setenforce` in the same
 * paste), and whether a denial names a backup daemon (comm= or exe=, the same list as the signatures). A
 * denial recorded with permissive=1 was let through and is not counted. "No denial" is concluded only from a
 * search whose scope covers a backup daemon: `ausearch -m avc [-ts …]` or `-c amindexd` with `<no matches>`,
 * a complete listing holding only other processes, `grep denied audit.log | grep amindexd` that printed
 * nothing; a search for the launcher (`-c xinetd`), another process, a cut listing or a raw excerpt
 * without its command says nothing about the daemon.
 */
import { commandList } from '../command-list.js';
import { describeTests, keeps, viewOf, type View } from '../grep-view.js';
import type { CommandLine } from '../transcript.js';
import { BACKUP_PROCESSES, isBackupProcess, LAUNCHERS } from '../vocab/backup-services.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

type Mode = 'enforcing' | 'permissive' | 'disabled';
const MODES: readonly Mode[] = ['enforcing', 'permissive', 'disabled'];
const REASONS = ['te_rule_missing', 'boolean', 'constraint', 'role', 'allowed_now', 'dontaudit'] as const;
type Reason = (typeof REASONS)[number];

const SESTATUS_STATUS = /^\s*SELinux status:\s+(enabled|disabled)\s*$/i;
const SESTATUS_CURRENT = /^\s*Current mode:\s+(enforcing|permissive)\s*$/i;
const SESTATUS_CONFIG = /^\s*Mode from config file:\s+(enforcing|permissive|disabled)\s*$/i;
const CONFIG_LINE = /^\s*SELINUX\s*=\s*(enforcing|permissive|disabled)\s*$/i;
const PREVENTING = 'SELinux is preventing ';
const MAX_DENIALS = 10_000;

/** The non-launcher backup daemons, for "which daemons does this search cover". */
const DAEMONS = [...BACKUP_PROCESSES].filter((d) => !LAUNCHERS.has(d));

interface Denial {
  process: string;
  backup: boolean;
  permissive: boolean;
  line: number;
  text: string;
}

/** What one audit search command (ausearch, or grep/cat over an audit log) covers and showed. */
interface Search {
  cmd: CommandLine;
  line: number;
  /** Backup daemons whose denials would have been shown (empty: the search says nothing about them). */
  covers: string[];
  /** Why it covers none, for the note. */
  why?: string;
  /** The time window asked for, as written ("-ts recent"). */
  window?: string;
  rows: number;
  backupRows: number;
  noMatches: boolean;
  ended: boolean;
}

/** Decodes audit's hex form of an untrusted field (comm=616D696E64657864), else returns it as is. */
function auditField(raw: string): string {
  if (raw.startsWith('"')) return raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
  if (raw.length >= 2 && raw.length % 2 === 0 && /^[0-9A-F]+$/.test(raw)) {
    let s = '';
    for (let i = 0; i < raw.length; i += 2) {
      const c = parseInt(raw.slice(i, i + 2), 16);
      if (c < 32 || c > 126) return raw;
      s += String.fromCharCode(c);
    }
    return s;
  }
  return raw;
}

/** A denial in an AVC record line, or undefined (granted, or not an AVC record). */
function readAvc(text: string, no: number): Denial | undefined {
  const at = text.indexOf('avc:');
  if (at < 0) return undefined;
  const tokens = text.slice(at + 4).split(/\s+/).filter(Boolean);
  if (tokens[0] !== 'denied') return undefined;
  let comm: string | undefined;
  let exe: string | undefined;
  let permissive = false;
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq <= 0) continue;
    const key = t.slice(0, eq);
    const value = t.slice(eq + 1).replace(/'$/, '');
    if (key === 'comm') comm ??= auditField(value);
    else if (key === 'exe') exe ??= auditField(value);
    else if (key === 'permissive') permissive = value === '1';
  }
  const process = comm ?? (exe ? exe.slice(exe.lastIndexOf('/') + 1) : '?');
  const backup = (comm !== undefined && isBackupProcess(comm)) || (exe !== undefined && isBackupProcess(exe));
  return { process, backup, permissive, line: no, text };
}

/** setroubleshoot: "SELinux is preventing /usr/sbin/amindexd from getattr access on the tcp_socket …". */
function readPreventing(text: string, no: number): Denial | undefined {
  const at = text.indexOf(PREVENTING);
  if (at < 0) return undefined;
  const who = text.slice(at + PREVENTING.length).split(/\s+/)[0] ?? '';
  if (!who) return undefined;
  return { process: who.slice(who.lastIndexOf('/') + 1), backup: isBackupProcess(who), permissive: false, line: no, text };
}

function reasonOf(text: string): Reason | undefined {
  const t = text.trim().toLowerCase();
  if (t.startsWith('missing type enforcement')) return 'te_rule_missing';
  if (t.includes('boolean') && (t.includes('set incorrectly') || t.includes('booleans was set'))) return 'boolean';
  if (t.startsWith('constraint violation')) return 'constraint';
  if (t.startsWith('missing role allow')) return 'role';
  if (t.includes('would be allowed by active policy')) return 'allowed_now';
  if (t.includes("should be dontaudit'd")) return 'dontaudit';
  return undefined;
}

/** The minimal denial line of a daemon: what every AVC record for it holds (quoted, or as ausearch -i prints it). */
function canonicalDenial(daemon: string, interpreted: boolean): string {
  return `type=AVC msg=audit(: avc:  denied  { } for  pid= comm=${interpreted ? daemon : `"${daemon}"`}`;
}

const AUSEARCH_HARMLESS = new Set(['-i', '--interpret', '-r', '--raw', '-l', '--line-buffered', '--input-logs', '-if', '--input', '-m', '--message', '-c', '--comm', '-x', '--executable', '-ts', '--start', '-te', '--end']);
const TIME_WORDS = /^(?:now|recent|this-hour|boot|today|yesterday|this-week|week-ago|this-month|this-year|checkpoint)$/;

/** What an ausearch command covers. */
function ausearchScope(cmd: CommandLine): Pick<Search, 'covers' | 'why' | 'window'> {
  const a = cmd.stages[0].args;
  let types: string[] | undefined;
  let comms: string[] | undefined;
  let exes: string[] | undefined;
  let interpreted = false;
  const window: string[] = [];
  for (let k = 0; k < a.length; k++) {
    const opt = a[k];
    if (!opt.startsWith('-')) continue;
    if (!AUSEARCH_HARMLESS.has(opt)) return { covers: [], why: `${opt} narrows the search` };
    if (opt === '-i' || opt === '--interpret') interpreted = true;
    else if (opt === '-m' || opt === '--message') types = (a[++k] ?? '').toLowerCase().split(',');
    else if (opt === '-c' || opt === '--comm') (comms ??= []).push(a[++k] ?? '');
    else if (opt === '-x' || opt === '--executable') (exes ??= []).push(a[++k] ?? '');
    else if (opt === '-ts' || opt === '--start' || opt === '-te' || opt === '--end') {
      const parts = [opt];
      while (k + 1 < a.length && !a[k + 1].startsWith('-') && parts.length < 3) parts.push(a[++k]);
      window.push(parts.join(' '));
      if (parts.length === 1 || (parts.length === 2 && !TIME_WORDS.test(parts[1]) && !/\d/.test(parts[1]))) return { covers: [], why: `${opt} not read` };
    } else if (opt === '-if' || opt === '--input') k++;
  }
  if (types && !types.some((t) => t === 'avc' || t === 'user_avc' || t === 'all')) return { covers: [], why: `-m ${types.join(',')} holds no AVC records` };
  let covers = DAEMONS;
  if (comms) covers = covers.filter((d) => comms!.includes(d));
  if (exes) covers = covers.filter((d) => exes!.some((x) => x.slice(x.lastIndexOf('/') + 1) === d));
  if (!covers.length) return { covers, why: `the search is for ${[...(comms ?? []), ...(exes ?? [])].join(', ')}, not a backup daemon`, window: window.join(' ') || undefined };
  const view = viewOf(cmd);
  return narrowed(covers, view, interpreted, window.join(' ') || undefined);
}

/** The covered daemons that the later stages still show. */
function narrowed(covers: string[], view: View, interpreted: boolean, window?: string): Pick<Search, 'covers' | 'why' | 'window'> {
  if (view.opaque) return { covers: [], why: `the output is reduced by ${view.opaque}`, window };
  const kept = covers.filter((d) => keeps(view, canonicalDenial(d, interpreted)));
  if (!kept.length) return { covers: kept, why: `${describeTests(view)} would not show a denial for a backup daemon`, window };
  // a filter that keeps some daemons by chance ("grep amanda" keeps amandad, not amindexd) names none of them
  const named = describeTests(view).toLowerCase();
  if (kept.length < covers.length && !kept.every((d) => named.includes(d))) {
    return { covers: [], why: `${describeTests(view)} would show ${kept.join(', ')} but not ${covers.filter((d) => !kept.includes(d)).slice(0, 3).join(', ')}`, window };
  }
  return { covers: kept, window };
}

/** grep/zgrep/cat over an audit log: covers what its pattern keeps. */
function auditFileScope(cmd: CommandLine): Pick<Search, 'covers' | 'why' | 'window'> | undefined {
  const first = cmd.stages[0];
  const files = first.args.filter((x) => !x.startsWith('-'));
  if (!files.some((f) => f.includes('/audit/') || f.startsWith('audit.log') || f.includes('/audit.log'))) return undefined;
  if (first.args.some((f) => /audit\.log\.\d|\*/.test(f))) return { covers: [], why: 'the search reads rotated logs by pattern' };
  if (first.name === 'cat') return narrowed(DAEMONS, viewOf(cmd, 1), false);
  return narrowed(DAEMONS, viewOf(cmd, 0), false);
}

export const selinuxParser: ParserDef = {
  kind: 'selinux',
  label: 'SELinux status and audit records',
  aliases: ['getenforce', 'sestatus', 'ausearch', 'audit2why'],
  detect: [/^\s*SELinux status:\s+(?:enabled|disabled)/i, /^\s*Current mode:\s+(?:enforcing|permissive)/i, /avc:\s+denied\s+\{/, /SELinux is preventing /, /^\s*Was caused by:/],
  bigFileLiterals: ['avc:', PREVENTING, 'SELinux status:', 'Current mode:'],
  emits: {
    'selinux.mode': { type: 'string', values: [...MODES], meaning: 'the mode SELinux runs in (getenforce, sestatus "Current mode"), not read after a setenforce' },
    'selinux.mode_config': { type: 'string', values: [...MODES], meaning: 'the mode the configuration asks for at boot (sestatus "Mode from config file", /etc/selinux/config)' },
    'selinux.avc_backup_daemon': { type: 'boolean', meaning: 'an enforced AVC denial names a backup daemon or its launcher (true), or a search covering a backup daemon found none (false)' },
    'selinux.avc_count.*': { type: 'number', unit: 'denials', meaning: 'AVC denials recorded for this process (comm=), enforced or not' },
    'selinux.avc_other_process': { type: 'number', unit: 'denials', meaning: 'enforced AVC denials for processes that are not backup daemons' },
    'selinux.audit2why_reason': { type: 'string', values: [...REASONS], meaning: 'what audit2why says caused the denial of a backup daemon' },
  },
  samples: [
    { name: 'getenforce (RHEL 8)', input: '[root@triumph ~]# getenforce\nEnforcing\n[root@triumph ~]# ', yields: { 'selinux.mode': 'enforcing' } },
    {
      name: 'sestatus (RHEL 7)',
      input: [
        '# sestatus',
        'SELinux status:                 enabled',
        'SELinuxfs mount:                /sys/fs/selinux',
        'SELinux root directory:         /etc/selinux',
        'Loaded policy name:             targeted',
        'Current mode:                   permissive',
        'Mode from config file:          enforcing',
        'Policy MLS status:              enabled',
        'Policy deny_unknown status:     allowed',
        'Max kernel policy version:      31',
      ].join('\n'),
      yields: { 'selinux.mode': 'permissive', 'selinux.mode_config': 'enforcing' },
    },
    {
      name: 'ausearch -m avc with a denial for amindexd (seed 003)',
      input: [
        '[root@triumph ~]# ausearch -m avc -ts today',
        '----',
        'time->Fri Nov 18 15:25:02 2005',
        'type=AVC msg=audit(1132327502.571:412): avc:  denied  { getattr } for  pid=14822 comm="amindexd" path="socket:[553021]" dev=sockfs ino=553021 scontext=system_u:system_r:inetd_child_t tcontext=system_u:system_r:inetd_t tclass=tcp_socket',
      ].join('\n'),
      yields: { 'selinux.avc_backup_daemon': true, 'selinux.avc_count.amindexd': 1 },
    },
    {
      name: 'ausearch for the daemon finds nothing',
      input: '[root@triumph ~]# ausearch -m avc -c amindexd -ts recent\n<no matches>\n[root@triumph ~]# ',
      yields: { 'selinux.avc_backup_daemon': false },
    },
    {
      name: 'ausearch for the launcher finds nothing: says nothing about amindexd',
      input: '[root@triumph ~]# ausearch -m avc -c xinetd\n<no matches>',
      yields: {},
      never: ['selinux.avc_backup_daemon'],
    },
    {
      name: 'ausearch -i (interpreted: comm unquoted)',
      input: [
        '$ sudo ausearch -m avc -i',
        '----',
        'type=AVC msg=audit(11/18/2005 15:25:02.571:412) : avc:  denied  { getattr } for  pid=14822 comm=amindexd path=socket:[553021] scontext=system_u:system_r:inetd_child_t tcontext=system_u:system_r:inetd_t tclass=tcp_socket',
      ].join('\n'),
      yields: { 'selinux.avc_backup_daemon': true },
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new SelinuxReader(ctx);
  },
};

type CmdKind = 'getenforce' | 'sestatus' | 'setenforce' | 'search' | 'audit2why' | 'other';

class SelinuxReader implements Parser {
  private readonly readings: { mode: Mode; line: number; text: string; host?: string; afterSwitch?: string }[] = [];
  private config?: { mode: Mode; line: number; text: string };
  private readonly denials: Denial[] = [];
  private denialCount = 0;
  private readonly counts = new Map<string, number>();
  private readonly searches: Search[] = [];
  private cur?: { kind: CmdKind; search?: Search; host?: string };
  private switched?: string;
  private reasonNext = false;
  private lastDenial?: Denial;
  private reason?: { reason: Reason; line: number; text: string };

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    this.endOutput();
    const parts = commandList(cmd);
    let kind: CmdKind = 'other';
    let search: Search | undefined;
    for (const part of parts) {
      const k = this.kindOf(no, part, parts.length);
      if (k.kind === 'setenforce') this.switched = cmd.command;
      // getenforce's one-word output is taken when getenforce is any of the commands (getenforce; sestatus)
      if (k.kind === 'getenforce' || kind === 'other') kind = k.kind;
      search ??= k.search;
    }
    if (search) this.searches.push(search);
    this.cur = { kind, search, host: cmd.host };
  }

  private kindOf(no: number, cmd: CommandLine, parts: number): { kind: CmdKind; search?: Search } {
    const name = cmd.stages[0]?.name ?? '';
    // ausearch | audit2why: the records are audit2why's input, shown again in its output
    if (cmd.stages.some((st) => st.name === 'audit2why' || st.name === 'audit2allow')) return { kind: 'audit2why' };
    if (name === 'getenforce') return { kind: 'getenforce' };
    if (name === 'sestatus') return { kind: 'sestatus' };
    if (name === 'setenforce') return { kind: 'setenforce' };
    let scope: Pick<Search, 'covers' | 'why' | 'window'> | undefined;
    if (name === 'ausearch') scope = ausearchScope(cmd);
    else if (name === 'grep' || name === 'egrep' || name === 'zgrep' || name === 'cat') scope = auditFileScope(cmd);
    if (!scope) return { kind: 'other' };
    // other commands in the same line print into the same output: what the search showed is not known
    if (parts > 1) scope = { covers: [], why: 'other commands on the same line print into its output', window: scope.window };
    return { kind: 'search', search: { cmd, line: no, rows: 0, backupRows: 0, noMatches: false, ended: false, ...scope } };
  }

  prompt(): void {
    this.endOutput();
    this.cur = undefined;
  }

  private endOutput(): void {
    if (this.cur?.search) this.cur.search.ended = true;
  }

  line(no: number, text: string): void {
    const t = text.trim();
    if (!t) return;
    const cur = this.cur;
    if (cur?.kind === 'getenforce') {
      const m = MODES.find((x) => x === t.toLowerCase());
      if (m) return this.reading(m, no, text, cur.host);
    }
    let m = SESTATUS_CURRENT.exec(text);
    if (m) return this.reading(m[1].toLowerCase() as Mode, no, text, cur?.host);
    m = SESTATUS_STATUS.exec(text);
    if (m) {
      if (m[1].toLowerCase() === 'disabled') this.reading('disabled', no, text, cur?.host);
      return;
    }
    m = SESTATUS_CONFIG.exec(text) ?? CONFIG_LINE.exec(text);
    if (m) {
      this.config = { mode: m[1].toLowerCase() as Mode, line: no, text };
      return;
    }
    const search = cur?.search;
    if (search && t === '<no matches>') {
      search.noMatches = true;
      search.ended = true;
      return;
    }
    if (this.reasonNext) {
      const r = reasonOf(t);
      if (r) {
        if (this.lastDenial?.backup) this.reason ??= { reason: r, line: no, text };
        this.reasonNext = false;
        return;
      }
    }
    if (/^Was caused by:?$/i.test(t)) {
      this.reasonNext = true;
      return;
    }
    const d = text.includes('avc:') ? readAvc(text, no) : text.includes(PREVENTING) ? readPreventing(text, no) : undefined;
    if (!d) return;
    this.lastDenial = d;
    this.reasonNext = false;
    this.denialCount++;
    const key = d.process.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 40) || '_';
    if (this.counts.has(key) || this.counts.size < 200) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.denials.length < MAX_DENIALS) this.denials.push(d);
    if (search) {
      search.rows++;
      if (d.backup) search.backupRows++;
    }
  }

  private reading(mode: Mode, line: number, text: string, host?: string): void {
    this.readings.push({ mode, line, text, host, ...(this.switched ? { afterSwitch: this.switched } : {}) });
  }

  finish(): Observation[] {
    // the end of the file is not the end of an output: the paste may stop before it
    const out: Observation[] = [];
    this.finishMode(out);
    if (this.config) out.push({ key: 'selinux.mode_config', value: this.config.mode, line: this.config.line, text: this.config.text });
    this.finishDenials(out);
    for (const [proc, n] of this.counts) out.push({ key: `selinux.avc_count.${proc}`, value: n, text: `${n} AVC denial(s) for ${proc}` });
    if (this.reason) out.push({ key: 'selinux.audit2why_reason', value: this.reason.reason, line: this.reason.line, text: this.reason.text });
    return out;
  }

  private finishMode(out: Observation[]): void {
    const usable = this.readings.filter((r) => !r.afterSwitch);
    for (const r of this.readings) {
      if (r.afterSwitch) this.ctx.withhold('selinux.mode', `read after "${clip(r.afterSwitch, 60)}" in the same paste: not the mode the failure ran under`, r.line);
    }
    if (!usable.length) return;
    const modes = new Set(usable.map((r) => r.mode));
    if (modes.size > 1) {
      const hosts = new Set(usable.map((r) => r.host ?? '?'));
      this.ctx.withhold('selinux.mode', `the readings disagree (${[...modes].join(', ')}${hosts.size > 1 ? ` on ${[...hosts].join(', ')}` : ''})`, usable[0].line);
      return;
    }
    const r = usable[0];
    out.push({ key: 'selinux.mode', value: r.mode, line: r.line, text: r.text, ...(r.host ? { host: r.host } : {}) });
  }

  private finishDenials(out: Observation[]): void {
    const enforced = this.denials.filter((d) => d.backup && !d.permissive);
    const permissive = this.denials.filter((d) => d.backup && d.permissive);
    const others = this.denials.filter((d) => !d.backup && !d.permissive);
    if (enforced.length) {
      const d = enforced[0];
      out.push({ key: 'selinux.avc_backup_daemon', value: true, line: d.line, text: d.text });
    } else if (permissive.length) {
      this.ctx.withhold('selinux.avc_backup_daemon', `the denial for ${permissive[0].process} was recorded with permissive=1: SELinux let the access through`, permissive[0].line);
    }
    if (others.length) out.push({ key: 'selinux.avc_other_process', value: others.length, line: others[0].line, text: `${others.length} denial(s) for other processes, first: ${clip(others[0].text, 160)}` });
    if (enforced.length || permissive.length) return;
    // No backup daemon denial anywhere in the paste: a search that covers one says there is none.
    let proof: Search | undefined;
    for (const s of this.searches) {
      const what = clip(s.cmd.command, 80);
      if (!s.covers.length) {
        this.ctx.withhold('selinux.avc_backup_daemon', `"${what}": ${s.why ?? 'covers no backup daemon'}`, s.line);
      } else if (!s.noMatches && !s.ended) {
        this.ctx.withhold('selinux.avc_backup_daemon', `"${what}": the paste ends before its output does`, s.line);
      } else if (!proof) proof = s;
    }
    if (!proof) {
      if (others.length && !this.searches.length) this.ctx.withhold('selinux.avc_backup_daemon', `the denials name ${others[0].process}, not a backup daemon, and no search command shows what was looked for`, others[0].line);
      return;
    }
    const scope = proof.covers.length === DAEMONS.length ? 'any backup daemon' : proof.covers.join(', ');
    const found = proof.noMatches ? '<no matches>' : proof.rows ? `${proof.rows} denial(s), none for a backup daemon` : 'no output';
    out.push({ key: 'selinux.avc_backup_daemon', value: false, line: proof.line, text: `${clip(proof.cmd.command, 100)} → ${found} (covers ${scope}${proof.window ? `, ${proof.window}` : ''})` });
  }
}
