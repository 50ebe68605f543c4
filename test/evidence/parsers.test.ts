import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { socketsParser } from '../../src/evidence/parsers/sockets.js';
import { portRangeParser } from '../../src/evidence/parsers/port-range.js';
import { tracerouteParser } from '../../src/evidence/parsers/traceroute.js';
import { pingParser } from '../../src/evidence/parsers/ping.js';
import { iperfParser } from '../../src/evidence/parsers/iperf.js';
import { dnsParser } from '../../src/evidence/parsers/dns.js';
import { nbuDebugParser } from '../../src/evidence/parsers/nbu-debug.js';
import { openstackParser } from '../../src/evidence/parsers/openstack.js';
import { detectKinds } from '../../src/evidence/detect.js';
import { FIX, runParser } from './helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('sockets parser', () => {
  it('Linux netstat -antp: per-state counts and TIME_WAIT share', () => {
    const o = runParser(socketsParser, fx('netstat-linux.txt'));
    expect(o['sockets.total'].value).toBe(398);
    expect(o['sockets.count.TIME_WAIT'].value).toBe(240);
    expect(o['sockets.share.TIME_WAIT'].value).toBeCloseTo(60.3, 1);
    expect(o['sockets.count.CLOSE_WAIT'].value).toBe(36);
  });
  it('ss -tan: ss state names, SYN_SENT by port', () => {
    const o = runParser(socketsParser, fx('ss-tan.txt'));
    expect(o['sockets.count.SYN_SENT'].value).toBe(10);
    expect(o['sockets.syn_sent.1556'].value).toBe(10);
    expect(o['sockets.share.TIME_WAIT'].value).toBe(60);
  });
  it('ss with a state filter takes the state from the command line', () => {
    const o = runParser(socketsParser, fx('ss-state-filter.txt'));
    expect(o['sockets.count.TIME_WAIT'].value).toBe(25);
  });
  it('ss -tanp with Netid column and process', () => {
    const rows = ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
    for (let i = 0; i < 12; i++) rows.push(`tcp   CLOSE-WAIT 1 0 10.0.0.5:13782 10.0.0.8:${50000 + i} users:(("bpcd",pid=311,fd=${i}))`);
    expect(runParser(socketsParser, rows.join('\n'))['sockets.count.CLOSE_WAIT'].value).toBe(12);
  });
  it('Windows netstat -ano (CRLF)', () => {
    const o = runParser(socketsParser, fx('netstat-windows.txt'));
    expect(o['sockets.syn_sent.1556'].value).toBe(15);
    expect(o['sockets.count.ESTABLISHED'].value).toBe(15);
  });
  it('grep-filtered netstat (seed 000): Send-Q stuck on 111, no state counts', () => {
    const o = runParser(socketsParser, fx('netstat-avamar.txt'));
    expect(o['sockets.sendq_stuck.111'].value).toBe(1);
    expect(o['sockets.syn_sent.111'].value).toBe(1);
    expect(o['sockets.count.CLOSE_WAIT']).toBeUndefined();
  });
  it('Data Domain netstat (service side, local port 111)', () => {
    const o = runParser(socketsParser, ['ddboost@datadomain# netstat', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State', 'tcp        0     32 DATA_DOMAIN_IP:111      AVAMAR_IP:44361         ESTABLISHED', 'tcp        0     32 DATA_DOMAIN_IP:111      AVAMAR_IP:44419         ESTABLISHED'].join('\n'));
    expect(o['sockets.sendq_stuck.111'].value).toBe(2);
  });
  it('Solaris dotted ports', () => {
    const rows = ['   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State'];
    for (let i = 0; i < 12; i++) rows.push(`10.0.0.5.${40000 + i}     10.0.0.9.1556      64240      0 64240      0 TIME_WAIT`);
    expect(runParser(socketsParser, rows.join('\n'))['sockets.count.TIME_WAIT'].value).toBe(12);
  });
});

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

describe('traceroute parser', () => {
  const seed = fx('traceroute-seed000.txt');
  it('seed 000: path dies at the destination edge while a full trace reached', () => {
    const o = runParser(tracerouteParser, seed);
    expect(o['trace.verdict'].value).toBe('stops_at_destination_edge');
    expect(o['trace.last_answering_hop'].value).toBe(13);
  });
  it('Windows tracert that dies after hop 2', () => {
    const o = runParser(tracerouteParser, fx('tracert.txt'));
    expect(o['trace.reached'].value).toBe(false);
    expect(o['trace.last_answering_hop'].value).toBe(2);
    expect(o['trace.verdict']).toBeUndefined();
  });
  it('a trace that reaches its destination', () => {
    const o = runParser(tracerouteParser, 'traceroute to dd01 (10.2.2.9), 30 hops max, 60 byte packets\n 1  gw (10.1.1.1)  0.5 ms  0.4 ms  0.4 ms\n 2  dd01 (10.2.2.9)  1.1 ms  1.0 ms  1.2 ms');
    expect(o['trace.verdict'].value).toBe('reaches_destination');
  });
});

