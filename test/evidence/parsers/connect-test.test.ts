import { describe, expect, it } from 'vitest';
import { connectTestParser } from '../../../src/evidence/parsers/connect-test.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const read = (lines: string[]) => runParser(connectTestParser, lines.join('\n'));
const withheld = (lines: string[]) => readTextWith(connectTestParser, lines.join('\n')).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');
const value = (lines: string[], key: string) => read(lines)[key]?.value;

describe('connect-test reader: nc and ncat', () => {
  it('OpenBSD nc against several ports, one timing out', () => {
    const lines = [
      '[root@ave01 ~]# for p in 22 111 2049 2051; do nc -zv -w 5 dd02 $p; done',
      'Connection to dd02 22 port [tcp/ssh] succeeded!',
      'Connection to dd02 111 port [tcp/sunrpc] succeeded!',
      'nc: connect to dd02 port 2049 (tcp) timed out: Operation now in progress',
      'Connection to dd02 2051 port [tcp/*] succeeded!',
    ];
    const o = read(lines);
    expect(o['connect.outcome'].value).toBe('times_out');
    expect(o['connect.outcome'].text).toContain('2049');
    expect(o['connect.blocked_port'].value).toBe('nfs_2049');
    expect(o['connect.failed_port'].value).toBe(2049);
    expect(o['connect.result.2051'].value).toBe('connects');
    expect(o['connect.tests'].value).toBe(4);
    expect(withheld(lines)).toContain('does not say where the SYN was lost');
  });

  it('newer OpenBSD nc (address in brackets) and macOS nc', () => {
    expect(value(['$ nc -zv client01 1556', 'nc: connect to client01 (10.1.0.9) port 1556 (tcp) failed: Connection refused'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['% nc -zv client01 1556', 'nc: connectx to client01 port 1556 (tcp) failed: Connection refused'], 'connect.outcome')).toBe('refused_at_once');
    const mac = read(['% nc -zv client01 13724 13782', 'Connection to client01 port 13724 [tcp/vnetd] succeeded!', 'nc: connectx to client01 port 13782 (tcp) failed: Connection refused']);
    expect(mac['connect.result.13724'].value).toBe('connects');
    expect(mac['connect.blocked_port'].value).toBe('bpcd_13782');
  });

  it('every product port connecting: none_all_connect', () => {
    const o = read(['$ nc -zv -w 3 client01 1556 13724 13782', 'Connection to client01 1556 port [tcp/*] succeeded!', 'Connection to client01 13724 port [tcp/vnetd] succeeded!', 'Connection to client01 13782 port [tcp/bpcd] succeeded!']);
    expect(o['connect.blocked_port'].value).toBe('none_all_connect');
    expect(o['connect.outcome'].value).toBe('connects');
  });

  it('a failing port outside the product list is "other"', () => {
    const o = read(['$ for p in 1556 13724 8443; do nc -zv -w 3 client01 $p; done', 'Connection to client01 1556 port [tcp/*] succeeded!', 'Connection to client01 13724 port [tcp/vnetd] succeeded!', 'nc: connect to client01 port 8443 (tcp) failed: Connection refused']);
    expect(o['connect.blocked_port'].value).toBe('other');
  });

  it('ncat wordings take their port from the command', () => {
    expect(value(['$ ncat -zv client01 1556', 'Ncat: Version 7.92 ( https://nmap.org/ncat )', 'Ncat: Connection refused.'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['$ ncat -v -w 5 client01 1556', 'Ncat: Version 7.70 ( https://nmap.org/ncat )', 'Ncat: TIMEOUT.'], 'connect.outcome')).toBe('times_out');
    const ok = read(['$ ncat -zv 10.1.0.9 13724', 'Ncat: Version 7.92 ( https://nmap.org/ncat )', 'Ncat: Connected to 10.1.0.9:13724.', 'Ncat: 0 bytes sent, 0 bytes received in 0.02 seconds.']);
    expect(ok['connect.result.13724'].value).toBe('connects');
    expect(ok['connect.outcome'].value).toBe('connects');
  });

  it('ncat in a loop names no port: its results are not attributed', () => {
    const lines = ['$ for p in 1556 13724; do ncat -zv -w 3 client01 $p; done', 'Ncat: Connection refused.', 'Ncat: Connected to 10.1.0.9:13724.'];
    const o = read(lines);
    expect(o['connect.result.1556']).toBeUndefined();
    expect(o['connect.result.13724'].value).toBe('connects');
    expect(withheld(lines)).toContain('does not name its port');
  });

  it('traditional netcat and busybox nc', () => {
    expect(value(['$ nc -v -w 2 client01 1556', 'client01 [10.1.0.9] 1556 (?) : Connection refused'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['$ nc -v -w 2 client01 13724', 'client01 [10.1.0.9] 13724 (?) open'], 'connect.result.13724')).toBe('connects');
    expect(value(['$ busybox nc -zv -w 3 10.1.0.9 1556', "nc: can't connect to remote host (10.1.0.9): Connection timed out"], 'connect.outcome')).toBe('times_out');
  });

  it('nc -u always "succeeds": not a test', () => {
    const lines = ['$ nc -zvu amanda01 10080', 'Connection to amanda01 10080 port [udp/amanda] succeeded!'];
    expect(read(lines)['connect.outcome']).toBeUndefined();
    expect(withheld(lines)).toContain('UDP');
  });

  it('strerror in other locales', () => {
    expect(value(['$ nc -zv client01 1556', 'nc: connect to client01 port 1556 (tcp) failed: Verbindungsaufbau abgelehnt'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['$ telnet client01 1556', 'Trying 10.1.0.9...', 'telnet: Unable to connect to remote host: Connexion refusée'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['$ nc -zv client01 1556', 'nc: connect to client01 port 1556 (tcp) failed: Die Wartezeit für die Verbindung ist abgelaufen'], 'connect.outcome')).toBe('times_out');
  });
});

describe('connect-test reader: telnet', () => {
  it('a telnet that connects and stays: connects', () => {
    const o = read(['$ telnet client01 1556', 'Trying 10.1.0.9...', 'Connected to client01.', "Escape character is '^]'.", '^]', 'telnet> quit', 'Connection closed.']);
    expect(o['connect.outcome'].value).toBe('connects');
  });

  it('closed by the foreign host right after the escape line: connects_then_closed', () => {
    const o = read(['[root@backup01 ~]# telnet amanda01 10082', 'Trying 192.168.7.10...', 'Connected to amanda01.', "Escape character is '^]'.", 'Connection closed by foreign host.']);
    expect(o['connect.outcome'].value).toBe('connects_then_closed');
    expect(o['connect.failed_port']).toBeUndefined();
  });

  it('closed after a banner is not "at once"', () => {
    expect(value(['$ telnet dd02 22', 'Trying 10.2.0.5...', 'Connected to dd02.', "Escape character is '^]'.", 'SSH-2.0-OpenSSH_8.0', 'Connection closed by foreign host.'], 'connect.result.22')).toBe('connects');
  });

  it('a timeout, and IPv6 then IPv4 addresses tried in turn', () => {
    expect(value(['$ telnet client01 1556', 'Trying 10.1.0.9...', 'telnet: connect to address 10.1.0.9: Connection timed out'], 'connect.outcome')).toBe('times_out');
    const o = read(['$ telnet client01 13724', 'Trying fe80::9...', 'telnet: connect to address fe80::9: Connection refused', 'Trying 10.1.0.9...', 'Connected to client01.', "Escape character is '^]'."]);
    expect(o['connect.result.13724'].value).toBe('connects');
  });

  it('Windows telnet says only "Connect failed", in English, German or French', () => {
    for (const line of [
      'Connecting To client01...Could not open connection to the host, on port 1556: Connect failed',
      'Verbindungsaufbau zu client01...Es konnte keine Verbindung mit dem Host hergestellt werden, auf Port 1556: Verbinden fehlgeschlagen',
      "Connexion à client01...Impossible d'ouvrir une connexion à l'hôte, sur le port 1556: Échec lors de la connexion",
    ]) {
      const lines = ['C:\\Users\\admin>telnet client01 1556', line];
      const o = read(lines);
      expect(o['connect.result.1556'].value, line).toBe('failed');
      expect(o['connect.outcome'], line).toBeUndefined();
      expect(withheld(lines)).toContain('without saying whether it was refused or timed out');
    }
  });
});

describe('connect-test reader: curl, ssh, /dev/tcp, bptestbpcd', () => {
  it('curl 7.x and 8.x wordings', () => {
    expect(value(['$ curl -v telnet://client01:1556', '*   Trying 10.1.0.9:1556...', '* connect to 10.1.0.9 port 1556 failed: Connection refused', '* Failed to connect to client01 port 1556 after 1 ms: Couldn\'t connect to server', '* Closing connection 0', "curl: (7) Failed to connect to client01 port 1556 after 1 ms: Couldn't connect to server"], 'connect.outcome')).toBe('refused_at_once');
    expect(value(['$ curl -v --connect-timeout 5 telnet://client01:1556', '*   Trying 10.1.0.9:1556...', '* Connection timed out after 5001 milliseconds', '* Closing connection 0', 'curl: (28) Connection timed out after 5001 milliseconds'], 'connect.outcome')).toBe('times_out');
    expect(value(['$ curl -v telnet://client01:1556', '* About to connect() to client01 port 1556 (#0)', '*   Trying 10.1.0.9...', '* Connection refused', '* Failed connect to client01:1556; Connection refused', '* Closing connection 0', 'curl: (7) Failed connect to client01:1556; Connection refused'], 'connect.outcome')).toBe('refused_at_once');
    const ok = read(['$ curl -v https://nbu-primary:1556/', '*   Trying 10.1.0.5:1556...', '* Connected to nbu-primary (10.1.0.5) port 1556 (#0)', '* ALPN: offers h2,http/1.1']);
    expect(ok['connect.result.1556'].value).toBe('connects');
  });

  it('ssh -v: refused, timed out, established then closed', () => {
    expect(value(['$ ssh -v admin@dd02', 'OpenSSH_8.0p1, OpenSSL 1.1.1k  FIPS 25 Mar 2021', 'debug1: Connecting to dd02 [10.2.0.5] port 22.', 'ssh: connect to host dd02 port 22: Connection refused'], 'connect.result.22')).toBe('refused');
    expect(value(['$ ssh -v -p 2222 admin@dd02', 'ssh: connect to host dd02 port 2222: Connection timed out'], 'connect.result.2222')).toBe('times_out');
    expect(value(['$ ssh -v admin@dd02', 'debug1: Connecting to dd02 [10.2.0.5] port 22.', 'debug1: Connection established.', 'kex_exchange_identification: read: Connection reset by peer'], 'connect.result.22')).toBe('connects_then_closed');
  });

  it('a working ssh alone says nothing about the backup ports', () => {
    const lines = ['$ ssh -v admin@dd02', 'debug1: Connecting to dd02 [10.2.0.5] port 22.', 'debug1: Connection established.'];
    expect(read(lines)['connect.outcome']).toBeUndefined();
    expect(withheld(lines)).toContain('says nothing about the backup ports');
  });

  it('bash /dev/tcp: refused text, exit codes on the next prompt, and echo words', () => {
    expect(value(["$ timeout 5 bash -c '</dev/tcp/client01/1556'", 'bash: connect: Connection refused', 'bash: /dev/tcp/client01/1556: Connection refused', '$ echo $?', '1'], 'connect.outcome')).toBe('refused_at_once');
    expect(value(["$ timeout 5 bash -c '</dev/tcp/client01/13724'; echo $?", '0'], 'connect.result.13724')).toBe('connects');
    const words = read([
      "$ for p in 1556 13724; do timeout 3 bash -c \"</dev/tcp/client01/$p\" && echo open || echo closed; done",
      'closed',
      'open',
    ]);
    expect(words['connect.outcome']).toBeUndefined();
    const loop = read(['$ for p in 1556 13724 13782; do timeout 5 bash -c "</dev/tcp/appcl07/$p"; echo "$p: $?"; done', '1556: 124', '13724: 0', '13782: 0']);
    expect(loop['connect.result.1556'].value).toBe('times_out');
    expect(loop['connect.blocked_port'].value).toBe('pbx_1556');
    expect(loop['connect.outcome'].value).toBe('times_out');
    const named = read(['$ for p in 111 2049; do timeout 3 bash -c "cat < /dev/null > /dev/tcp/dd02/$p" && echo "$p open" || echo "$p closed"; done', '111 open', 'bash: connect: Connection refused', 'bash: /dev/tcp/dd02/2049: Connection refused', '2049 closed']);
    expect(named['connect.result.2049'].value).toBe('refused');
    expect(named['connect.blocked_port'].value).toBe('nfs_2049');
  });

  it('bptestbpcd: the sockets it lists connect; a failure names no port', () => {
    const ok = read(['# /usr/openv/netbackup/bin/admincmd/bptestbpcd -client client01 -verbose', '1 1 1', '10.1.0.7:41022 -> 10.1.0.9:1556', '10.1.0.7:41024 -> 10.1.0.9:1556', '10.1.0.7:41026 -> 10.1.0.9:1556']);
    expect(ok['connect.result.1556'].value).toBe('connects');
    const bad = ['# bptestbpcd -client client01 -verbose', '<16>bptestbpcd main: Function ConnectToBPCD(client01) failed: 25', 'cannot connect on socket'];
    expect(read(bad)['connect.outcome']).toBeUndefined();
    expect(withheld(bad)).toContain('does not say on which port');
  });
});

describe('connect-test reader: Test-NetConnection', () => {
  const tnc = (ok: boolean, port: number, warn = 'WARNING') => [
    ...(ok ? [] : [`${warn}: TCP connect to (10.1.0.9 : ${port}) failed`]),
    '',
    'ComputerName     : client01',
    'RemoteAddress    : 10.1.0.9',
    `RemotePort       : ${port}`,
    'InterfaceAlias   : Ethernet0',
    'SourceAddress    : 10.1.0.7',
    `TcpTestSucceeded : ${ok ? 'True' : 'False'}`,
    '',
  ];

  it('several ports piped into Test-NetConnection: the one that fails', () => {
    const lines = ['PS C:\\> 1556,13724,13782 | % { Test-NetConnection client01 -Port $_ }', ...tnc(false, 1556), ...tnc(true, 13724), ...tnc(true, 13782)];
    const o = read(lines);
    expect(o['connect.blocked_port'].value).toBe('pbx_1556');
    expect(o['connect.failed_port'].value).toBe(1556);
    // False does not say refused or timed out
    expect(o['connect.outcome']).toBeUndefined();
  });

  it('localised warnings (French, Japanese) change nothing', () => {
    for (const warn of ['AVERTISSEMENT ', '警告']) {
      const o = read(['PS C:\\> Test-NetConnection -ComputerName client01 -Port 1556', ...tnc(false, 1556, warn)]);
      expect(o['connect.result.1556'].value).toBe('failed');
    }
  });

  it('-InformationLevel Quiet prints a bare True or False', () => {
    expect(value(['PS C:\\> Test-NetConnection client01 -Port 13724 -InformationLevel Quiet', 'True'], 'connect.result.13724')).toBe('connects');
  });

  it('a record pasted without its command still names its port', () => {
    expect(value(tnc(true, 1556), 'connect.result.1556')).toBe('connects');
  });
});

describe('connect-test reader: before and after the fix, self-tests', () => {
  it('reports the state before the admin\'s fix', () => {
    const lines = [
      '$ nc -zv -w 5 client01 1556',
      'nc: connect to client01 port 1556 (tcp) timed out: Operation now in progress',
      '# after opening 1556 on the firewall',
      '$ nc -zv -w 5 client01 1556',
      'Connection to client01 1556 port [tcp/*] succeeded!',
    ];
    const o = read(lines);
    expect(o['connect.outcome'].value).toBe('times_out');
    expect(o['connect.result.1556'].value).toBe('times_out');
    expect(withheld(lines)).toContain('after the fix');
  });

  it('only tests after the fix: nothing concluded', () => {
    const lines = ['=== retest after the firewall change ===', '$ nc -zv client01 1556', 'Connection to client01 1556 port [tcp/*] succeeded!'];
    expect(read(lines)['connect.outcome']).toBeUndefined();
  });

  it('a port tested both ways (no note) is not concluded', () => {
    const lines = ['$ nc -zv client01 1556', 'Connection to client01 1556 port [tcp/*] succeeded!', '$ nc -zv client01 1556', 'nc: connect to client01 port 1556 (tcp) failed: Connection refused'];
    const o = read(lines);
    expect(o['connect.result.1556'].value).toBe('mixed');
    expect(o['connect.outcome']).toBeUndefined();
  });

  it('a host testing itself: a self-test, not a client test; loopback says nothing', () => {
    const o = read(['[root@nfs01 ~]# nc -zv nfs01 2049', 'Connection to nfs01 2049 port [tcp/nfs] succeeded!', '[root@nfs01 ~]# nc -zv localhost 111', 'Connection to localhost 111 port [tcp/sunrpc] succeeded!']);
    expect(o['connect.self_test.2049'].value).toBe('connects');
    expect(o['connect.self_test.111']).toBeUndefined();
    expect(o['connect.outcome']).toBeUndefined();
  });

  it('tests from two sources against two hosts that disagree give no blocked port', () => {
    const lines = [
      '[root@media01 ~]# nc -zv client01 1556 13724',
      'nc: connect to client01 port 1556 (tcp) failed: Connection refused',
      'Connection to client01 13724 port [tcp/vnetd] succeeded!',
      '[root@media01 ~]# nc -zv client02 1556 13724',
      'Connection to client02 1556 port [tcp/*] succeeded!',
      'nc: connect to client02 port 13724 (tcp) failed: Connection refused',
    ];
    const o = read(lines);
    expect(o['connect.blocked_port']).toBeUndefined();
    expect(withheld(lines)).toContain('disagree');
  });

  it('hostile lines are read in linear time and give nothing', () => {
    const o = read([`Connection to ${'a '.repeat(8000)}succeeded!`, `nc: connect to ${'port '.repeat(4000)}`, `${'* '.repeat(8000)}`, `x [1.2.3.4] 1 (${'?'.repeat(16000)}`, `ComputerName : ${':'.repeat(16000)}`]);
    expect(o['connect.outcome']).toBeUndefined();
  });
});
