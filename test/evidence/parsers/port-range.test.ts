import { describe, it, expect } from 'vitest';
import { portRangeParser } from '../../../src/evidence/parsers/port-range.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const withheld = (text: string) => readTextWith(portRangeParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

describe('port range parser', () => {
  it('sysctl', () => {
    const o = runParser(portRangeParser, 'net.ipv4.ip_local_port_range = 32768\t60999');
    expect(o['ports.ephemeral_range_size'].value).toBe(28232);
  });
  it('/proc file with cat, and sysctl -n', () => {
    const o = runParser(portRangeParser, '$ cat /proc/sys/net/ipv4/ip_local_port_range\n1024\t4999');
    expect(o['ports.ephemeral_low'].value).toBe(1024);
    expect(o['ports.ephemeral_range_size'].value).toBe(3976);
    expect(runParser(portRangeParser, '$ sysctl -n net.ipv4.ip_local_port_range\n9000\t65500\n$ ')['ports.ephemeral_range_size'].value).toBe(56501);
  });
  it('two numbers after another command are not a range', () => {
    expect(runParser(portRangeParser, '$ cat /proc/loadavg\n1 2\n$ ')['ports.ephemeral_low']).toBeUndefined();
  });
  it('netsh int ipv4 show dynamicport tcp (English, German, Spanish)', () => {
    const en = runParser(portRangeParser, '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n');
    expect(en['ports.ephemeral_range_size'].value).toBe(16384);
    expect(en['ports.ephemeral_high'].value).toBe(65535);
    const de = runParser(portRangeParser, 'Protokoll tcp Dynamischer Portbereich\n---\nStartport       : 1025\nAnzahl der Ports : 3976\n');
    expect(de['ports.ephemeral_range_size'].value).toBe(3976);
    const es = runParser(portRangeParser, 'Intervalo de puertos dinámicos del protocolo tcp\n---\nPuerto inicial      : 10000\nNúmero de puertos   : 55535\n');
    expect(es['ports.ephemeral_low'].value).toBe(10000);
  });
  it('ndd smallest/largest anon port, and Solaris 11 ipadm', () => {
    const o = runParser(portRangeParser, '# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port\n32768\n# /usr/sbin/ndd /dev/tcp tcp_largest_anon_port\n65535');
    expect(o['ports.ephemeral_range_size'].value).toBe(32768);
    const ip = runParser(portRangeParser, '# ipadm show-prop -p smallest_anon_port,largest_anon_port tcp\nPROTO PROPERTY              PERM CURRENT      PERSISTENT   DEFAULT      POSSIBLE\ntcp   smallest_anon_port    rw   32768        --           32768        1024-65535\ntcp   largest_anon_port     rw   65535        --           65535        32768-65535\n# ');
    expect(ip['ports.ephemeral_range_size'].value).toBe(32768);
  });
  it('AIX no -a', () => {
    expect(runParser(portRangeParser, '# no -a | grep ephemeral\n      tcp_ephemeral_high = 65535\n       tcp_ephemeral_low = 32768\n# ')['ports.ephemeral_range_size'].value).toBe(32768);
  });
  it('a change in the paste, and ranges that disagree', () => {
    const text = '# sysctl -w net.ipv4.ip_local_port_range="1024 65000"\nnet.ipv4.ip_local_port_range = 1024 65000\n# ';
    expect(runParser(portRangeParser, text)['ports.ephemeral_range_size']).toBeUndefined();
    expect(withheld(text)).toMatch(/sysctl -w/);
    const before = runParser(portRangeParser, '# sysctl net.ipv4.ip_local_port_range\nnet.ipv4.ip_local_port_range = 32768 60999\n' + text);
    expect(before['ports.ephemeral_range_size'].value).toBe(28232);
    expect(runParser(portRangeParser, 'net.ipv4.ip_local_port_range = 32768 60999\nnet.ipv4.ip_local_port_range = 1024 65000')['ports.ephemeral_range_size']).toBeUndefined();
  });
  it('the UDP range is not the TCP one', () => {
    const text = 'C:\\>netsh int ipv4 show dynamicport udp\n\nPlage de ports dynamique du protocole udp\n---\nPort de départ      : 49152\nNombre de ports     : 16384\n';
    expect(runParser(portRangeParser, text)['ports.ephemeral_range_size']).toBeUndefined();
  });
});

describe('port range parser: hostile input', () => {
  it('16 K lines', () => {
    const o = runParser(portRangeParser, [`net.ipv4.ip_local_port_range = ${'9 '.repeat(8000)}`, `Protocol tcp Dynamic Port Range ${'x'.repeat(16000)}`, `Start Port ${' '.repeat(16000)}: 1`].join('\n'));
    expect(o['ports.ephemeral_range_size']).toBeUndefined();
  });
});

describe('port range parser: several commands on one line', () => {
  it('ndd smallest; ndd largest (the fact\'s own check)', () => {
    const o = runParser(portRangeParser, '# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port; /usr/sbin/ndd /dev/tcp tcp_largest_anon_port\n49152\n65535\n# ');
    expect(o['ports.ephemeral_low'].value).toBe(49152);
    expect(o['ports.ephemeral_range_size'].value).toBe(16384);
  });
  it('AIX no -o low; no -o high', () => {
    const o = runParser(portRangeParser, '# /usr/sbin/no -o tcp_ephemeral_low; /usr/sbin/no -o tcp_ephemeral_high\ntcp_ephemeral_low = 32768\ntcp_ephemeral_high = 65535\n# ');
    expect(o['ports.ephemeral_range_size'].value).toBe(32768);
  });
});