describe('ping parser', () => {
  it('Linux ping -M do -s 1472 with message too long', () => {
    const o = runParser(pingParser, '$ ping -M do -s 1472 -c 3 dd01\nPING dd01 (10.2.2.9) 1472(1500) bytes of data.\nping: local error: message too long, mtu=1400\n\n--- dd01 ping statistics ---\n3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms');
    expect(o['ping.large_df'].value).toBe('frag_needed_reply');
  });
  it('Linux large DF ping that silently times out, small ping fine', () => {
    const o = runParser(pingParser, 'ping -M do -s 1472 -c 2 dd01\nPING dd01 (10.2.2.9) 1472(1500) bytes of data.\n--- dd01 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1001ms\nping -c 2 dd01\nPING dd01 (10.2.2.9) 56(84) bytes of data.\n64 bytes from 10.2.2.9: icmp_seq=1 ttl=63 time=0.5 ms\n--- dd01 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1001ms\nrtt min/avg/max/mdev = 0.400/0.500/0.600/0.100 ms');
    expect(o['ping.large_df'].value).toBe('fails_silently');
    expect(o['ping.small_ok'].value).toBe(true);
    expect(o['ping.rtt_avg_ms'].value).toBe(0.5);
  });
  it('Windows ping -f -l 1472 that needs fragmenting', () => {
    const o = runParser(pingParser, 'C:\\>ping -f -l 1472 dd01\r\n\r\nPinging dd01 [10.2.2.9] with 1472 bytes of data:\r\nPacket needs to be fragmented but DF set.\r\n\r\nPing statistics for 10.2.2.9:\r\n    Packets: Sent = 4, Received = 0, Lost = 4 (100% loss),');
    expect(o['ping.large_df'].value).toBe('frag_needed_reply');
  });
  it('large DF ping that passes', () => {
    const o = runParser(pingParser, 'ping -M do -s 1472 -c 2 dd01\nPING dd01 (10.2.2.9) 1472(1500) bytes of data.\n--- dd01 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1001ms');
    expect(o['ping.large_df'].value).toBe('passes');
  });
});

describe('iperf parser', () => {
  it('iperf 2 with several window sizes: little gain (seed 003 style)', () => {
    const t = ['# iperf -c suzuki -m -w 16K', '------------------------------------------------------------', 'Client connecting to suzuki, TCP port 5001', 'TCP window size: 32.0 KByte (WARNING: requested 16.0 KByte)', '[  3]  0.0-10.3 sec   432 KBytes   343 Kbits/sec',
      '# iperf -c suzuki -m -w 128K', 'Client connecting to suzuki, TCP port 5001', 'TCP window size:  256 KByte (WARNING: requested  128 KByte)', '[  3]  0.0-10.4 sec   448 KBytes   352 Kbits/sec'];
    const o = runParser(iperfParser, t.join('\n'));
    expect(o['iperf.window_gain_pct'].value).toBeLessThan(20);
    expect(o['iperf.throughput_mbps'].value).toBeCloseTo(0.35, 2);
  });
  it('iperf3 receiver line, window-limited path', () => {
    const t = ['$ iperf3 -c dd01 -w 16K', 'Connecting to host dd01, port 5201', '[  5]   0.00-1.00   sec  1.50 MBytes  12.6 Mbits/sec    0   16.0 KBytes', '[  5]   0.00-10.00  sec  15.0 MBytes  12.6 Mbits/sec    0             sender', '[  5]   0.00-10.04  sec  14.9 MBytes  12.4 Mbits/sec                  receiver',
      '$ iperf3 -c dd01 -w 256K', 'Connecting to host dd01, port 5201', '[  5]   0.00-10.00  sec   210 MBytes   176 Mbits/sec    0             sender', '[  5]   0.00-10.04  sec   209 MBytes   175 Mbits/sec                  receiver'];
    const o = runParser(iperfParser, t.join('\n'));
    expect(o['iperf.window_gain_pct'].value).toBeGreaterThan(50);
    expect(o['iperf.throughput_mbps'].value).toBe(175);
  });
  it('iperf 2 server side (seed 000)', () => {
    const o = runParser(iperfParser, 'Server listening on TCP port 5001\nTCP window size:  256 KByte (default)\n[  4] local 10.2.2.9 port 5001 connected with 10.1.1.5 port 14376\n[ ID] Interval       Transfer     Bandwidth\n[  4]  0.0-10.0 sec   574 MBytes   480 Mbits/sec');
    expect(o['iperf.throughput_mbps'].value).toBe(480);
  });
});

