import { describe, expect, it } from 'vitest';
import { dnsParser } from '../../../src/evidence/parsers/dns.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const withheld = (text: string) => readTextWith(dnsParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

describe('dns reader', () => {
  it('dig query time of a forward lookup: slow, but no reverse failure', () => {
    const o = runParser(dnsParser, '; <<>> DiG 9.16.1-Ubuntu <<>> client01.example.com\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 3\n;; Query time: 5012 msec\n;; SERVER: 10.0.0.53#53(10.0.0.53)');
    expect(o['dns.lookup_ms'].value).toBe(5012);
    expect(o['dns.reverse_fails']).toBeUndefined();
    expect(o['dns.forward_fails']).toBeUndefined();
  });

  it('a forward NXDOMAIN is not a reverse failure', () => {
    const o = runParser(dnsParser, '$ dig client99.example.com\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 9\n;; Query time: 3 msec');
    expect(o['dns.forward_fails'].value).toBe(true);
    expect(o['dns.reverse_fails']).toBeUndefined();
  });

  it('dig output pasted without its command: the DiG header says it was -x', () => {
    const o = runParser(dnsParser, '; <<>> DiG 9.18.24 <<>> -x 10.0.1.9\n;; global options: +cmd\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 40151\n;; Query time: 4012 msec');
    expect(o['dns.reverse_fails'].value).toBe(true);
    expect(o['dns.lookup_ms'].value).toBe(4012);
  });

  it('nslookup timing out, with time(1): the time real is the wait', () => {
    const o = runParser(dnsParser, '$ time nslookup 10.0.0.9\n;; connection timed out; no servers could be reached\n\nreal\t0m10.021s\nuser\t0m0.004s\nsys\t0m0.000s');
    expect(o['dns.timed_out'].value).toBe(true);
    expect(o['dns.lookup_ms'].value).toBe(10021);
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('a Linux timeout without time(1): timed out, but no seconds invented', () => {
    const t = '$ host 10.0.1.9\n;; connection timed out; no servers could be reached';
    const o = runParser(dnsParser, t);
    expect(o['dns.timed_out'].value).toBe(true);
    expect(o['dns.lookup_ms']).toBeUndefined();
    expect(withheld(t)).toMatch(/does not say how long/);
  });

  it('Windows nslookup: timeouts before the Server: line are its own server lookup, not the peer', () => {
    const t = ['C:\\> nslookup client01', 'DNS request timed out.', '    timeout was 2 seconds.', 'Server:  UnKnown', 'Address:  10.0.0.53', '', 'Name:    client01.example.com', 'Address:  10.0.1.9'].join('\r\n');
    const o = runParser(dnsParser, t);
    expect(o['dns.lookup_ms']).toBeUndefined();
    expect(o['dns.timed_out'].value).toBe(false);
    expect(withheld(t)).toMatch(/its own DNS server/);
  });

  it('Windows nslookup of an address: Non-existent domain is a reverse failure', () => {
    const o = runParser(dnsParser, 'C:\\>nslookup 10.0.1.9\r\nServer:  dc01.example.com\r\nAddress:  10.0.0.53\r\n\r\n*** dc01.example.com can\'t find 10.0.1.9: Non-existent domain');
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('French Windows nslookup: localised header and timeout line', () => {
    const t = ['C:\\Users\\admin>nslookup 10.0.1.9', 'Serveur :   dc01.exemple.fr', 'Address:  10.0.0.53', '', 'Délai de la demande DNS dépassé.', "    le délai d'attente était de 2 secondes.", 'Délai de la demande DNS dépassé.', "    le délai d'attente était de 2 secondes.", '*** Le délai de la demande à dc01.exemple.fr a expiré'].join('\r\n');
    const o = runParser(dnsParser, t);
    expect(o['dns.lookup_ms'].value).toBe(4000);
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('German Windows nslookup: "nicht gefunden: Non-existent domain"', () => {
    const o = runParser(dnsParser, 'C:\\>nslookup 10.0.1.9\r\nServer:  dc01.beispiel.de\r\nAddress:  10.0.0.53\r\n\r\n*** 10.0.1.9 wurde von dc01.beispiel.de nicht gefunden: Non-existent domain');
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('Linux nslookup: reverse answer, then a forward NXDOMAIN', () => {
    const o = runParser(dnsParser, '$ nslookup 10.0.1.9\nServer:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n9.1.0.10.in-addr.arpa\tname = client01.example.com.\n\n$ nslookup nosuch.example.com\nServer:\t\t10.0.0.53\nAddress:\t10.0.0.53#53\n\n** server can\'t find nosuch.example.com: NXDOMAIN');
    expect(o['dns.reverse_fails'].value).toBe(false);
    expect(o['dns.forward_fails'].value).toBe(true);
  });

  it('host: "not found: 3(NXDOMAIN)" on an in-addr.arpa name', () => {
    const o = runParser(dnsParser, 'Host 9.1.0.10.in-addr.arpa. not found: 3(NXDOMAIN)');
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('getent hosts: an answer, then an address with no output before the next command', () => {
    const o = runParser(dnsParser, '# getent hosts client01\n10.0.1.9        client01.example.com client01\n# getent hosts 10.0.1.9\n# date\nTue Nov 24 02:10:01 UTC 2026');
    expect(o['dns.reverse_fails'].value).toBe(true);
    expect(o['dns.forward_fails']).toBeUndefined();
  });

  it('getent at the very end of a paste with nothing after it: maybe cut, so no conclusion', () => {
    const t = '# getent hosts 10.0.1.9';
    expect(runParser(dnsParser, t)['dns.reverse_fails']).toBeUndefined();
    expect(withheld(t)).toMatch(/paste may end/);
  });

  it('a filtered getent with no output proves nothing', () => {
    const t = '$ getent hosts 10.0.1.9 | grep client01\n$ date';
    expect(runParser(dnsParser, t)['dns.reverse_fails']).toBeUndefined();
    expect(withheld(t)).toMatch(/filtered/);
  });

  it('two timed getents on one line: each time figure goes to its own lookup', () => {
    const t = ['$ time getent hosts client01; time getent hosts 10.0.1.9', '10.0.1.9        client01', '', 'real\t0m0.004s', 'user\t0m0.001s', 'sys\t0m0.001s', '', 'real\t0m5.006s', 'user\t0m0.001s', 'sys\t0m0.002s'].join('\n');
    const o = runParser(dnsParser, t);
    expect(o['dns.lookup_ms'].value).toBe(5006);
    expect(o['dns.reverse_fails'].value).toBe(true);
    expect(o['dns.forward_fails']).toBeUndefined();
  });

  it('a time figure of another command later in the paste is not a lookup time', () => {
    const t = ['$ dig -x 10.0.1.9 +short', 'client01.example.com.', '$ time ./bptestbpcd -host client01', '1 1 1', '10.0.1.9:1556 -> 10.0.1.5:40112', 'real\t0m25.112s', 'user\t0m0.020s', 'sys\t0m0.010s'].join('\n');
    const o = runParser(dnsParser, t);
    expect(o['dns.lookup_ms']).toBeUndefined();
    expect(o['dns.reverse_fails'].value).toBe(false);
    expect(withheld(t)).toMatch(/belongs to bptestbpcd/);
  });

  it('PowerShell Resolve-DnsName: "DNS name does not exist", and Measure-Command seconds', () => {
    const t = [
      'PS C:\\> Measure-Command { Resolve-DnsName 10.0.1.9 }',
      '',
      'Days              : 0',
      'Seconds           : 4',
      'TotalSeconds      : 4,5123',
      'TotalMilliseconds : 4512,3',
      'PS C:\\> Resolve-DnsName 10.0.1.9',
      'Resolve-DnsName : 9.1.0.10.in-addr.arpa : DNS name does not exist',
      'At line:1 char:1',
      '    + FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName',
    ].join('\r\n');
    const o = runParser(dnsParser, t);
    expect(o['dns.lookup_ms'].value).toBe(4512);
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('localised Resolve-DnsName: the error id decides, whatever the language', () => {
    const o = runParser(dnsParser, 'PS C:\\> Resolve-DnsName 10.0.1.9\nResolve-DnsName : 9.1.0.10.in-addr.arpa : Nom DNS inexistant\n    + FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName');
    expect(o['dns.reverse_fails'].value).toBe(true);
  });

  it('zsh and GNU time formats', () => {
    expect(runParser(dnsParser, '% time getent hosts client01\n10.0.1.9 client01\ngetent hosts client01  0.00s user 0.00s system 0% cpu 3.004 total')['dns.lookup_ms'].value).toBe(3004);
    expect(runParser(dnsParser, '$ /usr/bin/time host 10.0.1.9\n9.1.0.10.in-addr.arpa domain name pointer client01.\n0.00user 0.00system 0:02.51elapsed 0%CPU (0avgtext+0avgdata 5120maxresident)k')['dns.lookup_ms'].value).toBe(2510);
  });

  it('a fast figure needs both ways measured: forward alone says nothing of the reverse lookup', () => {
    const fwd = '$ dig client01.example.com\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; Query time: 2 msec';
    expect(runParser(dnsParser, fwd)['dns.lookup_ms']).toBeUndefined();
    expect(withheld(fwd)).toMatch(/only forward/);
    const both = `${fwd}\n$ dig -x 10.0.1.9\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 2\n;; Query time: 3 msec`;
    expect(runParser(dnsParser, both)['dns.lookup_ms'].value).toBe(3);
  });

  it('a "real" line with no timed command in view is not taken', () => {
    const t = 'real\t0m9.000s\nuser\t0m0.001s';
    expect(runParser(dnsParser, t)['dns.lookup_ms']).toBeUndefined();
    expect(withheld(t)).toMatch(/no timed lookup/);
  });

  it('a command line that only names a lookup is not output', () => {
    expect(runParser(dnsParser, '$ grep -i "timed out" /var/log/messages\n$ dig -x 10.0.1.9 | grep status\n')).toEqual({});
  });

  it('reads 16 K hostile lines in linear time', () => {
    const o = runParser(dnsParser, [`*** ${'x '.repeat(8000)}`, `;; Query time: ${'9'.repeat(16000)}`, `Host ${'a'.repeat(16000)} not found: 3(`, `    ${'1 '.repeat(8000)}seconds`].join('\n'));
    expect(o['dns.reverse_fails']).toBeUndefined();
  });
});
