import { describe, expect, it } from 'vitest';
import { netfilterParser } from '../../../src/evidence/parsers/netfilter.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const P = '[root@suzuki ~]# ';
const withheld = (text: string) => readTextWith(netfilterParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');
const LSMOD = ['Module                  Size  Used by', 'nf_nat_ftp             16384  0', 'nf_conntrack_ftp       20480  1 nf_nat_ftp', 'nf_conntrack          139264  3 nf_nat,nf_conntrack_ftp,nf_nat_ftp', 'xfs                  1515520  2'];

describe('netfilter reader: the Amanda conntrack helper', () => {
  it('module rows of current and 2.6-era kernels', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep amanda\nnf_conntrack_amanda    16384  0\nnf_nat_amanda          16384  0\n${P}`)['netfilter.amanda_module'].value).toBe(true);
    expect(runParser(netfilterParser, `${P}cat /proc/modules | grep amanda\nip_conntrack_amanda 7233 0 - Live 0xf8a5c000\n${P}`)['netfilter.amanda_module'].value).toBe(true);
  });
  it('a full lsmod without the helper', () => {
    const o = runParser(netfilterParser, `${P}lsmod\n${LSMOD.join('\n')}\n${P}`);
    expect(o['netfilter.amanda_module'].value).toBe(false);
  });
  it('greps that print nothing: an absence only when the pattern would keep both helper names', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep conntrack\n${P}`)['netfilter.amanda_module'].value).toBe(false);
    expect(runParser(netfilterParser, `${P}lsmod | grep -i AMANDA\n${P}`)['netfilter.amanda_module'].value).toBe(false);
    for (const g of ['grep nf_nat', 'grep AMANDA', 'grep nf_conntrack', 'grep -v amanda', 'grep -c amanda', 'head -3']) {
      const text = `${P}lsmod | ${g}\n${P}`;
      expect(runParser(netfilterParser, text)['netfilter.amanda_module'], g).toBeUndefined();
      expect(withheld(text), g).toMatch(/amanda_module/);
    }
  });
  it('a grep printing other conntrack modules, not the helper', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep conntrack\n${LSMOD.slice(2, 4).join('\n')}\n${P}`)['netfilter.amanda_module'].value).toBe(false);
  });
  it('the end of the file is not the end of an output', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep conntrack\n`)['netfilter.amanda_module']).toBeUndefined();
  });
  it('a command line only names the module: no fact from it (modprobe, rmmod)', () => {
    const o = runParser(netfilterParser, `${P}rmmod ip_conntrack_amanda\n${P}modprobe -r nf_conntrack_amanda\n${P}`);
    expect(o['netfilter.amanda_module']).toBeUndefined();
  });
  it('a CT helper rule, or expectations of the helper, need it loaded', () => {
    const save = ['# iptables-save -t raw', '*raw', ':PREROUTING ACCEPT [120:9000]', ':OUTPUT ACCEPT [88:7000]', '-A PREROUTING -p tcp -m tcp --dport 10080 -j CT --helper amanda', 'COMMIT', '# '].join('\n');
    expect(runParser(netfilterParser, save)['netfilter.amanda_helper_rule'].value).toBe(true);
    const exp = `${P}conntrack -L expect\n297 proto=6 src=10.3.0.5 dst=10.3.0.9 sport=0 dport=50012 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=10.3.0.5 master-dst=10.3.0.9 sport=0 dport=10080 class=0 helper=amanda\nconntrack v1.4.4 (conntrack-tools): 1 expectations have been shown.\n${P}`;
    const o = runParser(netfilterParser, exp);
    expect(o['netfilter.amanda_helper_rule'].value).toBe(true);
    expect(o['netfilter.amanda_expectations'].value).toBe(1);
    // lsmod empty but a rule uses the helper: built in, not "not loaded"
    expect(runParser(netfilterParser, `${P}lsmod | grep amanda\n${P}iptables-save -t raw\n*raw\n-A PREROUTING -p udp --dport 10080 -j CT --helper amanda\nCOMMIT\n${P}`)['netfilter.amanda_module']).toBeUndefined();
  });
  it('nft: a ct helper object of type amanda', () => {
    const nft = ['# nft list ruleset', 'table ip raw {', '\tct helper amanda-udp {', '\t\ttype "amanda" protocol udp', '\t\tl3proto ip', '\t}', '\tchain prerouting {', '\t\ttype filter hook prerouting priority raw; policy accept;', '\t\tudp dport 10080 ct helper set "amanda-udp"', '\t}', '}'].join('\n');
    const o = runParser(netfilterParser, nft);
    expect(o['netfilter.amanda_helper_rule'].value).toBe(true);
    expect(o['netfilter.filters']).toBeUndefined();
  });
  it('sysctl nf_conntrack_helper', () => {
    expect(runParser(netfilterParser, 'net.netfilter.nf_conntrack_helper = 1')['netfilter.auto_helper'].value).toBe(true);
  });
});

