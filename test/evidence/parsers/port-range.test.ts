import { describe, it, expect } from 'vitest';
import { portRangeParser } from '../../../src/evidence/parsers/port-range.js';
import { runParser } from '../helpers.js';

describe('port range parser', () => {
  it('sysctl', () => {
    const o = runParser(portRangeParser, 'net.ipv4.ip_local_port_range = 32768\t60999');
    expect(o['ports.ephemeral_range_size'].value).toBe(28232);
  });
  it('/proc file with cat', () => {
    const o = runParser(portRangeParser, '$ cat /proc/sys/net/ipv4/ip_local_port_range\n1024\t4999');
    expect(o['ports.ephemeral_low'].value).toBe(1024);
    expect(o['ports.ephemeral_range_size'].value).toBe(3976);
  });
  it('netsh int ipv4 show dynamicport tcp (English and German)', () => {
    const en = runParser(portRangeParser, '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n');
    expect(en['ports.ephemeral_range_size'].value).toBe(16384);
    expect(en['ports.ephemeral_high'].value).toBe(65535);
    const de = runParser(portRangeParser, 'Protokoll tcp Dynamischer Portbereich\n---\nStartport       : 1025\nAnzahl der Ports : 3976\n');
    expect(de['ports.ephemeral_range_size'].value).toBe(3976);
  });
  it('ndd smallest/largest anon port', () => {
    const o = runParser(portRangeParser, '# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port\n32768\n# /usr/sbin/ndd /dev/tcp tcp_largest_anon_port\n65535');
    expect(o['ports.ephemeral_range_size'].value).toBe(32768);
  });
  it('nbgetconfig CLIENT_PORT_WINDOW default and custom', () => {
    expect(runParser(portRangeParser, 'CLIENT_PORT_WINDOW = 0 0')['nbu.client_port_window_default'].value).toBe(true);
    const c = runParser(portRangeParser, 'CLIENT_PORT_WINDOW = 40000 40300');
    expect(c['nbu.client_port_window_default'].value).toBe(false);
    expect(c['nbu.client_port_window_size'].value).toBe(301);
  });
});
