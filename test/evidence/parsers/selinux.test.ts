import { describe, expect, it } from 'vitest';
import { selinuxParser } from '../../../src/evidence/parsers/selinux.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const AVC_AMINDEXD =
  'type=AVC msg=audit(1132327502.571:412): avc:  denied  { getattr } for  pid=14822 comm="amindexd" path="socket:[553021]" dev=sockfs ino=553021 scontext=system_u:system_r:inetd_child_t tcontext=system_u:system_r:inetd_t tclass=tcp_socket';
const AVC_HTTPD =
  'type=AVC msg=audit(1763950201.123:881): avc:  denied  { read } for  pid=991 comm="httpd" name="index.html" dev="dm-0" ino=1234 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0';
const P = '[root@triumph ~]# ';
const withheld = (text: string) => readTextWith(selinuxParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

describe('selinux reader: mode', () => {
  it.each([
    ['Enforcing', 'enforcing'],
    ['Permissive', 'permissive'],
    ['Disabled', 'disabled'],
  ])('getenforce %s', (out, mode) => {
    expect(runParser(selinuxParser, `${P}getenforce\n${out}\n${P}`)['selinux.mode'].value).toBe(mode);
  });
  it('a bare "Enforcing" line without the command is not a mode', () => {
    expect(runParser(selinuxParser, 'Enforcing\n')['selinux.mode']).toBeUndefined();
  });
  it('sestatus: disabled, and -v with process contexts', () => {
    expect(runParser(selinuxParser, '# sestatus\nSELinux status:                 disabled\n')['selinux.mode'].value).toBe('disabled');
    const v = runParser(
      selinuxParser,
      ['# sestatus -v', 'SELinux status:                 enabled', 'SELinuxfs mount:                /selinux', 'Current mode:                   enforcing', 'Mode from config file:          enforcing', 'Policy version:                 21', 'Policy from config file:        targeted', '', 'Process contexts:', 'Current context:                user_u:system_r:unconfined_t', 'Init context:                   user_u:system_r:init_t', '/usr/sbin/sshd                  system_u:system_r:sshd_t'].join('\n'),
    );
    expect(v['selinux.mode'].value).toBe('enforcing');
    expect(v['selinux.mode_config'].value).toBe('enforcing');
  });
  it('a reading after setenforce is not the failure\'s mode', () => {
    const text = `${P}setenforce 0\n${P}getenforce\nPermissive\n${P}`;
    expect(runParser(selinuxParser, text)['selinux.mode']).toBeUndefined();
    expect(withheld(text)).toMatch(/setenforce 0/);
    // the reading before the switch still counts
    expect(runParser(selinuxParser, `${P}getenforce\nEnforcing\n${P}setenforce 0\n${P}getenforce\nPermissive\n`)['selinux.mode'].value).toBe('enforcing');
  });
  it('readings that disagree (two hosts) give nothing', () => {
    const text = '[root@triumph ~]# getenforce\nEnforcing\n[root@suzuki ~]# getenforce\nDisabled\n';
    expect(runParser(selinuxParser, text)['selinux.mode']).toBeUndefined();
    expect(withheld(text)).toMatch(/disagree.*triumph.*suzuki/);
  });
  it('/etc/selinux/config is the configured mode, not the running one', () => {
    const o = runParser(selinuxParser, '# cat /etc/selinux/config\nSELINUX=enforcing\nSELINUXTYPE=targeted\n');
    expect(o['selinux.mode_config'].value).toBe('enforcing');
    expect(o['selinux.mode']).toBeUndefined();
  });
});

describe('selinux reader: denials', () => {
  it('a raw audit.log line for a backup daemon', () => {
    const o = runParser(selinuxParser, AVC_AMINDEXD);
    expect(o['selinux.avc_backup_daemon'].value).toBe(true);
    expect(o['selinux.avc_backup_daemon'].line).toBe(1);
  });
  it('kernel log, USER_AVC by exe, and hex-encoded comm', () => {
    const k = 'Nov 18 15:25:02 triumph kernel: audit: type=1400 audit(1132327502.571:412): avc:  denied  { name_bind } for  pid=2210 comm="bpcd" src=13782 scontext=system_u:system_r:initrc_t:s0 tcontext=system_u:object_r:reserved_port_t:s0 tclass=tcp_socket permissive=0';
    expect(runParser(selinuxParser, k)['selinux.avc_backup_daemon'].value).toBe(true);
    const hex = 'type=AVC msg=audit(1.2:3): avc:  denied  { getattr } for  pid=1 comm=616D696E64657864 tclass=tcp_socket';
    expect(runParser(selinuxParser, hex)['selinux.avc_count.amindexd'].value).toBe(1);
    const user = "type=USER_AVC msg=audit(1700000000.1:9): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='avc:  denied  { start } for auid=-1 uid=0 gid=0 path=\"/usr/lib/systemd/system/amanda.service\" scontext=system_u:system_r:init_t:s0 tclass=service permissive=0 exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'";
    expect(runParser(selinuxParser, user)['selinux.avc_backup_daemon']).toBeUndefined();
  });
  it('a denial recorded with permissive=1 was let through', () => {
    const text = AVC_AMINDEXD.replace('tclass=tcp_socket', 'tclass=tcp_socket permissive=1');
    expect(runParser(selinuxParser, text)['selinux.avc_backup_daemon']).toBeUndefined();
    expect(withheld(text)).toMatch(/permissive=1/);
  });
  it('"granted" records are not denials', () => {
    expect(runParser(selinuxParser, 'type=AVC msg=audit(1.2:3): avc:  granted  { setenforce } for  pid=1 comm="setenforce"')['selinux.avc_count.setenforce']).toBeUndefined();
  });
  it('a denial for an unrelated process is not evidence, and without a search command proves no absence', () => {
    const o = runParser(selinuxParser, AVC_HTTPD);
    expect(o['selinux.avc_backup_daemon']).toBeUndefined();
    expect(o['selinux.avc_other_process'].value).toBe(1);
  });
  it('setroubleshoot in /var/log/messages', () => {
    const line = 'Nov 24 02:10:03 triumph setroubleshoot[4411]: SELinux is preventing /usr/lib/amanda/amindexd from getattr access on the tcp_socket port None. For complete SELinux messages run: sealert -l 7b1c0f57-0d25-4a0b-9c3e-2f8f7c1f1f8a';
    expect(runParser(selinuxParser, line)['selinux.avc_backup_daemon'].value).toBe(true);
    expect(runParser(selinuxParser, line.replace('/usr/lib/amanda/amindexd', '/usr/sbin/httpd'))['selinux.avc_backup_daemon']).toBeUndefined();
  });
});

describe('selinux reader: absence of denials only from a search that covers the daemon', () => {
  it('ausearch -m avc with <no matches>', () => {
    const o = runParser(selinuxParser, `${P}ausearch -m avc -ts recent\n<no matches>\n`);
    expect(o['selinux.avc_backup_daemon'].value).toBe(false);
    expect(o['selinux.avc_backup_daemon'].text).toMatch(/-ts recent/);
  });
  it('ausearch -c amindexd (all record types) with <no matches>', () => {
    expect(runParser(selinuxParser, `${P}ausearch -c amindexd\n<no matches>\n`)['selinux.avc_backup_daemon'].value).toBe(false);
  });
  it.each([
    ['ausearch -m avc -c xinetd', /xinetd, not a backup daemon/],
    ['ausearch -m avc -c httpd', /httpd/],
    ['ausearch -m SYSCALL -c amindexd', /no AVC/],
    ['ausearch -m avc -p 14822', /-p narrows/],
    ['ausearch -m avc -k amanda', /-k narrows/],
  ])('%s says nothing about the daemon', (cmd, why) => {
    const text = `${P}${cmd}\n<no matches>\n`;
    expect(runParser(selinuxParser, text)['selinux.avc_backup_daemon']).toBeUndefined();
    expect(withheld(text)).toMatch(why);
  });
  it('<no matches> without its command says nothing', () => {
    expect(runParser(selinuxParser, '<no matches>\n')['selinux.avc_backup_daemon']).toBeUndefined();
  });
  it('a complete listing holding only other processes, ended by the next prompt', () => {
    const text = `${P}ausearch -m avc -ts today\n----\ntime->Mon Nov 24 02:10:01 2026\n${AVC_HTTPD}\n${P}`;
    expect(runParser(selinuxParser, text)['selinux.avc_backup_daemon'].value).toBe(false);
    // the same listing at the end of the file may be cut
    expect(runParser(selinuxParser, text.slice(0, -P.length))['selinux.avc_backup_daemon']).toBeUndefined();
  });
  it('grep over the audit log: covered only when the pattern keeps the daemon\'s lines', () => {
    expect(runParser(selinuxParser, `${P}grep denied /var/log/audit/audit.log | grep amindexd\n${P}`)['selinux.avc_backup_daemon'].value).toBe(false);
    // the AVC record of amindexd holds comm="amindexd", not the word amanda
    const amanda = `${P}grep denied /var/log/audit/audit.log | grep -i amanda\n${P}`;
    expect(runParser(selinuxParser, amanda)['selinux.avc_backup_daemon']).toBeUndefined();
    expect(withheld(amanda)).toMatch(/would show amandad but not amindexd/);
    expect(runParser(selinuxParser, `${P}grep 'avc: denied' /var/log/audit/audit.log\n${P}`)['selinux.avc_backup_daemon']).toBeUndefined(); // one blank: the records have two
    expect(runParser(selinuxParser, `${P}grep denied /var/log/audit/audit.log | head -20\n${P}`)['selinux.avc_backup_daemon']).toBeUndefined();
  });
  it('a denial anywhere in the paste wins over an empty search', () => {
    const text = `${P}ausearch -m avc -ts recent\n<no matches>\n${P}ausearch -m avc -ts today\n${AVC_AMINDEXD}\n${P}`;
    expect(runParser(selinuxParser, text)['selinux.avc_backup_daemon'].value).toBe(true);
  });
  it('audit2why: the reason for a backup daemon\'s denial', () => {
    const text = `${P}ausearch -m avc -c amindexd | audit2why\n${AVC_AMINDEXD}\n\n\tWas caused by:\n\t\tMissing type enforcement (TE) allow rule.\n\n\t\tYou can use audit2allow to generate a loadable module to allow this access.\n\n`;
    const o = runParser(selinuxParser, text);
    expect(o['selinux.audit2why_reason'].value).toBe('te_rule_missing');
    expect(o['selinux.avc_backup_daemon'].value).toBe(true);
    const boolean = runParser(selinuxParser, `${AVC_AMINDEXD}\n\tWas caused by:\n\tThe boolean allow_ypbind was set incorrectly.\n`);
    expect(boolean['selinux.audit2why_reason'].value).toBe('boolean');
    expect(runParser(selinuxParser, `${AVC_HTTPD}\n\tWas caused by:\n\t\tMissing type enforcement (TE) allow rule.\n`)['selinux.audit2why_reason']).toBeUndefined();
  });
  it('reads a 16 K hostile line quickly and keeps one count per process', () => {
    const hostile = `avc:  denied  { ${'x '.repeat(8000)}} comm="${'a'.repeat(2000)}`;
    const o = runParser(selinuxParser, `${hostile}\n${hostile}`);
    expect(o['selinux.avc_backup_daemon']).toBeUndefined();
    const many = Array.from({ length: 500 }, (_, i) => AVC_HTTPD.replace('httpd', `proc${i}`)).join('\n');
    const counts = readTextWith(selinuxParser, many).observations.filter((x) => x.key.startsWith('selinux.avc_count.'));
    expect(counts.length).toBeLessThanOrEqual(200);
  });
});

describe('selinux reader: several commands on one line', () => {
  it('getenforce; sestatus (the fact\'s own check)', () => {
    const o = runParser(selinuxParser, `${P}getenforce; sestatus\nEnforcing\nSELinux status:                 enabled\nCurrent mode:                   enforcing\n${P}`);
    expect(o['selinux.mode'].value).toBe('enforcing');
  });
  it('setenforce 0; getenforce', () => {
    expect(runParser(selinuxParser, `${P}setenforce 0; getenforce\nPermissive\n${P}`)['selinux.mode']).toBeUndefined();
  });
  it('a search sharing its output with another command proves no absence', () => {
    expect(runParser(selinuxParser, `${P}ausearch -m avc -ts recent; getenforce\n<no matches>\nEnforcing\n${P}`)['selinux.avc_backup_daemon']).toBeUndefined();
  });
});
