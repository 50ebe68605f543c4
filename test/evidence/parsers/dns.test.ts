import { describe, it, expect } from 'vitest';
import { dnsParser } from '../../../src/evidence/parsers/dns.js';
import { runParser } from '../helpers.js';

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
