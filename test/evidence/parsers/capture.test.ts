import { describe, expect, it } from 'vitest';
import { captureBothEnds } from '../../../src/evidence/combiners/capture-both-ends.js';
import { combineInput } from '../../../src/evidence/combiners/index.js';
import { captureParser } from '../../../src/evidence/parsers/capture.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const read = (lines: string[]) => runParser(captureParser, lines.join('\n'));
const withheld = (lines: string[]) => readTextWith(captureParser, lines.join('\n')).withheld.map((w) => `${w.about}: ${w.why}`);
const value = (lines: string[], key: string) => read(lines)[key]?.value;

/** An unanswered PBX attempt retried by Linux (1, 2, 4 s), then the vnetd fallback that connects. */
const PBX_THEN_VNETD = [
  '[root@media01 ~]# tcpdump -nn -i eth0 host 10.1.0.9',
  'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
  'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
  '02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0',
  '02:10:02.001300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS val 2 ecr 0,nop,wscale 7], length 0',
  '02:10:04.005300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS val 4 ecr 0,nop,wscale 7], length 0',
  '02:10:08.013300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS val 8 ecr 0,nop,wscale 7], length 0',
  '02:10:11.002000 IP 10.1.0.7.52118 > 10.1.0.9.13724: Flags [S], seq 9, win 64240, length 0',
  '02:10:11.002400 IP 10.1.0.9.13724 > 10.1.0.7.52118: Flags [S.], seq 5, ack 10, win 65160, length 0',
  '02:10:11.002450 IP 10.1.0.7.52118 > 10.1.0.9.13724: Flags [.], ack 1, win 502, length 0',
  '02:10:11.003000 IP 10.1.0.7.52118 > 10.1.0.9.13724: Flags [P.], seq 1:17, ack 1, win 502, length 16',
  '02:10:11.004100 IP 10.1.0.9.13724 > 10.1.0.7.52118: Flags [P.], seq 1:5, ack 17, win 510, length 4',
  '^C',
  '9 packets captured',
  '9 packets received by filter',
  '0 packets dropped by kernel',
];

