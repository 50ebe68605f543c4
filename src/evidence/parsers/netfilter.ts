/**
 * Host packet filters and connection tracking: `lsmod` (whole, or through `grep conntrack|amanda`) and
 * /proc/modules, `iptables-save`/`iptables -S` (every table, policies, `-j CT --helper amanda`, DROP/REJECT),
 * `iptables -L [-v] -n [--line-numbers]` (policies in the Chain lines, target column by header), `nft list
 * ruleset` (policies, drop/reject verdicts, `ct helper … type "amanda"`), `conntrack -S` (per-CPU counters),
 * `conntrack -L expect` and /proc/net/nf_conntrack_expect, `firewall-cmd --list-all`, `ufw status`, Windows
 * `netsh advfirewall show allprofiles state` (English, German, French).
 *
 * Concludes whether the Amanda conntrack helper is loaded: yes from a module row, a rule that assigns it or
 * an expectation it created; no only from a module listing that would have shown its row (all of lsmod, or a
 * grep whose pattern keeps both nf_conntrack_amanda and ip_conntrack_amanda, and which ended before the next
 * prompt). And whether the host filters traffic (a DROP/REJECT rule or policy, an active firewalld zone that
 * rejects by default, ufw or Windows Firewall on); an all-ACCEPT ruleset says nothing about the network path.
 */
import { commandList } from '../command-list.js';
import { describeTests, keeps, viewOf, type View } from '../grep-view.js';
import type { CommandLine } from '../transcript.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

const HELPER_MODULES = ['nf_conntrack_amanda', 'ip_conntrack_amanda'];
const MODULE_ROW = /^([a-z0-9_]+)\s+\d+\s+(?:\d+|-)(?:\s|$)/;
const COUNTERS = ['insert_failed', 'drop', 'early_drop'] as const;

type CmdKind = 'lsmod' | 'iptables' | 'nft' | 'conntrack' | 'firewalld' | 'ufw' | 'netsh-fw' | 'other';

interface ModuleListing {
  cmd?: CommandLine;
  line: number;
  view: View;
  header: boolean;
  rows: number;
  ended: boolean;
  partial?: string;
}

interface Where {
  line: number;
  text: string;
}