describe('netfilter reader: does the host filter?', () => {
  it('iptables -S with a DROP policy', () => {
    const o = runParser(netfilterParser, '# iptables -S\n-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n# ');
    expect(o['netfilter.filters'].value).toBe(true);
    expect(o['netfilter.drop_rules'].value).toBe(2);
  });
  it('iptables -L -v -n --line-numbers: target by header', () => {
    const text = [
      '# iptables -L -v -n --line-numbers',
      'Chain INPUT (policy ACCEPT 1520 packets, 201K bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '1     8841  11M ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0            state RELATED,ESTABLISHED',
      '2       12   720 DROP       udp  --  *      *       10.3.0.0/24          0.0.0.0/0            udp dpt:10080',
      '',
      'Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
    ].join('\n');
    expect(runParser(netfilterParser, text)['netfilter.filters'].value).toBe(true);
  });
  it('an all-ACCEPT ruleset says nothing about the path', () => {
    const text = '# iptables -L -n\nChain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\nACCEPT     all  --  0.0.0.0/0            0.0.0.0/0\n\nChain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination\n# ';
    const o = runParser(netfilterParser, text);
    expect(o['netfilter.filters']).toBeUndefined();
    expect(o['netfilter.drop_rules'].value).toBe(0);
    expect(withheld(text)).toMatch(/network path/);
  });
  it('a DROP rule in the nat or raw table, read from iptables-save, counts; a "DROP" word in a comment does not', () => {
    expect(runParser(netfilterParser, '*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -s 10.9.9.9/32 -j DROP\nCOMMIT')['netfilter.filters'].value).toBe(true);
    expect(runParser(netfilterParser, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "DROP later" -j ACCEPT\nCOMMIT')['netfilter.filters']).toBeUndefined();
  });
  it('nft with a drop policy on input, and firewalld\'s reject', () => {
    expect(runParser(netfilterParser, 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t}\n}')['netfilter.filters'].value).toBe(true);
    expect(runParser(netfilterParser, 'table inet firewalld {\n\tchain filter_INPUT {\n\t\ttype filter hook input priority filter + 10; policy accept;\n\t\treject with icmpx admin-prohibited\n\t}\n}')['netfilter.filters'].value).toBe(true);
  });
  it('firewall-cmd --list-all on an active zone, ufw, Windows Firewall', () => {
    const zone = '# firewall-cmd --list-all\npublic (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n  services: dhcpv6-client ssh\n  ports: 10082/tcp\n# ';
    expect(runParser(netfilterParser, zone)['netfilter.filters'].value).toBe(true);
    expect(runParser(netfilterParser, zone.replace('target: default', 'target: ACCEPT'))['netfilter.filters']).toBeUndefined();
    expect(runParser(netfilterParser, '$ sudo ufw status\nStatus: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       Anywhere\n$ ')['netfilter.filters'].value).toBe(true);
    expect(runParser(netfilterParser, '$ sudo ufw status\nStatus: inactive\n$ ')['netfilter.filters']).toBeUndefined();
    const win = 'C:\\>netsh advfirewall show allprofiles state\n\nDomänenprofil-Einstellungen:\n----------------------------------------------------------------------\nStatus                                EIN\n\nOk.\n';
    expect(runParser(netfilterParser, win)['netfilter.filters'].value).toBe(true);
    expect(runParser(netfilterParser, 'State ON\n')['netfilter.filters']).toBeUndefined(); // without the command: not read
  });
  it('conntrack -S counters summed over CPUs, old single-line format too', () => {
    const o = runParser(netfilterParser, '# conntrack -S\nentries=182 searched=1 found=2000 new=3000 invalid=4 ignore=0 delete=2800 delete_list=2800 insert=3000 insert_failed=7 drop=7 early_drop=1 icmp_error=0 expect_new=0 expect_create=0 expect_delete=0 search_restart=0\n# ');
    expect(o['netfilter.conntrack_insert_failed'].value).toBe(7);
    expect(o['netfilter.conntrack_early_drop'].value).toBe(1);
  });
});

describe('netfilter reader: hostile input', () => {
  it('16 K lines of braces, targets and counters', () => {
    const lines = [`table inet x {${'{'.repeat(8000)}`, `-A INPUT ${'-j '.repeat(5000)}`, `target ${'prot source '.repeat(1500)}`, `cpu=0 ${'drop=1 '.repeat(2000)}`, `${'nf_conntrack_amanda'.repeat(800)} 1 0`];
    const o = runParser(netfilterParser, lines.join('\n'));
    expect(o['netfilter.conntrack_drop'].value).toBe(2000);
    expect(o['netfilter.amanda_module']).toBeUndefined();
  });
});

describe('netfilter reader: several commands on one line', () => {
  it('lsmod | grep amanda; echo $? prints only the exit status', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep amanda; echo $?\n1\n${P}`)['netfilter.amanda_module'].value).toBe(false);
  });
  it('two module listings in one output', () => {
    expect(runParser(netfilterParser, `${P}lsmod | grep amanda; lsmod | grep nf_nat\n${P}`)['netfilter.amanda_module']).toBeUndefined();
  });
});