describe('capture reader: tcpdump', () => {
  it('follows an unanswered PBX attempt and the vnetd fallback', () => {
    const o = read(PBX_THEN_VNETD);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.outcome'].text).toContain('1556');
    expect(o['capture.port.1556'].value).toBe('unanswered');
    expect(o['capture.port.13724'].value).toBe('connected');
    expect(o['capture.failing_port'].value).toBe(1556);
    expect(o['capture.syn_sent_seconds'].value).toBeCloseTo(7, 0);
    expect(o['capture.syn_retransmissions'].value).toBe(3);
    expect(o['capture.syn_retry_gap_s'].value).toBeCloseTo(4, 0);
    expect(o['capture.syn_retry_gap_s'].text).toContain('1, 2, 4');
    expect(o['capture.syn_retry_backoff'].value).toBe('doubling');
    expect(o['capture.blocked_port'].value).toBe('pbx_1556');
    expect(o['capture.vnetd_after_pbx'].value).toBe(true);
    expect(o['capture.pbx_wait_s'].value).toBeCloseTo(10, 0);
    // taken on the media server: where the SYN got lost is not shown
    expect(o['capture.syn_reaches_destination']).toBeUndefined();
    expect(withheld(PBX_THEN_VNETD).join('\n')).toMatch(/syn_reaches_destination: .*not shown to be taken on the destination/);
  });

  it('a reset at once from the destination: refused, and the SYN reached it', () => {
    const lines = [
      '$ sudo tcpdump -nni ens192 port 1556',
      '02:10:01.100200 IP 10.1.0.7.41022 > 10.1.0.9.1556: Flags [S], seq 3558120371, win 29200, length 0',
      '02:10:01.100611 IP 10.1.0.9.1556 > 10.1.0.7.41022: Flags [R.], seq 0, ack 3558120372, win 0, length 0',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('refused_at_once');
    expect(o['capture.rst_from'].value).toBe('destination');
    expect(o['capture.syn_reaches_destination'].value).toBe(true);
    expect(o['capture.syn_sent_seconds']).toBeUndefined();
  });

  it('a bare reset (no ACK) answering a SYN comes from a device on the path: outcome and reach withheld', () => {
    const lines = [
      '$ tcpdump -nn port 1556',
      '02:10:01.100200 IP 10.1.0.7.41022 > 10.1.0.9.1556: Flags [S], seq 3558120371, win 29200, length 0',
      '02:10:01.100900 IP 10.1.0.9.1556 > 10.1.0.7.41022: Flags [R], seq 0, win 0, length 0',
    ];
    const o = read(lines);
    // refused at once, but not by the destination: the rules would read a reset as a missing listener
    expect(o['capture.outcome']).toBeUndefined();
    expect(o['capture.port.1556'].value).toBe('refused');
    expect(o['capture.rst_from'].value).toBe('path');
    expect(o['capture.syn_reaches_destination']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('no ACK');
  });

  it('a reset whose TTL differs from the destination\'s own SYN-ACKs is not the destination answering (-v)', () => {
    const lines = [
      '# tcpdump -nn -v -i eth0 host 10.1.0.9',
      '02:10:01.000100 IP (tos 0x0, ttl 64, id 100, offset 0, flags [DF], proto TCP (6), length 60)',
      '    10.1.0.7.41022 > 10.1.0.9.13724: Flags [S], cksum 0x1c46 (incorrect -> 0x8f2a), seq 1, win 64240, length 0',
      '02:10:01.000500 IP (tos 0x0, ttl 61, id 0, offset 0, flags [DF], proto TCP (6), length 60)',
      '    10.1.0.9.13724 > 10.1.0.7.41022: Flags [S.], cksum 0x7a10 (correct), seq 7, ack 2, win 65160, length 0',
      '02:10:01.000550 IP (tos 0x0, ttl 64, id 101, offset 0, flags [DF], proto TCP (6), length 52)',
      '    10.1.0.7.41022 > 10.1.0.9.13724: Flags [.], cksum 0x1c3e (incorrect -> 0x0c11), ack 1, win 502, length 0',
      '02:10:02.000100 IP (tos 0x0, ttl 64, id 200, offset 0, flags [DF], proto TCP (6), length 60)',
      '    10.1.0.7.41030 > 10.1.0.9.1556: Flags [S], cksum 0x1c46 (incorrect -> 0x11aa), seq 1, win 64240, length 0',
      '02:10:02.000400 IP (tos 0x0, ttl 254, id 0, offset 0, flags [none], proto TCP (6), length 40)',
      '    10.1.0.9.1556 > 10.1.0.7.41030: Flags [R.], cksum 0x0001 (correct), seq 0, ack 2, win 0, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.1556'].value).toBe('refused');
    expect(o['capture.port.13724'].value).toBe('connected');
    expect(o['capture.rst_from'].value).toBe('path');
    expect(o['capture.outcome']).toBeUndefined();
    expect(o['capture.syn_reaches_destination']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('TTL (254)');
  });

  it('the server closes at once without sending anything: connects_then_closed', () => {
    const lines = [
      '[root@backup01 ~]# tcpdump -nn -i eth0 port 10082',
      '09:14:00.100000 IP 192.168.7.21.50112 > 192.168.7.10.10082: Flags [S], seq 100, win 29200, length 0',
      '09:14:00.100300 IP 192.168.7.10.10082 > 192.168.7.21.50112: Flags [S.], seq 900, ack 101, win 28960, length 0',
      '09:14:00.100350 IP 192.168.7.21.50112 > 192.168.7.10.10082: Flags [.], ack 1, win 229, length 0',
      '09:14:00.101000 IP 192.168.7.21.50112 > 192.168.7.10.10082: Flags [P.], seq 1:42, ack 1, win 229, length 41',
      '09:14:01.120000 IP 192.168.7.10.10082 > 192.168.7.21.50112: Flags [F.], seq 1, ack 42, win 227, length 0',
      '09:14:01.120200 IP 192.168.7.21.50112 > 192.168.7.10.10082: Flags [F.], seq 42, ack 2, win 229, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.10082'].value).toBe('closed_by_server');
    expect(o['capture.outcome'].value).toBe('connects_then_closed');
    expect(o['capture.syn_reaches_destination'].value).toBe(true);
  });

  it('a server that answers and then closes is a connection that worked', () => {
    const lines = [
      '$ tcpdump -nn port 13724',
      '09:14:00.100000 IP 10.1.0.7.50112 > 10.1.0.9.13724: Flags [S], seq 100, win 29200, length 0',
      '09:14:00.100300 IP 10.1.0.9.13724 > 10.1.0.7.50112: Flags [S.], seq 900, ack 101, win 28960, length 0',
      '09:14:00.100350 IP 10.1.0.7.50112 > 10.1.0.9.13724: Flags [P.], seq 1:42, ack 1, win 229, length 41',
      '09:14:00.101000 IP 10.1.0.9.13724 > 10.1.0.7.50112: Flags [P.], seq 1:9, ack 42, win 227, length 8',
      '09:14:00.101100 IP 10.1.0.9.13724 > 10.1.0.7.50112: Flags [F.], seq 9, ack 42, win 227, length 0',
    ];
    expect(value(lines, 'capture.outcome')).toBe('connects');
  });

  it('every handshake completes, but on a port no backup product uses: nothing about the failing port', () => {
    const lines = [
      '$ tcpdump -nn -i eth0 port 443',
      '11:00:00.000100 IP 10.1.0.7.40100 > 10.1.0.20.443: Flags [S], seq 1, win 64240, length 0',
      '11:00:00.000500 IP 10.1.0.20.443 > 10.1.0.7.40100: Flags [S.], seq 2, ack 2, win 65160, length 0',
      '11:00:00.000600 IP 10.1.0.7.40100 > 10.1.0.20.443: Flags [.], ack 1, win 502, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.443'].value).toBe('connected');
    expect(o['capture.outcome']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('none a backup service port');
  });

  it('some attempts to a port complete and others hang: that port is not concluded', () => {
    const lines = [
      '$ tcpdump -nn port 1556',
      '02:00:00.000000 IP 10.1.0.7.40001 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:00:00.000400 IP 10.1.0.9.1556 > 10.1.0.7.40001: Flags [S.], seq 1, ack 2, win 65160, length 0',
      '02:00:00.000500 IP 10.1.0.7.40001 > 10.1.0.9.1556: Flags [.], ack 1, win 502, length 0',
      '02:00:05.000000 IP 10.1.0.7.40002 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:00:06.001000 IP 10.1.0.7.40002 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:00:08.003000 IP 10.1.0.7.40002 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.1556'].value).toBe('mixed');
    expect(o['capture.outcome']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/port 1556: some connection attempts complete/);
  });

  it('one SYN without a retransmission is not a timeout', () => {
    const lines = ['$ tcpdump -nn port 2049', '02:00:00.000000 IP 10.1.0.7.40001 > 10.2.0.5.2049: Flags [S], seq 1, win 64240, length 0', '02:00:09.000000 IP 10.1.0.7.40001 > 10.2.0.5.22: Flags [P.], seq 1:20, ack 1, win 502, length 20'];
    expect(read(lines)['capture.outcome']).toBeUndefined();
  });

  it('a SYN-only filter shows answers but not whether connections stay open', () => {
    const lines = [
      "# tcpdump -nn -i any 'tcp[tcpflags] & tcp-syn != 0 and port 1556'",
      '02:10:01.000100 eth0  Out IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000500 eth0  In  IP 10.1.0.9.1556 > 10.1.0.7.52110: Flags [S.], seq 5, ack 2, win 65160, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.1556'].value).toBe('answered');
    expect(o['capture.outcome']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('SYNs only');
  });

  it('SYN retransmissions still count under a SYN-only filter', () => {
    const lines = [
      "# tcpdump -nn -i any 'tcp[tcpflags] & tcp-syn != 0 and port 1556'",
      '02:10:01.000100 bond0 Out IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:04.000100 bond0 Out IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:10.000100 bond0 Out IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_sent_seconds'].value).toBeCloseTo(9, 0);
  });

  it('output filtered by text may hide the answers: no outcome', () => {
    const lines = [
      "$ tcpdump -nn -r /tmp/pbx.pcap | grep 'Flags \\[S\\]'",
      'reading from file /tmp/pbx.pcap, link-type EN10MB (Ethernet), snapshot length 262144',
      '02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:02.001300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const o = read(lines);
    expect(o['capture.outcome']).toBeUndefined();
    expect(o['capture.packets'].value).toBe(2);
    expect(withheld(lines).join('\n')).toContain('filtered by grep');
  });

  it('a listing cut by head may end before the answer', () => {
    const lines = [
      '$ tcpdump -nn -r /tmp/pbx.pcap | head -3',
      '02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000200 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000300 IP 10.1.0.7.52111 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    expect(read(lines)['capture.outcome']).toBeUndefined();
  });

  it('-i any on a firewall sees each forwarded SYN twice: not retransmissions', () => {
    const lines = [
      'fw01:~ # tcpdump -nn -i any host 10.1.0.9 and port 1556',
      '02:10:01.000100 eth1  In  IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000140 eth2  Out IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000600 eth2  In  IP 10.1.0.9.1556 > 10.1.0.7.52110: Flags [S.], seq 5, ack 2, win 65160, length 0',
      '02:10:01.000630 eth1  Out IP 10.1.0.9.1556 > 10.1.0.7.52110: Flags [S.], seq 5, ack 2, win 65160, length 0',
      '02:10:01.000900 eth1  In  IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [.], ack 1, win 502, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.1556'].value).toBe('connected');
    expect(o['capture.outcome'].value).toBe('connects');
  });

  it('SYN-ACKs without their SYN on a box in the middle: one direction visible', () => {
    const lines = [
      'fw01# tcpdump -nn -i eth2 port 13724',
      '03:00:00.000100 IP 10.5.0.20.33001 > 10.1.0.9.13724: Flags [P.], seq 1:10, ack 1, win 502, length 9',
      '03:00:05.000100 IP 10.1.0.9.13724 > 10.5.0.20.33010: Flags [S.], seq 5, ack 2, win 65160, length 0',
      '03:00:05.300100 IP 10.1.0.9.13724 > 10.5.0.20.33010: Flags [.], seq 1, ack 30, win 510, length 0',
      '03:00:09.000100 IP 10.1.0.9.13724 > 10.5.0.20.33012: Flags [S.], seq 5, ack 2, win 65160, length 0',
    ];
    const o = read(lines);
    expect(o['capture.one_way'].value).toBe(true);
    expect(o['capture.outcome']).toBeUndefined();
  });

  it('a SYN-ACK in the first packets may answer a SYN sent before the capture began', () => {
    const lines = ['$ tcpdump -nn port 13724', '03:00:00.000100 IP 10.1.0.9.13724 > 10.5.0.20.33010: Flags [S.], seq 5, ack 2, win 65160, length 0', '03:00:00.000300 IP 10.5.0.20.33010 > 10.1.0.9.13724: Flags [.], ack 1, win 502, length 0'];
    expect(read(lines)['capture.one_way']).toBeUndefined();
  });

  it('a capture on the destination (names printed, prompt host) showing the SYN arrive unanswered', () => {
    const lines = [
      '[root@client01 ~]# tcpdump -i eth0 port 1556',
      '02:10:01.000300 IP media01.example.com.52110 > client01.example.com.veritas_pbx: Flags [S], seq 1, win 64240, length 0',
      '02:10:02.001500 IP media01.example.com.52110 > client01.example.com.veritas_pbx: Flags [S], seq 1, win 64240, length 0',
      '02:10:04.005500 IP media01.example.com.52110 > client01.example.com.veritas_pbx: Flags [S], seq 1, win 64240, length 0',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.port.veritas_pbx'].value).toBe('unanswered');
    expect(o['capture.failing_port'].value).toBe(1556);
    expect(o['capture.syn_reaches_destination'].value).toBe(true);
  });

  it('0 packets captured on the destination while the client retried: the SYN never arrives', () => {
    const lines = [
      '[root@media01 ~]# ping -c 1 client01',
      'PING client01.example.com (10.1.0.9) 56(84) bytes of data.',
      '64 bytes from client01.example.com (10.1.0.9): icmp_seq=1 ttl=62 time=0.41 ms',
      '[root@media01 ~]# tcpdump -nn -i eth0 host 10.1.0.9 and port 1556',
      '02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:02.001300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:04.005300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '3 packets captured',
      '[root@client01 ~]# tcpdump -nn -i eth0 port 1556',
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
      'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      '^C',
      '0 packets captured',
      '0 packets received by filter',
      '0 packets dropped by kernel',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_reaches_destination'].value).toBe(false);
    expect(o['capture.syn_reaches_destination'].text).toContain('client01');
  });

  it('a capture on the destination known by its own address (ip addr) with -n output', () => {
    const lines = [
      '[root@appcl09 ~]# ip -4 addr show eth0',
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000',
      '    inet 10.20.4.39/24 brd 10.20.4.255 scope global noprefixroute eth0',
      '[root@appcl09 ~]# tcpdump -nn -i eth0 port 1556',
      '02:55:00.114015 IP 10.20.1.15.48810 > 10.20.4.39.1556: Flags [S], seq 100230112, win 29200, length 0',
      '02:55:01.115200 IP 10.20.1.15.48810 > 10.20.4.39.1556: Flags [S], seq 100230112, win 29200, length 0',
    ];
    const o = read(lines);
    expect(o['capture.syn_reaches_destination'].value).toBe(true);
    expect(o['capture.syn_reaches_destination'].text).toContain('appcl09');
    // the same capture without the host's address: not shown to be on the destination
    expect(read(lines.slice(3))['capture.syn_reaches_destination']).toBeUndefined();
  });

  it('a capture run under timeout(1) is a capture command too', () => {
    const lines = ['[root@appcl09 ~]# hostname -I', '10.20.4.39', '[root@appcl09 ~]# timeout 60 tcpdump -nn -i eth0 port 1556', 'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes', '0 packets captured'];
    const data = readTextWith(captureParser, lines.join('\n')).observations.find((o) => o.key === 'capture.ends')?.data as { blocks: { host: string; covers: number[] | 'all' }[] };
    expect(data.blocks).toMatchObject([{ host: 'appcl09', covers: [1556] }]);
  });

  it('0 packets captured on the client alone says nothing', () => {
    const lines = ['[root@media01 ~]# tcpdump -nn -i eth1 port 1556', 'listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes', '^C', '0 packets captured', '0 packets received by filter', '0 packets dropped by kernel'];
    const o = read(lines);
    expect(o['capture.empty'].value).toBe(true);
    expect(o['capture.outcome']).toBeUndefined();
    expect(o['capture.syn_reaches_destination']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('0 packets captured on media01');
  });

  it('an ICMP admin-prohibited reject from a router: neither a reset nor silence', () => {
    const lines = [
      '$ tcpdump -nn -i eth0 host 10.2.0.5',
      '04:00:00.000100 IP 10.1.0.7.40500 > 10.2.0.5.2051: Flags [S], seq 1, win 64240, length 0',
      '04:00:00.000900 IP 10.1.0.1 > 10.1.0.7: ICMP host 10.2.0.5 unreachable - admin prohibited filter, length 68',
    ];
    const o = read(lines);
    expect(o['capture.port.2051'].value).toBe('icmp_rejected');
    expect(o['capture.icmp_reject'].value).toBe('from_path');
    expect(o['capture.outcome']).toBeUndefined();
  });

  it('ICMP need to frag gives the path MTU (the smallest of several)', () => {
    const lines = [
      '$ tcpdump -nn icmp',
      '10:00:00.000100 IP 10.1.0.1 > 10.1.0.7: ICMP 10.2.0.5 unreachable - need to frag (mtu 1400), length 556',
      '10:00:01.000100 IP 10.9.0.1 > 10.1.0.7: ICMP 10.2.0.5 unreachable - need to frag (mtu 1380), length 556',
      '10:00:02.000100 IP6 2001:db8::1 > 2001:db8::7: ICMP6, packet too big, mtu 1280, length 1240',
    ];
    expect(value(lines, 'capture.path_mtu')).toBe(1280);
  });

  it('a capture after the admin\'s fix is not the failure', () => {
    const lines = [
      '# after opening 1556 on the firewall',
      '$ tcpdump -nn port 1556',
      '02:10:01.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:02.001300 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const o = read(lines);
    expect(o['capture.outcome']).toBeUndefined();
    expect(withheld(lines).join('\n')).toContain('after the admin');
  });

  it('reads tcpdump 3.x flags, IPv6, -ttt deltas and -tt epochs', () => {
    const old = [
      '# tcpdump -n -i eth0 port 13782',
      '10:11:12.000100 IP 10.1.0.7.1022 > 10.1.0.9.13782: S 2819812345:2819812345(0) win 5840 <mss 1460,sackOK,timestamp 1 0,nop,wscale 2>',
      '10:11:12.000300 IP 10.1.0.9.13782 > 10.1.0.7.1022: R 0:0(0) ack 2819812346 win 0',
    ];
    expect(value(old, 'capture.outcome')).toBe('refused_at_once');
    const v6 = [
      '$ tcpdump -nn ip6 and port 2049',
      '10:11:12.000100 IP6 2001:db8::7.40100 > 2001:db8::5.2049: Flags [S], seq 1, win 64800, length 0',
      '10:11:13.001100 IP6 2001:db8::7.40100 > 2001:db8::5.2049: Flags [S], seq 1, win 64800, length 0',
      '10:11:15.003100 IP6 2001:db8::7.40100 > 2001:db8::5.2049: Flags [S], seq 1, win 64800, length 0',
    ];
    const o6 = read(v6);
    expect(o6['capture.outcome'].value).toBe('times_out');
    expect(o6['capture.syn_sent_seconds'].value).toBeCloseTo(3, 0);
    const delta = [
      '$ tcpdump -nn -ttt port 1556',
      '00:00:00.000000 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '00:00:03.000000 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '00:00:06.000000 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const od = read(delta);
    expect(od['capture.syn_sent_seconds'].value).toBeCloseTo(9, 0);
    expect(od['capture.syn_retry_backoff'].value).toBe('doubling');
    const epoch = [
      '$ tcpdump -nn -tt port 1556',
      '1764036601.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '1764036611.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '1764036621.000100 IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
    ];
    const oe = read(epoch);
    expect(oe['capture.syn_sent_seconds'].value).toBeCloseTo(20, 0);
    expect(oe['capture.syn_retry_backoff'].value).toBe('constant');
  });

  it('a SYN-ACK that never reaches the client (the client keeps sending its SYN)', () => {
    const lines = [
      '[root@client01 ~]# tcpdump -nn -i any port 1556',
      '02:10:01.000300 eth0  In  IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:01.000400 eth0  Out IP 10.1.0.9.1556 > 10.1.0.7.52110: Flags [S.], seq 9, ack 2, win 65160, length 0',
      '02:10:02.001500 eth0  In  IP 10.1.0.7.52110 > 10.1.0.9.1556: Flags [S], seq 1, win 64240, length 0',
      '02:10:02.001600 eth0  Out IP 10.1.0.9.1556 > 10.1.0.7.52110: Flags [S.], seq 9, ack 2, win 65160, length 0',
    ];
    const o = read(lines);
    expect(o['capture.port.1556'].value).toBe('answer_lost');
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_reaches_destination'].value).toBe(true);
  });

  it('takes packets shown by cat, and knows nothing from other commands\' output', () => {
    const lines = [
      '$ cat /tmp/capture.txt',
      '02:10:01.100200 IP 10.1.0.7.41022 > 10.1.0.9.1556: Flags [S], seq 3558120371, win 29200, length 0',
      '02:10:01.100611 IP 10.1.0.9.1556 > 10.1.0.7.41022: Flags [R.], seq 0, ack 3558120372, win 0, length 0',
      '$ netstat -an | grep 1556',
      'tcp        0      1 10.1.0.7:41022          10.1.0.9:1556           SYN_SENT',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('refused_at_once');
    expect(o['capture.connections'].value).toBe(1);
  });
});

describe('capture reader: snoop and tshark', () => {
  it('snoop with its default delta times, retransmitted SYNs', () => {
    const lines = [
      'root@media02:~# snoop -r host 10.1.0.9 and port 1556',
      'Using device net0 (promiscuous mode)',
      '  1   0.00000 10.1.0.7 -> 10.1.0.9     TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240 Options=<mss 1460,sackOK,tstamp 912 0,nop,wscale 7>',
      '  2   3.37501 10.1.0.7 -> 10.1.0.9     TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240 Options=<mss 1460,sackOK,tstamp 1250 0,nop,wscale 7>',
      '  3   6.75002 10.1.0.7 -> 10.1.0.9     TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240 Options=<mss 1460,sackOK,tstamp 1925 0,nop,wscale 7>',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_sent_seconds'].value).toBeCloseTo(10.1, 1);
  });

  it('snoop pasted without its command: times of unknown kind give no durations', () => {
    const lines = [
      '  1   0.00000 10.1.0.7 -> 10.1.0.9     TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240',
      '  2   3.37501 10.1.0.7 -> 10.1.0.9     TCP D=1556 S=41022 Syn Seq=3558120371 Len=0 Win=64240',
    ];
    const o = read(lines);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_sent_seconds']).toBeUndefined();
  });

  it('tshark with retransmission notes and a reset', () => {
    const lines = [
      '$ tshark -i eth0 -f "port 2049 or port 111"',
      "Capturing on 'eth0'",
      '    1 0.000000000     10.1.0.7 → 10.2.0.5     TCP 74 40100 → 111 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128',
      '    2 0.000300000     10.2.0.5 → 10.1.0.7     TCP 74 111 → 40100 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460',
      '    3 0.000350000     10.1.0.7 → 10.2.0.5     TCP 66 40100 → 111 [ACK] Seq=1 Ack=1 Win=64256 Len=0',
      '    4 0.100000000     10.1.0.7 → 10.2.0.5     TCP 74 40102 → 2049 [SYN] Seq=0 Win=64240 Len=0 MSS=1460',
      '    5 1.101000000     10.1.0.7 → 10.2.0.5     TCP 74 [TCP Retransmission] [TCP Port numbers reused] 40102 → 2049 [SYN] Seq=0 Win=64240 Len=0 MSS=1460',
      '    6 3.105000000     10.1.0.7 → 10.2.0.5     TCP 74 [TCP Retransmission] 40102 → 2049 [SYN] Seq=0 Win=64240 Len=0 MSS=1460',
    ];
    const o = read(lines);
    expect(o['capture.port.111'].value).toBe('connected');
    expect(o['capture.port.2049'].value).toBe('unanswered');
    expect(o['capture.blocked_port'].value).toBe('nfs_2049');
    expect(o['capture.syn_sent_seconds'].value).toBeCloseTo(3, 0);
  });
});

describe('capture reader: Wireshark exports', () => {
  it('plain-text export (columns without arrows between the addresses)', () => {
    const o = read([
      'No.     Time           Source                Destination           Protocol Length Info',
      '      1 0.000000       10.1.0.7              10.1.0.9              TCP      74     41022 → 1556 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM=1 TSval=1 TSecr=0 WS=128',
      '',
      'No.     Time           Source                Destination           Protocol Length Info',
      '      2 0.000455       10.1.0.9              10.1.0.7              TCP      60     1556 → 41022 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0',
    ]);
    expect(o['capture.outcome'].value).toBe('refused_at_once');
  });

  it('CSV export, columns found by the header', () => {
    const o = read([
      '"No.","Time","Source","Destination","Protocol","Length","Info"',
      '"1","2026-03-02 01:00:04.118305","10.20.1.16","10.20.4.44","TCP","74","41790 → 13782 [SYN] Seq=0 Win=29200 Len=0 MSS=1460"',
      '"2","2026-03-02 01:00:05.119410","10.20.1.16","10.20.4.44","TCP","74","[TCP Retransmission] 41790 → 13782 [SYN] Seq=0 Win=29200 Len=0 MSS=1460"',
      '"3","2026-03-02 01:00:07.123398","10.20.1.16","10.20.4.44","TCP","74","[TCP Retransmission] 41790 → 13782 [SYN] Seq=0 Win=29200 Len=0 MSS=1460"',
    ]);
    expect(o['capture.outcome'].value).toBe('times_out');
    expect(o['capture.syn_sent_seconds'].value).toBeCloseTo(3, 0);
  });
});

describe('capture reader: hostile input', () => {
  it('a huge line of packet-like tokens is read in linear time and gives nothing', () => {
    const big = `02:10:01.000100 IP ${'10.1.0.7.52110 > '.repeat(1200)}10.1.0.9.1556: Flags [S]`;
    const o = read([big, big.replace(/ > /g, ' >> '), `${' > ('.repeat(4000)}`, `\t${'('.repeat(16000)}`]);
    expect(o['capture.outcome']).toBeUndefined();
    expect(o['capture.connections']).toBeUndefined();
  });

  it('lines of other tools are not packets', () => {
    const o = read([
      '$ ss -tan state syn-sent',
      'Recv-Q Send-Q Local Address:Port Peer Address:Port',
      '0      1      10.1.0.7:52110    10.1.0.9:1556',
      'PING dd02 (10.2.0.5) 56(84) bytes of data.',
      'traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets',
      ' 1  10.1.0.1 > 10.1.0.7: 0.412 ms',
    ]);
    expect(Object.keys(o)).toEqual([]);
  });
});

describe('capture-both-ends combiner', () => {
  const ends = (file: string, text: string[]) => {
    const o = readTextWith(captureParser, text.join('\n')).observations.find((x) => x.key === 'capture.ends');
    return { key: 'capture.ends', value: 1, file, data: o?.data };
  };
  const media = ends('media.txt', [
    '[root@nbmed01 ~]# tcpdump -nn -i ens192 port 1556',
    '02:55:00.114015 IP 10.20.1.15.48810 > 10.20.4.39.1556: Flags [S], seq 1, win 29200, length 0',
    '02:55:01.115200 IP 10.20.1.15.48810 > 10.20.4.39.1556: Flags [S], seq 1, win 29200, length 0',
  ]);
  const run = (...files: ReturnType<typeof ends>[]) => captureBothEnds.combine(combineInput(files), () => {});

  it('SYNs seen arriving on the destination (names from tcpdump without -n)', () => {
    const dest = ends('client.txt', [
      '[root@appcl09 ~]# tcpdump -i eth0 port 1556',
      '02:55:00.114315 IP nbmed01.corp.example.48810 > appcl09.corp.example.veritas_pbx: Flags [S], seq 1, win 29200, length 0',
      '[root@appcl09 ~]# hostname -I',
      '10.20.4.39 192.168.122.1',
    ]);
    expect(run(media, dest).map((o) => [o.key, o.value])).toEqual([['capture.syn_at_destination', true]]);
  });

  it('a destination capture whose filter misses the port says nothing', () => {
    const dest = ends('client.txt', ['[root@appcl09 ~]# hostname -I', '10.20.4.39', '[root@appcl09 ~]# tcpdump -nn -i eth0 port 22', '0 packets captured']);
    expect(run(media, dest)).toEqual([]);
  });

  it('a capture on another host is not the destination', () => {
    const other = ends('other.txt', ['[root@appcl10 ~]# hostname -I', '10.20.4.40', '[root@appcl10 ~]# tcpdump -nn -i eth0 port 1556', '0 packets captured']);
    expect(run(media, other)).toEqual([]);
  });
});
