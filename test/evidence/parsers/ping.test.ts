import { describe, it, expect } from 'vitest';
import { pingParser } from '../../../src/evidence/parsers/ping.js';
import { runParser } from '../helpers.js';

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
