/**
 * Drive the built CLI in a real pseudo-terminal through util-linux `script`, typing keystrokes when the
 * expected prompt text is on screen (never sleeping blindly), for the walk's end-to-end tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** Whether `script` (util-linux), which the terminal tests run the CLI under, is installed. */
export const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

export const DOWN = '\x1b[B';
export const CTRL_C = '\x03';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>78]|\r/g;
export const strip = (s: string) => s.replace(ANSI, '');

/**
 * A copy of the built package without the shipped KB (kb/, rules/), so a walk over the mini KB sees only
 * the mini KB while colleagues keep adding to the shipped one.
 */
export function isolatedPackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'bt-walk-pkg-'));
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  // bin/ whole: its package.json makes the entry point CommonJS.
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class PtyRun {
  private readonly child: ChildProcess;
  raw = '';
  /** Text before this offset has been consumed by waitFor. */
  private mark = 0;
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(pkgRoot: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
    const cmd = `stty cols 160 rows 60 2>/dev/null; exec ${shq(process.execPath)} ${shq(join(pkgRoot, 'bin/backup-triage.js'))} ${args.map(shq).join(' ')}`;
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: options.cwd ?? pkgRoot,
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color', BACKUP_TRIAGE_RULES: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const onData = (d: Buffer) => {
      this.raw += d.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  text(): string {
    return strip(this.raw);
  }

  private changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Wait until `what` appears after the previous match; returns the text up to and including it. */
  async waitFor(what: string | RegExp, timeoutMs = 45_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exitedAt: number | undefined;
    for (;;) {
      const text = this.text();
      const rest = text.slice(this.mark);
      const m = typeof what === 'string' ? (rest.includes(what) ? { index: rest.indexOf(what), len: what.length } : undefined) : (() => {
        const r = what.exec(rest);
        return r ? { index: r.index, len: r[0].length } : undefined;
      })();
      if (m) {
        const upTo = rest.slice(0, m.index + m.len);
        this.mark += m.index + m.len;
        return upTo;
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) exitedAt ??= Date.now();
      if (Date.now() > deadline || (exitedAt !== undefined && Date.now() - exitedAt > 2000)) {
        throw new Error(`timed out waiting for ${String(what)}; screen so far:\n${text.slice(-3000)}`);
      }
      await this.changed(250);
    }
  }

  write(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** In a select prompt on screen, move the cursor down to the choice starting with `label` and press Enter. */
  async choose(label: string, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let presses = 0; presses < 40; ) {
      const text = this.text();
      const at = text.lastIndexOf('❯ ');
      const nl = at >= 0 ? text.indexOf('\n', at) : -1;
      if (at >= this.mark && nl > at) {
        if (text.slice(at + 2, nl).startsWith(label)) {
          this.mark = nl;
          this.write('\r');
          return;
        }
        this.write(DOWN);
        presses++;
        // Wait for the re-rendered menu: a cursor line after the one we saw.
        while (!(this.text().lastIndexOf('❯ ') > at && this.text().indexOf('\n', this.text().lastIndexOf('❯ ')) > 0)) {
          if (Date.now() > deadline) throw new Error(`menu did not move towards "${label}"; screen:\n${this.text().slice(-2000)}`);
          await this.changed(250);
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`no menu on screen for "${label}"; screen:\n${text.slice(-2000)}`);
      await this.changed(250);
    }
    throw new Error(`choice "${label}" not found in the menu; screen:\n${this.text().slice(-2000)}`);
  }

  /** Type a line into a text prompt. */
  type(line: string): void {
    this.write(`${line}\r`);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
