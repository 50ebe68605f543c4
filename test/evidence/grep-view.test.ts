import { describe, expect, it } from 'vitest';
import { keeps, viewOf } from '../../src/evidence/grep-view.js';
import { classifyLine } from '../../src/evidence/transcript.js';

const view = (line: string, from?: number) => {
  const c = classifyLine(line);
  if (c.kind !== 'command') throw new Error(`not a command: ${line}`);
  return viewOf(c.cmd, from);
};
const ROW = 'nf_conntrack_amanda     16384  0';

describe('grep view: which lines a pipeline shows', () => {
  it('grep honours case, inversion, words and alternation', () => {
    expect(keeps(view('$ lsmod | grep conntrack'), ROW)).toBe(true);
    expect(keeps(view('$ lsmod | grep AMANDA'), ROW)).toBe(false);
    expect(keeps(view('$ lsmod | grep -i AMANDA'), ROW)).toBe(true);
    expect(keeps(view('$ lsmod | grep -v amanda'), ROW)).toBe(false);
    expect(keeps(view('$ lsmod | grep -w conntrack'), ROW)).toBe(false);
    expect(keeps(view("$ lsmod | grep 'nat\\|amanda'"), ROW)).toBe(true);
    expect(keeps(view("$ lsmod | grep -E 'nat|amanda'"), ROW)).toBe(true);
    expect(keeps(view("$ lsmod | grep 'nat|amanda'"), ROW)).toBe(false); // BRE: | is a literal
    expect(keeps(view('$ lsmod | grep -e nat -e amanda'), ROW)).toBe(true);
    expect(keeps(view("$ lsmod | grep '^nf_'"), ROW)).toBe(true);
    expect(keeps(view('$ lsmod | grep conntrack | grep -v ftp'), ROW)).toBe(true);
  });
  it('findstr, find and Select-String follow their own rules', () => {
    const row = '  TCP    0.0.0.0:1556           0.0.0.0:0              LISTENING       2456';
    expect(keeps(view('C:\\> netstat -ano | findstr "LISTENING 13724"'), row)).toBe(true); // "a b" is a or b
    expect(keeps(view('C:\\> netstat -ano | findstr /C:"LISTENING 13724"'), row)).toBe(false);
    expect(keeps(view('C:\\> netstat -ano | findstr listening'), row)).toBe(false);
    expect(keeps(view('C:\\> netstat -ano | findstr /I listening'), row)).toBe(true);
    expect(keeps(view('C:\\> netstat -ano | find ":1556"'), row)).toBe(true);
    expect(keeps(view('PS C:\\> netstat -ano | Select-String listening'), row)).toBe(true);
    expect(keeps(view('PS C:\\> netstat -ano | Select-String -CaseSensitive listening'), row)).toBe(false);
  });
  it('a stage it cannot read makes the view opaque', () => {
    for (const c of ['$ lsmod | grep -c amanda', '$ lsmod | head -5', '$ lsmod | awk \'{print $1}\'', '$ lsmod | grep -o amanda', '$ lsmod | cut -c1-20', '$ lsmod | grep -n amanda']) {
      expect(view(c).opaque, c).toBeDefined();
      expect(keeps(view(c), ROW), c).toBeUndefined();
    }
    expect(view('$ lsmod | sort | less').opaque).toBeUndefined();
    expect(view('$ ss -ltn | tail -n +2').opaque).toBeUndefined();
  });
  it('a grep over a file is read from its first stage', () => {
    const v = view('# grep denied /var/log/audit/audit.log | grep amindexd', 0);
    expect(keeps(v, 'type=AVC msg=audit(1.2:3): avc:  denied  { getattr } for pid=1 comm="amindexd"')).toBe(true);
    expect(keeps(v, 'type=AVC msg=audit(1.2:3): avc:  denied  { read } for pid=1 comm="httpd"')).toBe(false);
  });
  it('a hostile pattern is bounded', () => {
    const long = `$ lsmod | grep '${'(a*)*'.repeat(60)}b'`;
    expect(view(long).opaque).toBeDefined();
  });
});
