import { describe, expect, it } from 'vitest';
import { iperfParser } from '../../../src/evidence/parsers/iperf.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const withheld = (text: string) => readTextWith(iperfParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

describe('iperf reader', () => {
  it('iperf 2 with several window sizes gaining little (seed 003): the granted window counts', () => {
    const t = [
      '[root@triumph ~]# iperf -c suzuki -m -w 16K',
      '------------------------------------------------------------',
      'Client connecting to suzuki, TCP port 5001',
      'TCP window size: 32.0 KByte (WARNING: requested 16.0 KByte)',
      '[  3]  0.0-10.3 sec   432 KBytes   343 Kbits/sec',
      '[root@triumph ~]# iperf -c suzuki -m -w 128K',
      'Client connecting to suzuki, TCP port 5001',
      'TCP window size:  256 KByte (WARNING: requested  128 KByte)',
      '[  3]  0.0-10.4 sec   448 KBytes   352 Kbits/sec',
    ];
    const o = runParser(iperfParser, t.join('\n'));
    expect(o['iperf.window_gain_pct'].value).toBeLessThan(20);
    expect(o['iperf.upload_mbps'].value).toBeCloseTo(0.352, 3);
    expect(withheld(t.join('\n'))).toMatch(/granted as 32 KB/);
  });

  it('iperf3: default window vs -w 4M in the same direction rises markedly', () => {
    const t = [
      '$ iperf3 -c dd01',
      'Connecting to host dd01, port 5201',
      '[  5]   0.00-10.00  sec  15.0 MBytes  12.6 Mbits/sec    0             sender',
      '[  5]   0.00-10.04  sec  14.9 MBytes  12.4 Mbits/sec                  receiver',
      '$ iperf3 -c dd01 -w 4M',
      'Connecting to host dd01, port 5201',
      '[  5]   0.00-10.00  sec   210 MBytes   176 Mbits/sec    0             sender',
      '[  5]   0.00-10.04  sec   209 MBytes   175 Mbits/sec                  receiver',
    ];
    const o = runParser(iperfParser, t.join('\n'));
    expect(o['iperf.window_gain_pct'].value).toBeGreaterThan(50);
    expect(o['iperf.throughput_mbps'].value).toBe(175);
  });

  it('iperf3: default vs a small -w is not ordered (autotuning may beat 256K), so no window effect', () => {
    const t = ['$ iperf3 -c dd01', '[  5]   0.00-10.04  sec  14.9 MBytes  12.4 Mbits/sec                  receiver', '$ iperf3 -c dd01 -w 256K', '[  5]   0.00-10.04  sec  29.9 MBytes  24.9 Mbits/sec                  receiver'].join('\n');
    expect(runParser(iperfParser, t)['iperf.window_gain_pct']).toBeUndefined();
    expect(withheld(t)).toMatch(/larger window than the default/);
  });

  it('a reverse run faster than the forward one is a direction difference, never a window effect', () => {
    const t = ['$ iperf3 -c dd01', '[  5]   0.00-10.04  sec  12.4 MBytes  10.4 Mbits/sec                  receiver', '$ iperf3 -c dd01 -R', 'Reverse mode, remote host dd01 is sending', '[  5]   0.00-10.00  sec  59.8 MBytes  50.1 Mbits/sec                  receiver'].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.window_gain_pct']).toBeUndefined();
    expect(o['iperf.direction_ratio'].value).toBeCloseTo(4.82, 1);
    expect(withheld(t)).toMatch(/reverse run is not a window test/);
  });

  it('-P 4 with [SUM] counts the sum and compares it with a single stream', () => {
    const t = [
      '$ iperf -c media01',
      '[  3]  0.0-10.0 sec  24.0 MBytes  20.1 Mbits/sec',
      '$ iperf -c media01 -P 4',
      '[  4]  0.0-10.0 sec  24.1 MBytes  20.2 Mbits/sec',
      '[  3]  0.0-10.0 sec  24.0 MBytes  20.1 Mbits/sec',
      '[  6]  0.0-10.0 sec  24.2 MBytes  20.3 Mbits/sec',
      '[  5]  0.0-10.0 sec  24.0 MBytes  20.1 Mbits/sec',
      '[SUM]  0.0-10.0 sec  96.3 MBytes  80.7 Mbits/sec',
    ].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.upload_mbps'].value).toBeCloseTo(80.7, 1);
    expect(o['iperf.window_gain_pct'].value).toBeGreaterThan(200);
  });

  it('iperf 2 -r on the client: the connection back from the server is the download', () => {
    const t = [
      '[root@client01 ~]# iperf -c media01 -r',
      '------------------------------------------------------------',
      'Server listening on TCP port 5001',
      'TCP window size: 85.3 KByte (default)',
      '------------------------------------------------------------',
      'Client connecting to media01, TCP port 5001',
      'TCP window size: 85.0 KByte (default)',
      '[  5] local 10.1.1.5 port 45120 connected with 10.2.2.9 port 5001',
      '[ ID] Interval       Transfer     Bandwidth',
      '[  5]  0.0-10.0 sec  11.9 MBytes  9.98 Mbits/sec',
      '[  4] local 10.1.1.5 port 5001 connected with 10.2.2.9 port 52311',
      '[  4]  0.0-10.1 sec  60.2 MBytes  50.0 Mbits/sec',
    ].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.upload_mbps'].value).toBeCloseTo(9.98, 2);
    expect(o['iperf.download_mbps'].value).toBe(50);
    expect(o['iperf.direction_ratio'].value).toBeGreaterThan(2);
    expect(o['iperf.window_gain_pct']).toBeUndefined();
  });

  it('server side (seed 000): a rate, but no window comparison', () => {
    const t = 'Server listening on TCP port 5001\nTCP window size:  256 KByte (default)\n[  4] local 10.2.2.9 port 5001 connected with 10.1.1.5 port 14376\n[ ID] Interval       Transfer     Bandwidth\n[  4]  0.0-10.0 sec   574 MBytes   480 Mbits/sec\n[  5] local 10.2.2.9 port 5001 connected with 10.1.1.5 port 14380\n[  5]  0.0-10.0 sec   575 MBytes   482 Mbits/sec';
    const o = runParser(iperfParser, t);
    expect(o['iperf.upload_mbps'].value).toBe(482);
    expect(o['iperf.window_gain_pct']).toBeUndefined();
  });

  it('the server report of a client run and the client run together do not make a direction pair', () => {
    const t = ['$ iperf3 -c dd01', '[  5]   0.00-10.04  sec  12.4 MBytes  10.4 Mbits/sec                  receiver', '$ iperf3 -s', 'Server listening on 5201', 'Accepted connection from 10.0.0.4, port 50430', '[ ID] Interval           Transfer     Bitrate', '[  5]   0.00-10.04  sec  12.4 MBytes  10.3 Mbits/sec                  receiver'].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.download_mbps']).toBeUndefined();
    expect(o['iperf.direction_ratio']).toBeUndefined();
  });

  it('iperf3 --bidir: TX-C is the upload, RX-C the download, compared only with each other', () => {
    const t = [
      '$ iperf3 -c sawfly --bidir',
      'Connecting to host sawfly, port 5201',
      '[ ID][Role] Interval           Transfer     Bitrate         Retr',
      '[  5][TX-C]   0.00-10.00  sec  9.62 MBytes  8.07 Mbits/sec    0             sender',
      '[  5][TX-C]   0.00-10.00  sec  9.50 MBytes  7.97 Mbits/sec                  receiver',
      '[  7][RX-C]   0.00-10.00  sec   112 MBytes  94.0 Mbits/sec    2             sender',
      '[  7][RX-C]   0.00-10.00  sec   111 MBytes  93.1 Mbits/sec                  receiver',
    ].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.upload_mbps'].value).toBeCloseTo(7.97, 2);
    expect(o['iperf.download_mbps'].value).toBeCloseTo(93.1, 1);
    expect(o['iperf.direction_ratio'].value).toBeGreaterThan(10);
  });

  it('a stall: intervals at 0 bits/sec after data flowed, and the stalled run is left out of comparisons', () => {
    const t = [
      '$ iperf3 -c dd02 -w 4M',
      '[  5]   0.00-1.00   sec  11.2 MBytes  94.4 Mbits/sec    0   1.21 MBytes',
      '[  5]   1.00-2.00   sec  0.00 Bytes  0.00 bits/sec    4   1.39 KBytes',
      '[  5]   2.00-3.00   sec  0.00 Bytes  0.00 bits/sec    2   1.39 KBytes',
      '- - - - - - - - - - - - - - - - - - - - - - - - -',
      '[  5]   0.00-3.00   sec  11.2 MBytes  31.3 Mbits/sec                  receiver',
      '$ iperf3 -c dd02',
      '[  5]   0.00-10.00  sec  12.0 MBytes  10.0 Mbits/sec                  receiver',
    ].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.stalled'].value).toBe(true);
    expect(o['iperf.stalled'].line).toBe(3);
    expect(o['iperf.window_gain_pct']).toBeUndefined();
    expect(withheld(t)).toMatch(/stalled/);
  });

  it('iperf3 -J: end.sum_received is the rate', () => {
    const t = ['$ iperf3 -c dd01 -J -R', '{', '\t"start":\t{', '\t\t"connecting_to":\t{ "host": "dd01", "port": 5201 },', '\t\t"test_start":\t{ "protocol": "TCP", "num_streams": 1, "reverse": 1 }', '\t},', '\t"intervals":\t[{ "sum": { "bits_per_second": 4.1e7 } }],', '\t"end":\t{ "sum_sent": { "bits_per_second": 4.2e7 }, "sum_received": { "bits_per_second": 4.0e7 } }', '}'].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.download_mbps'].value).toBe(40);
    expect(o['iperf.upload_mbps']).toBeUndefined();
  });

  it('a JSON document cut short is not read, and says so', () => {
    const t = ['$ iperf3 -c dd01 -J', '{', '\t"start":\t{'].join('\n');
    expect(runParser(iperfParser, t)['iperf.throughput_mbps']).toBeUndefined();
    expect(withheld(t)).toMatch(/closing brace/);
  });

  it('a run cut before its summary gives no rate (iperf 2 with -i)', () => {
    const t = ['$ iperf -c media01 -i 1', '[  3]  0.0- 1.0 sec  11.2 MBytes  94.4 Mbits/sec', '[  3]  1.0- 2.0 sec  11.1 MBytes  93.3 Mbits/sec'].join('\n');
    expect(runParser(iperfParser, t)['iperf.throughput_mbps']).toBeUndefined();
    expect(withheld(t)).toMatch(/cut before its summary/);
  });

  it('UDP runs are not TCP window tests', () => {
    const t = ['$ iperf -c media01 -u -b 100M', 'Client connecting to media01, UDP port 5001', '[  3]  0.0-10.0 sec   119 MBytes   100 Mbits/sec', '$ iperf -c media01 -u -b 10M -w 4M', '[  3]  0.0-10.0 sec  11.9 MBytes  10.0 Mbits/sec'].join('\n');
    const o = runParser(iperfParser, t);
    expect(o['iperf.throughput_mbps']).toBeUndefined();
    expect(withheld(t)).toMatch(/UDP/);
  });

  it('Windows iperf 2 build, CRLF, rates in KBytes/sec (-f K)', () => {
    const t = ['C:\\tools>iperf.exe -c 10.2.2.9 -f K', 'Client connecting to 10.2.2.9, TCP port 5001', 'TCP window size: 64.0 KByte (default)', '[156] local 10.1.1.7 port 50123 connected with 10.2.2.9 port 5001', '[156]  0.0-10.0 sec  48000 KBytes  4800 KBytes/sec'].join('\r\n');
    expect(runParser(iperfParser, t)['iperf.upload_mbps'].value).toBeCloseTo(39.3, 1);
  });

  it('iperf 2 connection refused', () => {
    expect(runParser(iperfParser, '$ iperf -c media01\nconnect failed: Connection refused')['iperf.error'].value).toBe('connection_refused');
  });

  it('other bracketed lines are not iperf results', () => {
    const t = '[  123.456] eth0: link up\n[ 5] local cache hit ratio 93%\n[INFO] 0.0-10.0 sec copy done';
    expect(runParser(iperfParser, t)).toEqual({});
  });

  it('reads a 16 K hostile line in linear time', () => {
    const hostile = `[  3]  ${'0.0-'.repeat(4000)} sec`;
    const hostile2 = `Client connecting to ${'a,'.repeat(8000)}`;
    const o = runParser(iperfParser, `${hostile}\n${hostile2}\n[ ${' '.repeat(16000)}`);
    expect(o['iperf.throughput_mbps']).toBeUndefined();
  });
});
