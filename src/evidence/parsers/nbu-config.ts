/**
 * NetBackup configuration and version as admins print them: `nbgetconfig`/`bpgetconfig` (and bp.conf)
 * `CLIENT_PORT_WINDOW = 0 0` lines, the version files (`/usr/openv/netbackup/bin/version`
 * "NetBackup-RedHat2.6.32 8.1.2", `/usr/openv/netbackup/version` and Windows version.txt "VERSION NetBackup
 * 8.2"), and `bpgetconfig -g HOST -L` "Version Name = 8.1.2".
 *
 * Concludes whether CLIENT_PORT_WINDOW is the default and how wide a custom one is, and the release family
 * (8.0 or older, 8.1, 8.2 or later). Values after `nbsetconfig`/`bpsetconfig` in the same paste, and
 * disagreeing values (two hosts of different releases), are not reported.
 */
import { commandList } from '../command-list.js';
import type { CommandLine } from '../transcript.js';
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import { clip } from './types.js';

const CPW = /^\s*CLIENT_PORT_WINDOW\s*=\s*(\d{1,5})\s+(\d{1,5})\s*$/;
const BIN_VERSION = /^NetBackup-\S+\s+(\d+(?:\.\d+)+)\s*$/;
const VERSION_FILE = /^VERSION\s+NetBackup\s+(\d+(?:\.\d+)+)\b/;
const VERSION_NAME = /^\s*Version Name\s*=\s*(\d+(?:\.\d+)+)\s*$/;
const FAMILIES = ['up_to_8_0', 'v8_1', 'v8_2_or_later'] as const;
type Family = (typeof FAMILIES)[number];

/** "7.7.3" → up_to_8_0, "8.1.2" → v8_1, "8.2", "9.1", "10.4" → v8_2_or_later. */
export function familyOf(version: string): Family | undefined {
  const [maj, min] = version.split('.').map(Number);
  if (!Number.isFinite(maj) || !Number.isFinite(min)) return undefined;
  if (maj < 8 || (maj === 8 && min === 0)) return 'up_to_8_0';
  if (maj === 8 && min === 1) return 'v8_1';
  return 'v8_2_or_later';
}

interface Reading<T> {
  value: T;
  line: number;
  text: string;
  changed?: string;
}

export const nbuConfigParser: ParserDef = {
  kind: 'nbu-config',
  label: 'NetBackup configuration and version',
  aliases: ['nbgetconfig', 'bpgetconfig', 'bp.conf'],
  detect: [/^\s*CLIENT_PORT_WINDOW\s*=/, BIN_VERSION, VERSION_FILE],
  bigFileLiterals: ['CLIENT_PORT_WINDOW', 'NetBackup'],
  emits: {
    'nbu.client_port_window_default': { type: 'boolean', meaning: 'CLIENT_PORT_WINDOW is the default "0 0"' },
    'nbu.client_port_window_size': { type: 'number', unit: 'ports', meaning: 'ports in a custom CLIENT_PORT_WINDOW' },
    'nbu.version': { type: 'string', values: [...FAMILIES], meaning: 'the NetBackup release family a version line names' },
  },
  samples: [
    { name: 'nbgetconfig CLIENT_PORT_WINDOW (default)', input: '# /usr/openv/netbackup/bin/nbgetconfig CLIENT_PORT_WINDOW\nCLIENT_PORT_WINDOW = 0 0\n# ', yields: { 'nbu.client_port_window_default': true } },
    { name: 'custom CLIENT_PORT_WINDOW', input: 'CLIENT_PORT_WINDOW = 40000 40300', yields: { 'nbu.client_port_window_default': false, 'nbu.client_port_window_size': 301 } },
    { name: 'bin/version on Linux', input: '$ cat /usr/openv/netbackup/bin/version\nNetBackup-RedHat2.6.32 8.1.2\n$ ', yields: { 'nbu.version': 'v8_1' } },
    { name: 'Windows version.txt', input: 'C:\\>type "C:\\Program Files\\Veritas\\NetBackup\\version.txt"\nHARDWARE WINDOWS_X64\nVERSION NetBackup 9.1.0.1\nRELEASEDATE Mon Jun 28 00:00:00 CDT 2021\nBUILDNUMBER 20210628\n', yields: { 'nbu.version': 'v8_2_or_later' } },
  ],
  create(ctx: ReaderContext): Parser {
    return new NbuConfigReader(ctx);
  },
};

class NbuConfigReader implements Parser {
  private readonly windows: Reading<[number, number]>[] = [];
  private readonly versions: Reading<Family>[] = [];
  private changed?: string;
  private getconfig = false;

  constructor(private readonly ctx: ReaderContext) {}

  command(_no: number, cmd: CommandLine): void {
    const parts = commandList(cmd);
    if (parts.some((p) => p.stages.some((s) => s.name === 'nbsetconfig' || s.name === 'bpsetconfig'))) this.changed = cmd.command;
    this.getconfig = parts.some((p) => p.stages[0]?.name === 'bpgetconfig' || p.stages[0]?.name === 'nbgetconfig');
  }

  line(no: number, text: string): void {
    let m = CPW.exec(text);
    if (m) {
      if (this.windows.length < 64) this.windows.push({ value: [Number(m[1]), Number(m[2])], line: no, text, ...(this.changed ? { changed: this.changed } : {}) });
      return;
    }
    m = BIN_VERSION.exec(text.trim()) ?? VERSION_FILE.exec(text.trim()) ?? (this.getconfig ? VERSION_NAME.exec(text) : null);
    if (m) {
      const family = familyOf(m[1]);
      if (family && this.versions.length < 64) this.versions.push({ value: family, line: no, text, ...(this.changed ? { changed: this.changed } : {}) });
    }
  }

  /** The one value the failure ran under, or undefined. */
  private pick<T>(list: Reading<T>[], about: string): Reading<T> | undefined {
    const before = list.filter((r) => !r.changed);
    if (!before.length) {
      if (list.length) this.ctx.withhold(about, `read after "${clip(list[0].changed ?? '', 60)}" in the same paste`, list[0].line);
      return undefined;
    }
    const distinct = new Set(before.map((r) => JSON.stringify(r.value)));
    if (distinct.size > 1) {
      this.ctx.withhold(about, 'the paste holds different values (several hosts?)', before[0].line);
      return undefined;
    }
    return before[0];
  }

  finish(): Observation[] {
    const out: Observation[] = [];
    const w = this.pick(this.windows, 'nbu.client_port_window_default');
    if (w) {
      const [a, b] = w.value;
      const isDefault = a === 0 && b === 0;
      out.push({ key: 'nbu.client_port_window_default', value: isDefault, line: w.line, text: w.text });
      if (!isDefault && b >= a) out.push({ key: 'nbu.client_port_window_size', value: b - a + 1, line: w.line, text: w.text });
    }
    const v = this.pick(this.versions, 'nbu.version');
    if (v) out.push({ key: 'nbu.version', value: v.value, line: v.line, text: v.text });
    return out;
  }
}