export const netfilterParser: ParserDef = {
  kind: 'netfilter',
  label: 'packet filter rules and connection tracking',
  aliases: ['iptables', 'iptables-save', 'nft', 'lsmod', 'conntrack', 'firewalld'],
  detect: [/^Module\s+Size\s+Used by/, /^\*(?:filter|raw|nat|mangle)\s*$/, /^Chain\s+\S+\s+\(policy\s+(?:ACCEPT|DROP)/, /^table\s+(?:inet|ip|ip6)\s+\S+\s*\{/, /\b(?:nf|ip)_conntrack_amanda\b/, /^cpu=\d+\s+found=/],
  emits: {
    'netfilter.amanda_module': { type: 'boolean', meaning: 'the Amanda conntrack helper module (nf_conntrack_amanda / ip_conntrack_amanda) is in the module list (false: a listing that would show it does not)' },
    'netfilter.amanda_helper_rule': { type: 'boolean', meaning: 'a rule assigns the Amanda helper (iptables -j CT --helper amanda, nft ct helper type "amanda") or the helper has created expectations' },
    'netfilter.amanda_expectations': { type: 'number', unit: 'expectations', meaning: 'conntrack expectations created by the amanda helper' },
    'netfilter.filters': { type: 'boolean', meaning: 'the host packet filter drops or rejects traffic (a DROP/REJECT rule or policy, firewalld, ufw or Windows Firewall on)' },
    'netfilter.drop_rules': { type: 'number', unit: 'rules', meaning: 'DROP/REJECT rules and DROP policies seen' },
    'netfilter.auto_helper': { type: 'boolean', meaning: 'net.netfilter.nf_conntrack_helper = 1: helpers attach to their port without a rule (kernels before 4.7 behave so)' },
    'netfilter.conntrack_insert_failed': { type: 'number', unit: 'packets', meaning: 'conntrack -S insert_failed summed over the CPUs' },
    'netfilter.conntrack_drop': { type: 'number', unit: 'packets', meaning: 'conntrack -S drop summed over the CPUs' },
    'netfilter.conntrack_early_drop': { type: 'number', unit: 'packets', meaning: 'conntrack -S early_drop summed over the CPUs' },
  },
  samples: [
    {
      name: 'lsmod | grep conntrack on the Amanda client (seed 003)',
      input: '[root@suzuki ~]# lsmod | grep conntrack\nip_conntrack_amanda     7233  0\nip_conntrack           45701  3 ip_conntrack_amanda,iptable_nat,ipt_state\n[root@suzuki ~]# ',
      yields: { 'netfilter.amanda_module': true },
    },
    {
      name: 'lsmod | grep amanda prints nothing: not loaded',
      input: '[root@suzuki ~]# lsmod | grep amanda\n[root@suzuki ~]# ',
      yields: { 'netfilter.amanda_module': false },
    },
    {
      name: 'lsmod | grep nf_nat prints nothing: says nothing about the helper',
      input: '[root@suzuki ~]# lsmod | grep nf_nat\n[root@suzuki ~]# ',
      yields: {},
      never: ['netfilter.amanda_module'],
    },
    {
      name: 'iptables-save with a CT helper rule and a REJECT (RHEL 8)',
      input: [
        '# iptables-save',
        '*raw',
        ':PREROUTING ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        '-A PREROUTING -p udp -m udp --dport 10080 -j CT --helper amanda',
        'COMMIT',
        '*filter',
        ':INPUT ACCEPT [0:0]',
        ':FORWARD ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        '-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT',
        '-A INPUT -j REJECT --reject-with icmp-host-prohibited',
        'COMMIT',
      ].join('\n'),
      yields: { 'netfilter.amanda_helper_rule': true, 'netfilter.filters': true, 'netfilter.drop_rules': 1 },
    },
    {
      name: 'iptables -L -n with every policy ACCEPT and no rule',
      input: '# iptables -L -n\nChain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\n\nChain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination\n\nChain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination\n# ',
      yields: { 'netfilter.drop_rules': 0 },
      never: ['netfilter.filters'],
    },
    {
      name: 'conntrack -S (conntrack-tools 1.4)',
      input: '# conntrack -S\ncpu=0   \tfound=0 invalid=52 ignore=0 insert=0 insert_failed=3 drop=3 early_drop=0 error=0 search_restart=12\ncpu=1   \tfound=1 invalid=40 ignore=0 insert=0 insert_failed=2 drop=2 early_drop=0 error=0 search_restart=7',
      yields: { 'netfilter.conntrack_insert_failed': 5, 'netfilter.conntrack_drop': 5, 'netfilter.conntrack_early_drop': 0 },
    },
  ],
  create(ctx: ReaderContext): Parser {
    return new NetfilterReader(ctx);
  },
};

class NetfilterReader implements Parser {
  private kind: CmdKind = 'other';
  private cmdText = '';
  private readonly modules: ModuleListing[] = [];
  private mod?: ModuleListing;
  private moduleSeen?: Where;
  private helperRule?: Where;
  private expectations = 0;
  private expectWhere?: Where;
  private drops = 0;
  private dropWhere?: Where;
  private rulesetSeen?: Where;
  private filterOn?: Where;
  private autoHelper?: { value: boolean } & Where;
  private readonly counters = new Map<string, number>();
  private countersWhere?: Where;
  /** iptables -L: the column of the target, from the header. */
  private targetCol = -1;
  /** iptables-save: the table being read. */
  private table = 'filter';
  /** nft: hook of the chain being read, and a ct helper object of type amanda. */
  private nftHook?: string;
  private nftHelperObject = false;
  /** nft: brace depth of the ruleset being read (a pasted ruleset without its command). */
  private nftDepth = 0;
  /** firewall-cmd --list-all: the zone is active. */
  private zoneActive = false;

  constructor(private readonly ctx: ReaderContext) {}

  command(no: number, cmd: CommandLine): void {
    this.endOutput();
    this.cmdText = cmd.command;
    this.targetCol = -1;
    this.table = 'filter';
    this.nftHook = undefined;
    this.nftDepth = 0;
    this.zoneActive = false;
    this.kind = 'other';
    const parts = commandList(cmd);
    for (const part of parts) {
      const kind = this.kindOf(no, part, parts.length);
      if (this.kind === 'other') this.kind = kind;
    }
  }

  private kindOf(no: number, cmd: CommandLine, parts: number): CmdKind {
    const st = cmd.stages[0];
    const name = st?.name ?? '';
    if (name === 'lsmod' || (name === 'cat' && st.args.includes('/proc/modules'))) {
      if (this.mod) {
        this.mod.partial ??= 'two module listings print into one output';
        return 'lsmod';
      }
      const m: ModuleListing = { cmd, line: no, view: viewOf(cmd), header: name === 'cat', rows: 0, ended: false };
      if (parts > 1 && this.kind !== 'other') m.partial = 'other commands on the same line print into its output';
      this.modules.push(m);
      this.mod = m;
      return 'lsmod';
    }
    if (name === 'iptables' || name === 'ip6tables' || name === 'iptables-save' || name === 'ip6tables-save' || name === 'iptables-legacy-save' || name === 'iptables-nft-save') {
      const t = st.args.indexOf('-t');
      if (t >= 0 && st.args[t + 1]) this.table = st.args[t + 1];
      return 'iptables';
    }
    if (name === 'nft') return 'nft';
    if (name === 'conntrack' || (name === 'cat' && st.args.some((a) => a.includes('nf_conntrack')))) return 'conntrack';
    if (name === 'firewall-cmd') return 'firewalld';
    if (name === 'ufw') return 'ufw';
    if (name === 'netsh' && st.args.some((a) => a.toLowerCase() === 'advfirewall')) return 'netsh-fw';
    return 'other';
  }

  prompt(): void {
    this.endOutput();
    this.kind = 'other';
  }

  private endOutput(): void {
    if (this.mod) this.mod.ended = true;
    this.mod = undefined;
  }

  line(no: number, text: string): void {
    const t = text.trim();
    if (!t) return;
    const where = { line: no, text };
    // the module row and the helper's own words are read wherever they appear
    if (t.includes('conntrack_amanda')) {
      const m = MODULE_ROW.exec(t);
      if (m && HELPER_MODULES.includes(m[1]) && (this.kind === 'lsmod' || this.kind === 'other')) this.moduleSeen ??= where;
    }
    if (this.kind === 'lsmod' && this.mod) {
      if (/^Module\s+Size\s+Used by/.test(t)) this.mod.header = true;
      else if (MODULE_ROW.test(t)) this.mod.rows++;
      return;
    }
    if (/^net\.netfilter\.nf_conntrack_helper\s*=\s*[01]$/.test(t)) {
      this.autoHelper = { value: t.endsWith('1'), ...where };
      return;
    }
    if (t.includes('helper=amanda') || (this.kind === 'conntrack' && /\bamanda\s*$/.test(t) && /\bproto=\d+/.test(t))) {
      this.expectations++;
      this.expectWhere ??= where;
      return;
    }
    if (this.kind === 'conntrack' || /^cpu=\d+\s/.test(t)) return this.counterLine(t, where);
    if (this.kind === 'nft' || this.nftDepth > 0 || /^table\s+(?:inet|ip|ip6|arp|bridge|netdev)\s+\S+\s*\{$/.test(t)) return this.nftLine(t, where);
    if (this.kind === 'firewalld') return this.firewalldLine(t, where);
    if (this.kind === 'ufw') {
      if (/^Status:\s+active$/i.test(t)) this.filterOn ??= where;
      return;
    }
    if (this.kind === 'netsh-fw') {
      if (/^(?:State|Status|[ÉE]tat)\s+(?:ON|EIN|Actif)$/i.test(t)) this.filterOn ??= where;
      return;
    }
    this.iptablesLine(t, where);
  }

  private iptablesLine(t: string, where: Where): void {
    if (t.startsWith('*') && /^\*[a-z]+$/.test(t)) {
      this.table = t.slice(1);
      this.rulesetSeen ??= where;
      return;
    }
    // iptables-save policy ":INPUT DROP [0:0]" / iptables -S "-P INPUT DROP"
    let m = /^(?::|-P\s+)(INPUT|FORWARD|OUTPUT)\s+(ACCEPT|DROP)\b/.exec(t);
    if (m) {
      this.rulesetSeen ??= where;
      if (m[2] === 'DROP' && this.table === 'filter') this.drop(where);
      return;
    }
    if (t.startsWith('-A ') || t.startsWith('-I ')) {
      this.rulesetSeen ??= where;
      const tk = t.split(/\s+/);
      const j = tk.indexOf('-j');
      const target = j >= 0 ? tk[j + 1] : undefined;
      if (target === 'DROP' || target === 'REJECT') this.drop(where);
      if (target === 'CT' && tk.some((x, i) => x === '--helper' && tk[i + 1] === 'amanda')) this.helperRule ??= where;
      return;
    }
    m = /^Chain\s+(\S+)\s+\(policy\s+(ACCEPT|DROP)\b/.exec(t);
    if (m) {
      this.rulesetSeen ??= where;
      if (m[2] === 'DROP') this.drop(where);
      return;
    }
    if (/^Chain\s+\S+\s+\(\d+\s+references?\)/.test(t)) return;
    if (this.targetCol < 0 && !t.includes('target')) return;
    const tk = t.split(/\s+/);
    if (tk.includes('target') && tk.includes('prot') && tk.includes('source')) {
      this.targetCol = tk.indexOf('target');
      return;
    }
    if (this.targetCol >= 0 && this.kind === 'iptables') {
      const target = tk[this.targetCol];
      if (target === 'DROP' || target === 'REJECT') this.drop(where);
      if (target === 'CT' && /\bCT helper amanda\b/.test(t)) this.helperRule ??= where;
    }
  }

  private nftLine(t: string, where: Where): void {
    this.rulesetSeen ??= where;
    for (const ch of t) {
      if (ch === '{') this.nftDepth++;
      else if (ch === '}') this.nftDepth = Math.max(0, this.nftDepth - 1);
    }
    const hook = /\bhook\s+(\w+)\b/.exec(t);
    if (hook) this.nftHook = hook[1];
    if (/^ct helper\s+\S+\s*\{/.test(t)) this.nftHelperObject = true;
    if (this.nftHelperObject && /\btype\s+"amanda"/.test(t)) this.helperRule ??= where;
    if (this.nftHelperObject && t.includes('}')) this.nftHelperObject = /\{[^}]*$/.test(t);
    const policy = /\bpolicy\s+(drop|accept)\s*;/.exec(t);
    if (policy) {
      if (policy[1] === 'drop' && (this.nftHook === 'input' || this.nftHook === 'forward' || this.nftHook === 'output')) this.drop(where);
      return;
    }
    if (t.startsWith('type ') || t.startsWith('table ') || t.startsWith('chain ') || t === '}') return;
    const tk = t.replace(/[;{}]/g, ' ').split(/\s+/).filter(Boolean);
    const verdict = tk.findIndex((x) => x === 'drop' || x === 'reject');
    // a verdict is the last word, or "reject with …"; "drop" inside a comment or a set name is not
    if (verdict >= 0 && (verdict === tk.length - 1 || (tk[verdict] === 'reject' && tk[verdict + 1] === 'with')) && !t.includes('comment "')) this.drop(where);
  }

  private firewalldLine(t: string, where: Where): void {
    if (/^\S+\s+\(active\)$/.test(t) || /^\S+\s+\(default, active\)$/.test(t)) {
      this.zoneActive = true;
      this.rulesetSeen ??= where;
      return;
    }
    const m = /^target:\s+(\S+)$/.exec(t);
    if (m && this.zoneActive && /^(?:default|REJECT|DROP|%%REJECT%%)$/.test(m[1])) this.filterOn ??= where;
    if (t === 'running' && /--state\b/.test(this.cmdText)) this.filterOn ??= where;
  }

  private counterLine(t: string, where: Where): void {
    if (!t.includes('=')) return;
    let any = false;
    for (const tok of t.split(/\s+/)) {
      const eq = tok.indexOf('=');
      if (eq <= 0) continue;
      const key = tok.slice(0, eq);
      if (!(COUNTERS as readonly string[]).includes(key)) continue;
      const v = Number(tok.slice(eq + 1));
      if (!Number.isFinite(v)) continue;
      this.counters.set(key, (this.counters.get(key) ?? 0) + v);
      any = true;
    }
    if (any) this.countersWhere ??= where;
  }

  private drop(where: Where): void {
    this.drops++;
    this.dropWhere ??= where;
  }

  finish(): Observation[] {
    const out: Observation[] = [];
    if (this.helperRule) out.push({ key: 'netfilter.amanda_helper_rule', value: true, ...this.helperRule });
    else if (this.expectations && this.expectWhere) out.push({ key: 'netfilter.amanda_helper_rule', value: true, ...this.expectWhere });
    if (this.expectations && this.expectWhere) out.push({ key: 'netfilter.amanda_expectations', value: this.expectations, ...this.expectWhere });
    this.finishModule(out);
    if (this.rulesetSeen) out.push({ key: 'netfilter.drop_rules', value: this.drops, ...(this.dropWhere ?? this.rulesetSeen) });
    const on = this.dropWhere ?? this.filterOn;
    if (on) out.push({ key: 'netfilter.filters', value: true, ...on });
    else if (this.rulesetSeen) this.ctx.withhold('netfilter.filters', 'the host rules accept everything: that says nothing about firewalls on the network path', this.rulesetSeen.line);
    if (this.autoHelper) out.push({ key: 'netfilter.auto_helper', value: this.autoHelper.value, line: this.autoHelper.line, text: this.autoHelper.text });
    if (this.countersWhere) {
      for (const c of COUNTERS) out.push({ key: `netfilter.conntrack_${c}`, value: this.counters.get(c) ?? 0, ...this.countersWhere });
    }
    return out;
  }

  private finishModule(out: Observation[]): void {
    if (this.moduleSeen) {
      out.push({ key: 'netfilter.amanda_module', value: true, ...this.moduleSeen });
      return;
    }
    const rows = HELPER_MODULES.map((m) => `${m}     16384  0`);
    let proof: ModuleListing | undefined;
    for (const l of this.modules) {
      const what = `"${clip(l.cmd?.command ?? 'lsmod', 60)}"`;
      if (l.partial) this.ctx.withhold('netfilter.amanda_module', `${what}: ${l.partial}`, l.line);
      else if (l.view.opaque) this.ctx.withhold('netfilter.amanda_module', `${what}: the output is reduced by ${l.view.opaque}`, l.line);
      else if (!rows.every((r) => keeps(l.view, r))) this.ctx.withhold('netfilter.amanda_module', `${what}: ${describeTests(l.view)} would not show the amanda helper's row`, l.line);
      else if (!l.ended) this.ctx.withhold('netfilter.amanda_module', `${what}: the paste ends before its output does`, l.line);
      else if (!l.rows && !l.header && !l.view.tests.length) this.ctx.withhold('netfilter.amanda_module', `${what}: printed nothing, not even its header`, l.line);
      else proof ??= l;
    }
    if (!proof) return;
    if (this.helperRule || this.expectations) {
      this.ctx.withhold('netfilter.amanda_module', 'no module row, but a rule or an expectation uses the amanda helper: it is built into the kernel or loaded under another name', proof.line);
      return;
    }
    out.push({ key: 'netfilter.amanda_module', value: false, line: proof.line, text: `${clip(proof.cmd?.command ?? 'lsmod', 80)}: ${proof.rows} module row(s), no conntrack amanda helper` });
  }
}
