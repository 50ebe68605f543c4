import { describe, expect, it } from 'vitest';
import { linkSpeedParser } from '../../../src/evidence/parsers/link-speed.js';
import { runParser } from '../helpers.js';

describe('link-speed reader', () => {
  it('ethtool: the fastest link that is up; "Unknown!" is a link that is down', () => {
    const t = ['# ethtool eth0', 'Settings for eth0:', '\tSpeed: 1000Mb/s', '\tLink detected: yes', '# ethtool eth1', 'Settings for eth1:', '\tSpeed: Unknown!', '\tLink detected: no'].join('\n');
    expect(runParser(linkSpeedParser, t)['link.speed_mbps'].value).toBe(1000);
  });
  it('ethtool piped through grep still names its command', () => {
    expect(runParser(linkSpeedParser, '$ ethtool ens192 | grep Speed\n\tSpeed: 10000Mb/s')['link.speed_mbps'].value).toBe(10000);
  });
  it('a "Speed:" line outside ethtool is not a link speed', () => {
    expect(runParser(linkSpeedParser, 'Speed: 100Mb/s\nSpeed : 40000 Bytes/sec.')).toEqual({});
  });
  it('Get-NetAdapter: disconnected adapters do not count', () => {
    const t = ['PS C:\\> Get-NetAdapter', 'Name  InterfaceDescription  ifIndex Status       MacAddress         LinkSpeed', 'Eth0  Intel(R) I350        4 Disconnected 00-1B-21-00-00-01  10 Gbps', 'Eth1  Intel(R) I350        5 Up           00-1B-21-00-00-02  1 Gbps'].join('\n');
    expect(runParser(linkSpeedParser, t)['link.speed_mbps'].value).toBe(1000);
  });
  it('reads a 16 K hostile line in linear time', () => {
    expect(runParser(linkSpeedParser, `$ ethtool eth0\nSpeed: ${'9 '.repeat(8000)}Mb/s`)['link.speed_mbps']).toBeUndefined();
  });
});