describe('dns parser', () => {
  it('dig query time', () => {
    const o = runParser(dnsParser, '; <<>> DiG 9.16.1 <<>> client01.example.com\n;; Query time: 5012 msec\n;; SERVER: 10.0.0.53#53(10.0.0.53)');
    expect(o['dns.lookup_ms'].value).toBe(5012);
  });
  it('nslookup timing out, with time(1)', () => {
    const o = runParser(dnsParser, '$ time nslookup 10.0.0.9\n;; connection timed out; no servers could be reached\n\nreal\t0m10.021s\nuser\t0m0.004s');
    expect(o['dns.timed_out'].value).toBe(true);
    expect(o['dns.lookup_ms'].value).toBe(10021);
  });
  it('Windows nslookup DNS request timed out', () => {
    const o = runParser(dnsParser, 'C:\\> nslookup client01\r\nDNS request timed out.\r\n    timeout was 2 seconds.\r\nServer:  UnKnown');
    expect(o['dns.timed_out'].value).toBe(true);
  });
});

describe('NetBackup debug log parser', () => {
  it('seed 001 bpbrm: 10 s between connect attempts', () => {
    const o = runParser(nbuDebugParser, fx('bpbrm.log'));
    expect(o['nbu.connect_attempt_gap_s'].value).toBe(10);
    expect(o['nbu.connect_attempt_gap_s'].line).toBe(2);
    expect(o['nbu.slow_connect_attempts'].value).toBe(2);
  });
  it('dated timestamps with AM/PM and a midnight wrap', () => {
    const t = ['05/25/2023 11:59:55.500 PM [100.200] <2> vnet_async_connect: connect in progress: 1 0x1', '05/26/2023 12:00:05.500 AM [100.200] <2> vnet_async_connect: connect in progress: 2 0x2'];
    expect(runParser(nbuDebugParser, t.join('\n'))['nbu.connect_attempt_gap_s'].value).toBe(10);
  });
  it('threads are kept apart; quick retries give small gaps', () => {
    const t = ['10:00:00.000 [1.1] <2> x: connect in progress: 1 0x1', '10:00:00.100 [2.2] <2> x: connect in progress: 1 0x1', '10:00:00.050 [1.1] <2> x: connect in progress: 2 0x2', '10:00:00.300 [2.2] <2> x: connect in progress: 2 0x2'];
    expect(runParser(nbuDebugParser, t.join('\n'))['nbu.connect_attempt_gap_s'].value).toBe(0.2);
  });
});

describe('OpenStack parser', () => {
  it('same volume created by three pods and a cross-host revert (seed 002)', () => {
    const o = runParser(openstackParser, fx('cinder.log'));
    expect(o['openstack.volume_create_hosts'].value).toBe(3);
    expect(o['openstack.cross_host_revert'].value).toBe(true);
  });
  it('one host only', () => {
    const o = runParser(openstackParser, 'May  3 02:31:45 ctl1 cinder-volume[77]: INFO cinder.volume.manager Volume d96acb68-5312-4dc8-8f13-660de3317285: being created as snap');
    expect(o['openstack.volume_create_hosts'].value).toBe(1);
  });
});

describe('kind detection', () => {
  it('recognises formats from their first lines', () => {
    expect(detectKinds(fx('netstat-linux.txt').split('\n').slice(0, 20)).kinds[0]).toBe('sockets');
    expect(detectKinds(fx('bpbrm.log').split('\n')).kinds).toContain('nbu-debug');
    expect(detectKinds(fx('ddpconnchk.txt').split('\n')).kinds).toContain('ddpconnchk');
    expect(detectKinds(fx('tracert.txt').split('\n')).kinds).toContain('traceroute');
    expect(detectKinds(['type=AVC msg=audit(1130000000.123:42): avc:  denied  { read } for  pid=2345 comm="amindexd"']).kinds).toContain('audit');
    expect(detectKinds(['just words']).kinds).toEqual([]);
  });
});
