import { describe, expect, it } from 'vitest';
import { transferRateParser, type Transfer } from '../../../src/evidence/parsers/transfer-rate.js';
import { runParser } from '../helpers.js';

const runs = (text: string) => (runParser(transferRateParser, text)['transfer.runs']?.data ?? []) as Transfer[];

describe('transfer-rate reader', () => {
  it('scp upload: the 100% line, 1024-based units, direction and peer from the command line', () => {
    const [r] = runs('[root@suzuki ~]# scp /srv/big.iso root@triumph:/tmp/\nbig.iso                          57%  590MB  38.4KB/s 3:12:01 ETA\nbig.iso                         100% 1024MB  38.2KB/s   7:37:29');
    expect(r).toMatchObject({ tool: 'scp', dir: 'out', peer: 'triumph', localHost: 'suzuki' });
    expect(r.mbps).toBeCloseTo((38.2 * 1024 * 8) / 1e6, 4);
  });

  it('scp download: the remote side is the source', () => {
    expect(runs('$ scp media01:/var/tmp/big.iso .\nbig.iso 100% 2048MB  11.2MB/s   03:02')[0]).toMatchObject({ dir: 'in', peer: 'media01' });
  });

  it('a Windows path with a drive letter is not a remote host', () => {
    expect(runs('C:\\>pscp C:\\data\\big.iso admin@media01:/tmp/\nbig.iso | 1048576 kB | 38.2 kB/s | ETA: 00:00:00 | 100%')[0]).toMatchObject({ tool: 'pscp', dir: 'out', peer: 'media01' });
  });

  it('rsync summary with a decimal comma locale and -h suffixes', () => {
    const o = runParser(transferRateParser, '$ rsync -avh big.iso media01:/tmp/\nsent 1,07G bytes  received 35 bytes  39,16K bytes/sec\ntotal size is 1,07G  speedup is 1,00');
    expect(o['transfer.rate_mbps'].value).toBeCloseTo((39.16 * 1000 * 8) / 1e6, 3);
  });

  it('rsync --progress lines are replaced by the summary of the same run', () => {
    const r = runs('$ rsync --progress big.iso media01:/tmp/\n  1,073,741,824 100%   38.21kB/s    7:37:21 (xfr#1, to-chk=0/1)\nsent 1,073,872,966 bytes  received 35 bytes  39,155.74 bytes/sec');
    expect(r).toHaveLength(1);
    expect(r[0].text).toMatch(/^sent/);
  });

  it('ftp clients: netkit, inetutils, tnftp (h:mm:ss) and lftp, rate from bytes and seconds', () => {
    expect(runs('226 Transfer complete.\n104857600 bytes sent in 2684.35 secs (39.06 kB/s)')[0]).toMatchObject({ dir: 'out' });
    expect(runs('104857600 bytes received in 2684.35 seconds (38.15 Kbytes/s)')[0].mbps).toBeCloseTo(0.3125, 3);
    expect(runs('104857600 bytes received in 0:44:44 (38.15 KiB/s)')[0].mbps).toBeCloseTo(0.3125, 3);
    expect(runs('104857600 bytes transferred in 2684 seconds (38.2 KiB/s)')[0].dir).toBeUndefined();
  });

  it('robocopy: the Bytes/sec line in English, German and French', () => {
    expect(runs('C:\\>robocopy D:\\data \\\\media01\\share big.iso\n   Speed :               40000 Bytes/sec.\n   Speed :               2.288 MegaBytes/min.')[0]).toMatchObject({ tool: 'robocopy', dir: 'out', peer: 'media01' });
    expect(runs('Geschwindigkeit:             40000 Bytes/Sek.')).toHaveLength(1);
    expect(runs('   Vitesse :               40000 Octets/s.')).toHaveLength(1);
  });

  it('an ftp session: "ftp> put" gives the direction, "Connected to" the peer', () => {
    expect(runs('$ ftp triumph\nConnected to triumph.example.com.\nftp> put big.iso\n226 Transfer complete.\n104857600 bytes sent in 2684.35 secs (39.06 kB/s)')[0]).toMatchObject({ dir: 'out', peer: 'triumph' });
  });

  it('a progress line below 100 % and a tiny copy are not rates', () => {
    expect(runs('big.iso   57%  590MB  38.4KB/s 3:12:01 ETA\nsmall.txt 100%  12KB  12.0KB/s 00:00')).toEqual([]);
  });

  it('prose with bytes is not a copy', () => {
    expect(runs('The sent 10 bytes received 20 bytes figure is bytes/sec-ish\nSpeed: fast')).toEqual([]);
  });

  it('reads 16 K hostile lines in linear time', () => {
    expect(runs([`${'1 '.repeat(8000)}100%`, `sent ${'9'.repeat(16000)} bytes`, `Speed : ${'1'.repeat(16000)}`].join('\n'))).toEqual([]);
  });
});
