import { describe, it, expect } from 'vitest';
import { iperfParser } from '../../../src/evidence/parsers/iperf.js';
import { runParser } from '../helpers.js';

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
