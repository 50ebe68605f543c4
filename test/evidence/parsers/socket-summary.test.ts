import { describe, expect, it } from 'vitest';
import { socketSummaryParser } from '../../../src/evidence/parsers/socket-summary.js';
import { tcpMemory } from '../../../src/evidence/combiners/tcp-memory.js';
import { combineInput } from '../../../src/evidence/combiners/index.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { countView, segmentsOf, splitSequence } from '../../../src/evidence/parsers/socket-summary/views.js';
import { classifyLine, type CommandLine } from '../../../src/evidence/transcript.js';
import { runParser } from '../helpers.js';

const read = (text: string) => readTextWith(socketSummaryParser, text);
const obs = (text: string) => runParser(socketSummaryParser, text);
const value = (text: string, key: string) => obs(text)[key]?.value;
const notes = (text: string) => read(text).withheld.map((w) => `${w.about}: ${w.why}`);
const cmdOf = (line: string): CommandLine => {
  const c = classifyLine(line);
  if (c.kind !== 'command') throw new Error(`not a command: ${line}`);
  return c.cmd;
};

describe('ss -s', () => {
  const busy = ['$ ss -s', 'Total: 6012 (kernel 6100)', 'TCP:   5678 (estab 120, closed 5400, orphaned 0, synrecv 0, timewait 5398/0), ports 0', '', 'Transport Total     IP        IPv6', '*\t  6100      -         -', 'RAW\t  0         0         0', 'UDP\t  12        9         3', 'TCP\t  278       250       28', 'INET\t  290       259       31', 'FRAG\t  0         0         0'].join('\n');

  it('takes the TIME_WAIT share as timewait / TCP total, and says the total counts closed sockets', () => {
    const o = obs(busy);
    expect(o['socket_summary.time_wait_pct'].value).toBe(95.1);
    expect(o['socket_summary.time_wait_pct'].text).toMatch(/counts closed sockets/);
    expect(o['socket_summary.tcp_total'].value).toBe(5678);
    expect(o['socket_summary.count.TIME_WAIT'].value).toBe(5398);
  });

  it('never reads the Transport table as sockets or counts', () => {
    const o = obs(busy);
    expect(Object.keys(o).filter((k) => k.startsWith('socket_summary.shown.'))).toEqual([]);
    expect(o['socket_summary.tcp_total'].value).not.toBe(278);
  });

  it('reads the newer form (no synrecv, no ports) of a quiet host', () => {
    const quiet = ['Total: 212', 'TCP:   38 (estab 21, closed 6, orphaned 0, timewait 5)', '', 'Transport Total     IP        IPv6', 'RAW\t  1         0         1', 'UDP\t  9         6         3', 'TCP\t  32        24        8'].join('\n');
    expect(value(quiet, 'socket_summary.time_wait_pct')).toBe(13.2);
    expect(value(quiet, 'socket_summary.count.ESTABLISHED')).toBe(21);
  });

  it('gives no share of a handful of sockets, and says so', () => {
    const tiny = 'TCP:   6 (estab 2, closed 3, orphaned 0, timewait 3)';
    expect(value(tiny, 'socket_summary.time_wait_pct')).toBeUndefined();
    expect(notes(tiny).join()).toMatch(/too few/);
  });

  it('reports the worst of several snapshots', () => {
    const two = ['=== 01:00 ===', 'TCP:   400 (estab 300, closed 100, orphaned 0, timewait 90)', '=== 02:10 ===', 'TCP:   4000 (estab 400, closed 3600, orphaned 2, timewait 3500)'].join('\n');
    expect(value(two, 'socket_summary.time_wait_pct')).toBe(87.5);
  });
});

describe('/proc/net/sockstat and tcp_mem', () => {
  const sockstat = (mem: number) => ['# cat /proc/net/sockstat', 'sockets: used 8120', `TCP: inuse 410 orphan 2 tw 180 alloc 450 mem ${mem}`, 'UDP: inuse 9 mem 4', 'UDPLITE: inuse 0', 'RAW: inuse 0', 'FRAG: inuse 0 memory 0'].join('\n');
  const tcpMem = ['# cat /proc/sys/net/ipv4/tcp_mem', '188121\t250831\t376242'].join('\n');

  it('memory pressure only at or over the pressure threshold', () => {
    expect(value(`${sockstat(260000)}\n${tcpMem}`, 'socket_summary.tcp_mem_state')).toBe('pressure');
    expect(value(`${sockstat(400000)}\n${tcpMem}`, 'socket_summary.tcp_mem_state')).toBe('over_high');
    expect(value(`${sockstat(200000)}\n${tcpMem}`, 'socket_summary.tcp_mem_state')).toBe('low_to_pressure');
    expect(value(`${sockstat(812)}\n${tcpMem}`, 'socket_summary.tcp_mem_state')).toBe('below_low');
  });

  it('reads tcp_mem from sysctl too, before or after sockstat', () => {
    expect(value(`net.ipv4.tcp_mem = 188121\t250831\t376242\n${sockstat(300000)}`, 'socket_summary.tcp_mem_state')).toBe('pressure');
  });

  it('takes the TIME_WAIT share as tw / (alloc + tw)', () => {
    const o = obs(sockstat(812));
    expect(o['socket_summary.time_wait_pct'].value).toBe(28.6);
    expect(o['socket_summary.tcp_total'].value).toBe(630);
  });

  it('without tcp_mem: the pages for the combiner, no state, and why', () => {
    const r = read(sockstat(260000));
    expect(r.observations.find((o) => o.key === 'socket_summary.tcp_mem_pages')?.value).toBe(260000);
    expect(r.observations.find((o) => o.key === 'socket_summary.tcp_mem_state')).toBeUndefined();
    expect(r.withheld.map((w) => w.why).join()).toMatch(/no tcp_mem thresholds/);
  });

  it('three numbers not after a tcp_mem command are not thresholds', () => {
    expect(value(`${sockstat(260000)}\n$ cat /proc/sys/net/ipv4/tcp_rmem\n4096\t87380\t6291456`, 'socket_summary.tcp_mem_state')).toBeUndefined();
  });

  it('sockstat6 has no tw or alloc and is left alone', () => {
    expect(obs('TCP6: inuse 3\nUDP6: inuse 2')).toEqual({});
  });

  it('does not compare sockstat and tcp_mem of different hosts', () => {
    const text = ['[root@media01 ~]# cat /proc/net/sockstat', 'TCP: inuse 410 orphan 2 tw 180 alloc 450 mem 260000', '[root@media02 ~]# cat /proc/sys/net/ipv4/tcp_mem', '188121 250831 376242'].join('\n');
    expect(value(text, 'socket_summary.tcp_mem_state')).toBeUndefined();
    expect(notes(text).join()).toMatch(/media01.*media02/);
  });
});

describe('tcp-memory combiner', () => {
  const limits = { key: 'socket_summary.tcp_mem_limits', value: 250831, data: { low: 188121, pressure: 250831, high: 376242 }, file: 'tcp_mem.txt', line: 1 };
  it('joins sockstat and tcp_mem from different files', () => {
    const got = tcpMemory.combine(combineInput([{ key: 'socket_summary.tcp_mem_pages', value: 300000, file: 'sockstat.txt', line: 3 }, limits]), () => {});
    expect(got).toMatchObject([{ key: 'socket_summary.tcp_mem_state', value: 'pressure', file: 'sockstat.txt' }]);
  });
  it('leaves a file holding both to the reader, and different hosts apart', () => {
    expect(tcpMemory.combine(combineInput([{ key: 'socket_summary.tcp_mem_pages', value: 300000, file: 'tcp_mem.txt' }, limits]), () => {})).toEqual([]);
    const why: string[] = [];
    const got = tcpMemory.combine(combineInput([{ key: 'socket_summary.tcp_mem_pages', value: 300000, file: 'a.txt', host: 'media01' }, { ...limits, host: 'media02' }]), (_a, w) => void why.push(w));
    expect(got).toEqual([]);
    expect(why.join()).toMatch(/different hosts/);
  });
});

describe('sar -n SOCK and -n TCP', () => {
  const night = [
    '[root@media01 ~]# sar -n SOCK -f /var/log/sa/sa24',
    'Linux 3.10.0-1160.el7.x86_64 (media01) \t11/24/2026 \t_x86_64_\t(16 CPU)',
    '',
    '12:00:01 AM    totsck    tcpsck    udpsck    rawsck   ip-frag    tcp-tw',
    '12:10:01 AM       612        45        12         0         0       120',
    '12:20:01 AM       640        52        12         0         0       180',
    '12:30:01 AM       702        61        12         0         0       950',
    '12:40:01 AM       820        88        12         0         0      2410',
    '12:50:01 AM       905        97        12         0         0      3980',
    '01:00:01 AM       930       101        12         0         0      5120',
    '01:10:01 AM       941       104        12         0         0      6050',
    '01:20:01 AM       950       110        12         0         0      6890',
    'Average:          813        82        12         0         0      3213',
  ].join('\n');

  it('TIME_WAIT rising across the night is a trend, with its peak', () => {
    const o = obs(night);
    expect(o['socket_summary.tw_trend'].value).toBe('rising');
    expect(o['socket_summary.tw_peak'].value).toBe(6890);
    expect(o['socket_summary.tw_growth'].value).toBeGreaterThan(5000);
    expect(o['socket_summary.time_wait_pct'].text).toMatch(/tcp-tw \/ \(tcpsck \+ tcp-tw\)/);
  });

  it('the Average line is no sample', () => {
    const o = obs(night.replace('01:20:01 AM       950       110        12         0         0      6890', ''));
    expect(o['socket_summary.tw_peak'].value).toBe(6050);
  });

  it('a steady night in a 24-hour locale, across midnight', () => {
    const steady = ['23:40:01     totsck    tcpsck    udpsck    rawsck   ip-frag    tcp-tw', '23:50:01       512        60        10         0         0        40', '00:00:01       515        62        10         0         0        44', '00:10:01       514        61        10         0         0        38', '00:20:01       516        63        10         0         0        41', 'Durchschn.:    514        61        10         0         0        40'].join('\n');
    const o = obs(steady);
    expect(o['socket_summary.tw_trend'].value).toBe('steady');
    expect(o['socket_summary.tw_trend'].text).toMatch(/0\.5 h/);
  });

  it('fewer than four samples: no trend, and why', () => {
    const short = night.split('\n').slice(0, 7).join('\n');
    expect(value(short, 'socket_summary.tw_trend')).toBeUndefined();
    expect(notes(short).join()).toMatch(/four or more/);
  });

  it('sar -n TCP gives the peak of active opens; ETCP rows are not socket counts', () => {
    const text = [
      '02:00:01 AM  active/s passive/s    iseg/s    oseg/s',
      '02:10:01 AM     12.40      3.10   5210.22   6120.10',
      '02:20:01 AM    148.75      2.90   4810.52   5920.45',
      '',
      '02:00:01 AM  atmptf/s  estres/s retrans/s isegerr/s   orsts/s',
      '02:10:01 AM      0.40      0.10      2.20      0.00      0.30',
    ].join('\n');
    const o = obs(text);
    expect(o['socket_summary.active_opens_peak'].value).toBe(148.75);
    expect(o['socket_summary.tw_peak']).toBeUndefined();
  });
});

describe('counted listings', () => {
  it('ss state close-wait | wc -l counts the header line; -H and tail -n +2 do not', () => {
    expect(value('# ss -tan state close-wait | wc -l\n613', 'socket_summary.count.CLOSE_WAIT')).toBe(612);
    expect(value('# ss -tanH state close-wait | wc -l\n613', 'socket_summary.count.CLOSE_WAIT')).toBe(613);
    expect(value('# ss -tan state close-wait | tail -n +2 | wc -l\n613', 'socket_summary.count.CLOSE_WAIT')).toBe(613);
  });

  it('grep -c, grep | wc -l, find /c and PowerShell counts of one state are host-wide counts', () => {
    expect(value('$ netstat -an | grep -c TIME_WAIT\n2890', 'socket_summary.count.TIME_WAIT')).toBe(2890);
    expect(value('$ netstat -ant | grep CLOSE_WAIT | wc -l\n640', 'socket_summary.count.CLOSE_WAIT')).toBe(640);
    expect(value('C:\\>netstat -ano | find /c "CLOSE_WAIT"\r\n233\r\n', 'socket_summary.count.CLOSE_WAIT')).toBe(233);
    expect(value('PS C:\\> (Get-NetTCPConnection -State TimeWait).Count\n4102', 'socket_summary.count.TIME_WAIT')).toBe(4102);
    expect(value('PS C:\\> Get-NetTCPConnection -State TimeWait | Measure-Object\n\nCount    : 3310\nAverage  :\nSum      :\nMaximum  :\nMinimum  :\nProperty :\n', 'socket_summary.count.TIME_WAIT')).toBe(3310);
  });

  it('German Windows: findstr of the localised state name', () => {
    expect(value('C:\\>netstat -an | find /c "WARTEND"\n1210', 'socket_summary.count.TIME_WAIT')).toBe(1210);
  });

  it('a share needs a TCP total beside the count: ss -tan | wc -l less its header', () => {
    const text = ['# ss -tan state time-wait | wc -l', '3121', '# ss -tan | wc -l', '4001'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(78);
    const ps = ['PS C:\\> (Get-NetTCPConnection -State TimeWait).Count', '3000', 'PS C:\\> (Get-NetTCPConnection).Count', '4000'].join('\n');
    expect(value(ps, 'socket_summary.time_wait_pct')).toBe(75);
  });

  it('a sequence on one line prints one count per command, in order', () => {
    const text = ['$ ss -tan state time-wait | wc -l; ss -tan | wc -l', '2001', '3001'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(66.7);
    const win = ['C:\\>netstat -an | find /c "TIME_WAIT" & netstat -an | find /c "TCP"', '1500', '2000'].join('\n');
    expect(value(win, 'socket_summary.time_wait_pct')).toBe(75);
  });

  it('netstat -an | wc -l also counts udp and unix sockets: no share, and why', () => {
    const text = ['$ netstat -an | grep -c TIME_WAIT', '2890', '$ netstat -an | wc -l', '3400'].join('\n');
    expect(value(text, 'socket_summary.count.TIME_WAIT')).toBe(2890);
    expect(value(text, 'socket_summary.time_wait_pct')).toBeUndefined();
    expect(notes(text).join()).toMatch(/other protocols/);
  });

  it('a count of a listing filtered by port or cut by head is a count of what was shown', () => {
    const port = '$ netstat -an | grep 1556 | grep -c TIME_WAIT\n812';
    expect(value(port, 'socket_summary.count.TIME_WAIT')).toBeUndefined();
    expect(value(port, 'socket_summary.shown.TIME_WAIT')).toBe(812);
    expect(notes(port).join()).toMatch(/filtered by grep 1556/);
    const cut = '$ netstat -an | grep TIME_WAIT | head -500 | wc -l\n500';
    expect(value(cut, 'socket_summary.count.TIME_WAIT')).toBeUndefined();
    expect(notes(cut).join()).toMatch(/cut by head -500/);
  });

  it('lsof lists a socket once per process: no count of sockets', () => {
    const text = '# lsof -i -n | grep -c CLOSE_WAIT\n900';
    expect(value(text, 'socket_summary.count.CLOSE_WAIT')).toBeUndefined();
    expect(notes(text).join()).toMatch(/lsof/);
  });

  it('a number after no counted command is ignored', () => {
    expect(obs('$ cat /proc/sys/net/ipv4/tcp_max_tw_buckets\n262144\n3120\n')).toEqual({});
    expect(obs('3120\n')).toEqual({});
    expect(obs('$ netstat -ant | grep TIME_WAIT\ntcp 0 0 10.0.0.1:1556 10.0.0.2:40000 TIME_WAIT\n1\n')).toEqual({});
  });

  it('a value printed by an earlier command of the sequence is not the count', () => {
    const text = '$ cat /proc/sys/net/ipv4/tcp_fin_timeout; netstat -an | grep -c CLOSE_WAIT\n60\n245';
    expect(value(text, 'socket_summary.count.CLOSE_WAIT')).toBe(245);
  });

  it('a grep -c of a log is no socket count, and no note', () => {
    const text = "[root@master01 ~]# grep -c 'Failed to create VNET socket pair' /usr/openv/logs/nbpxyhelper/*.log\n0";
    expect(obs(text)).toEqual({});
    expect(notes(text)).toEqual([]);
  });

  it('a loop prints its counts once per turn; each count is paired with the total of its own turn', () => {
    const text = ['[root@media01 ~]# while true; do date; ss -tan state time-wait | wc -l; ss -tan | wc -l; sleep 30; done', 'Tue Nov 24 02:10:01 CET 2026', '1201', '2001', 'Tue Nov 24 02:10:31 CET 2026', '3001', '4001', '^C'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(75);
    expect(value(text, 'socket_summary.count.TIME_WAIT')).toBe(3000);
    expect(notes(text).join()).not.toMatch(/do not fit/);
  });

  it('command lines are context: their numbers are never counts', () => {
    const text = '$ netstat -an | grep -c TIME_WAIT # was 3000 yesterday\n12';
    expect(value(text, 'socket_summary.count.TIME_WAIT')).toBe(12);
  });
});

describe('grouped listings', () => {
  it('states per uniq -c: header words are no state; a TCP-only listing gives the share', () => {
    const text = ["$ netstat -ant | awk '{print $6}' | sort | uniq -c | sort -rn", '   3120 TIME_WAIT', '    245 ESTABLISHED', '     12 LISTEN', '      3 CLOSE_WAIT', '      1 Foreign', '      1 established)'].join('\n');
    const o = obs(text);
    expect(o['socket_summary.time_wait_pct'].value).toBe(92.3);
    expect(o['socket_summary.tcp_total'].value).toBe(3380);
    expect(o['socket_summary.count.CLOSE_WAIT'].value).toBe(3);
  });

  it("awk's own counts per state, printed value first ({++S[$NF]} END …)", () => {
    const text = ["$ netstat -n | awk '/^tcp/ {++S[$NF]} END {for(a in S) print a, S[a]}'", 'TIME_WAIT 3120', 'CLOSE_WAIT 2', 'FIN_WAIT2 8', 'ESTABLISHED 245'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(92.4);
    expect(value(text, 'socket_summary.count.CLOSE_WAIT')).toBe(2);
  });

  it('an awk /^tcp/ filter keeps TCP rows only: a share from netstat -an', () => {
    const text = ["$ netstat -an | awk '/^tcp/ {print $6}' | sort | uniq -c", '   3120 TIME_WAIT', '    245 ESTABLISHED'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(92.7);
  });

  it('ss -tan | awk $1: ss spellings and the State header', () => {
    const text = ["$ ss -tan | awk '{print $1}' | sort | uniq -c", '     52 ESTAB', '      9 LISTEN', '      1 State', '    288 TIME-WAIT'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(82.5);
  });

  it('netstat -an mixes protocols: counts of TCP-only states, no share', () => {
    const text = ["$ netstat -an | awk '{print $6}' | sort | uniq -c", '   3120 TIME_WAIT', '    245 ESTABLISHED', '     40 CONNECTED', '     12 LISTEN'].join('\n');
    expect(value(text, 'socket_summary.count.TIME_WAIT')).toBe(3120);
    expect(value(text, 'socket_summary.time_wait_pct')).toBeUndefined();
    expect(notes(text).join()).toMatch(/udp and unix/);
  });

  it('Group-Object State, with its Group column cut by the console width', () => {
    const text = [
      'PS C:\\> Get-NetTCPConnection | Group-Object -Property State',
      '',
      'Count Name                      Group',
      '----- ----                      -----',
      '  312 Established               {MSFT_NetTCPConnection (InstanceID = "10.20.1.15++1556++10.20.3.41++5...",...}',
      ' 2890 TimeWait                  {MSFT_NetTCPConnection (InstanceID = "10.20.1.15++49810++10.20.3.41+...",...}',
      '   45 Listen                    {MSFT_NetTCPConnection (InstanceID = "0.0.0.0++135++0.0.0.0++0++..."), ...}',
      '   12 Bound                     {MSFT_NetTCPConnection (InstanceID = "0.0.0.0++50312++0.0.0.0++0++..."), ...}',
      '',
      '',
    ].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(88.7);
  });

  it('Group-Object State | Select Count,Name', () => {
    const text = ['PS C:\\> Get-NetTCPConnection | Group-Object State | Select Count,Name', '', 'Count Name', '----- ----', '   60 Established', '    5 CloseWait', '    3 TimeWait', '   20 Listen', ''].join('\n');
    expect(value(text, 'socket_summary.count.CLOSE_WAIT')).toBe(5);
    expect(value(text, 'socket_summary.time_wait_pct')).toBe(3.4);
  });

  it('counts per state of a filtered listing are counts of what was shown', () => {
    const text = ["$ netstat -ant | grep 1556 | awk '{print $6}' | sort | uniq -c", '   812 TIME_WAIT', '    40 ESTABLISHED'].join('\n');
    expect(value(text, 'socket_summary.time_wait_pct')).toBeUndefined();
    expect(value(text, 'socket_summary.shown.TIME_WAIT')).toBe(812);
  });
});

describe('connections per remote address', () => {
  it('one source holding nearly all of many SYN_RECV sockets is a flood', () => {
    const text = ["$ netstat -ant | grep SYN_RECV | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -rn", '    948 203.0.113.77', '      4 10.20.3.41', '      2 10.20.3.42'].join('\n');
    expect(value(text, 'socket_summary.flood_from_one_source')).toBe(true);
    expect(value(text, 'socket_summary.top_source_share')).toBe(99.4);
  });

  it('a healthy master: counts per address of every state conclude no flood', () => {
    const text = ["$ netstat -ant | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -rn", '     96 10.20.3.41', '     88 10.20.3.42', '     80 10.20.3.43', '     31 0.0.0.0', '      1 Foreign', '      1 and'].join('\n');
    const o = obs(text);
    expect(o['socket_summary.flood_from_one_source']).toBeUndefined();
    expect(o['socket_summary.top_source_sockets'].value).toBe(96);
    expect(notes(text).join()).toMatch(/only from SYN_RECV or TIME_WAIT/);
  });

  it('a spread of TIME_WAIT sockets is no flood; a few hundred from one is no conclusion', () => {
    const spread = ['PS C:\\> Get-NetTCPConnection -State TimeWait | Group-Object RemoteAddress', '', 'Count Name                      Group', '----- ----                      -----', '   60 10.20.3.41                {…}', '   55 10.20.3.42                {…}', '   50 10.20.3.43                {…}', ''].join('\n');
    expect(value(spread, 'socket_summary.flood_from_one_source')).toBe(false);
    const some = ["$ ss -tan state time-wait | awk '{print $4}' | cut -d: -f1 | sort | uniq -c", '    400 10.20.3.41', '     20 10.20.3.42'].join('\n');
    expect(value(some, 'socket_summary.flood_from_one_source')).toBeUndefined();
  });

  it('groups cut by head show the top address but no total', () => {
    const text = ["$ netstat -ant | grep SYN_RECV | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -rn | head -3", '    948 203.0.113.77', '      4 10.20.3.41'].join('\n');
    expect(value(text, 'socket_summary.flood_from_one_source')).toBeUndefined();
    expect(notes(text).join()).toMatch(/cut by head -3/);
  });
});

describe('CLOSE_WAIT sockets per process', () => {
  it('Linux netstat -p column: one process holding them', () => {
    const text = ["# netstat -antp | grep CLOSE_WAIT | awk '{print $7}' | sort | uniq -c", '    388 10544/bpbrm', '      6 2210/sshd'].join('\n');
    expect(value(text, 'socket_summary.close_wait_one_process')).toBe(true);
    expect(value(text, 'socket_summary.count.CLOSE_WAIT')).toBe(394);
  });

  it('bare program names of the netstat -p column, and the ss Process header, are read as such', () => {
    const names = ["# netstat -antp | grep CLOSE_WAIT | awk '{print $7}' | cut -d/ -f2 | sort | uniq -c", '    512 bpbrm', '      3 sshd'].join('\n');
    expect(value(names, 'socket_summary.close_wait_one_process')).toBe(true);
    const ss = ["# ss -tanp state close-wait | awk '{print $NF}' | sort | uniq -c", '      1 Process', '     12 users:(("bpbrm",pid=10544,fd=12))', '      9 users:(("bpbrm",pid=10544,fd=13))'].join('\n');
    expect(value(ss, 'socket_summary.count.CLOSE_WAIT')).toBe(21);
    // names of something else (the awk column is not the process one) are no processes
    const other = ["# netstat -antp | grep CLOSE_WAIT | awk '{print $4}' | sort | uniq -c", '    512 bpbrm'].join('\n');
    expect(value(other, 'socket_summary.close_wait_one_process')).toBeUndefined();
  });

  it('ss -p users:((…)) values, spread over processes', () => {
    const text = ["# ss -tanp state close-wait | awk '{print $NF}' | sort | uniq -c", '     20 users:(("bpbrm",pid=10544,fd=12))', '     18 users:(("bptm",pid=10610,fd=9))', '     15 users:(("nbjm",pid=3120,fd=40))'].join('\n');
    expect(value(text, 'socket_summary.close_wait_one_process')).toBe(false);
  });

  it('sockets without a process (not run as root) leave it open', () => {
    const text = ["$ netstat -antp | grep CLOSE_WAIT | awk '{print $7}' | sort | uniq -c", '    300 -', '     20 10544/bpbrm'].join('\n');
    expect(value(text, 'socket_summary.close_wait_one_process')).toBeUndefined();
    expect(notes(text).join()).toMatch(/no process/);
  });
});

describe('CLOSE_WAIT connections over time', () => {
  const compare = (first: string, second: string, rows: string[], flags = '-IncludeEqual') =>
    [
      'PS C:\\> Get-Date',
      '',
      first,
      '',
      'PS C:\\> $cw1 = Get-NetTCPConnection -State CloseWait',
      'PS C:\\> Get-Date',
      '',
      second,
      '',
      'PS C:\\> $cw2 = Get-NetTCPConnection -State CloseWait',
      `PS C:\\> Compare-Object $cw1 $cw2 -Property LocalAddress,LocalPort,RemoteAddress,RemotePort ${flags}`,
      '',
      'LocalAddress LocalPort RemoteAddress RemotePort SideIndicator',
      '------------ --------- ------------- ---------- -------------',
      ...rows,
      '',
    ].join('\n');
  const same = (n: number) => Array.from({ length: n }, (_, i) => `10.20.1.15        1556 10.20.3.41         ${51000 + i} ==`);
  const gone = (n: number) => Array.from({ length: n }, (_, i) => `10.20.1.15        1556 10.20.3.42         ${52000 + i} <=`);

  it('the same tuples still there a minute later persist', () => {
    const o = obs(compare('Tuesday, November 24, 2026 2:10:01 AM', 'Tuesday, November 24, 2026 2:11:05 AM', [...same(6), ...gone(1)]));
    expect(o['socket_summary.close_wait_persist'].value).toBe(true);
    expect(o['socket_summary.close_wait_gap_s'].value).toBe(64);
    expect(o['socket_summary.count.CLOSE_WAIT'].value).toBe(7);
  });

  it('nearly all gone is transient; captures 10 s apart with most still there say nothing', () => {
    expect(value(compare('Tuesday, November 24, 2026 2:10:01 AM', 'Tuesday, November 24, 2026 2:11:05 AM', [...same(1), ...gone(30)]), 'socket_summary.close_wait_persist')).toBe(false);
    const close = compare('Tuesday, November 24, 2026 2:10:01 AM', 'Tuesday, November 24, 2026 2:10:11 AM', same(30));
    expect(value(close, 'socket_summary.close_wait_persist')).toBeUndefined();
    expect(notes(close).join()).toMatch(/too close/);
  });

  it('without stamps or sleeps between the captures, no verdict', () => {
    const text = ['PS C:\\> $cw1 = Get-NetTCPConnection -State CloseWait', 'PS C:\\> $cw2 = Get-NetTCPConnection -State CloseWait', 'PS C:\\> Compare-Object $cw1 $cw2 -IncludeEqual', '', 'InputObject                                         SideIndicator', '-----------                                         -------------', ...Array.from({ length: 30 }, () => 'MSFT_NetTCPConnection (InstanceID = "10.20.1.15...) =='), ''].join('\n');
    expect(value(text, 'socket_summary.close_wait_persist')).toBeUndefined();
    expect(notes(text).join()).toMatch(/how far apart/);
  });

  it('without -IncludeEqual only differences show', () => {
    const text = compare('Tuesday, November 24, 2026 2:10:01 AM', 'Tuesday, November 24, 2026 2:11:05 AM', gone(3), '');
    expect(value(text, 'socket_summary.close_wait_persist')).toBeUndefined();
    expect(notes(text).join()).toMatch(/IncludeEqual/);
  });

  it('comm -12 of two ss captures a sleep apart, with their sizes from wc -l', () => {
    const text = ["[root@media01 ~]# ss -tanH state close-wait | awk '{print $3,$4}' | sort > /tmp/cw1; sleep 60; ss -tanH state close-wait | awk '{print $3,$4}' | sort > /tmp/cw2; wc -l /tmp/cw1 /tmp/cw2; comm -12 /tmp/cw1 /tmp/cw2 | wc -l", '  412 /tmp/cw1', '  430 /tmp/cw2', '  842 total', '398'].join('\n');
    const o = obs(text);
    expect(o['socket_summary.close_wait_persist'].value).toBe(true);
    expect(o['socket_summary.close_wait_gap_s'].text).toMatch(/at least 60 s/);
    expect(o['socket_summary.count.CLOSE_WAIT'].value).toBe(430);
  });

  it('comm -12 output lines, captures stamped by date, the shared ss header left out', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `0      0      10.20.1.15:1556      10.20.3.41:${51000 + i}`);
    const text = ['$ date', 'Tue Nov 24 02:10:01 CET 2026', '$ ss -tan state close-wait | sort > cw1', '$ date', 'Tue Nov 24 02:11:31 CET 2026', '$ ss -tan state close-wait | sort > cw2', '$ comm -12 cw1 cw2', 'Recv-Q Send-Q Local Address:Port Peer Address:Port', ...rows].join('\n');
    const o = obs(text);
    expect(o['socket_summary.close_wait_persist'].value).toBe(true);
    expect(o['socket_summary.close_wait_still_there'].value).toBe(25);
    expect(o['socket_summary.close_wait_gap_s'].value).toBe(90);
  });

  it('comm -12 of files captured elsewhere: times unknown', () => {
    const text = ['$ comm -12 cw_0210.txt cw_0211.txt | wc -l', '380'].join('\n');
    expect(value(text, 'socket_summary.close_wait_persist')).toBeUndefined();
    expect(notes(text).join()).toMatch(/not taken in this paste/);
  });
});

describe('command reading', () => {
  it('splits sequences outside quotes, leaving redirections and the call operator alone', () => {
    expect(splitSequence('a; b && c || d & e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(splitSequence("awk '{a=1; print a}' x 2>&1; y")).toEqual(["awk '{a=1; print a}' x 2>&1", 'y']);
    expect(splitSequence("& 'C:\\x.exe' -n")).toEqual(["& 'C:\\x.exe' -n"]);
  });

  it('a count of groups is no count of sockets', () => {
    expect(segmentsOf(cmdOf("$ netstat -ant | awk '{print $5}' | sort | uniq -c | wc -l"))[0].output).toBe('other');
  });

  it('knows the header lines a count includes', () => {
    expect(countView(cmdOf('$ netstat -ant | wc -l'))).toMatchObject({ kind: 'total', scope: 'tcp', headers: 2 });
    expect(countView(cmdOf('$ ss -tan | wc -l'))).toMatchObject({ kind: 'total', scope: 'tcp', headers: 1 });
    expect(countView(cmdOf('$ ss -4tanH | wc -l'))).toMatchObject({ kind: 'total', scope: 'tcp4', headers: 0 });
    expect(countView(cmdOf('$ ss -an | wc -l'))).toMatchObject({ kind: 'total', scope: 'mixed' });
    expect(countView(cmdOf('$ netstat -an | grep -c tcp'))).toMatchObject({ kind: 'total', scope: 'tcp', headers: 0 });
  });
});

describe('hostile input', () => {
  it('reads long odd lines without trouble and concludes nothing from them', () => {
    const junk = [
      `TCP: ${'('.repeat(16_000)}`,
      `TCP:   12 (${'estab 1, '.repeat(2000)})`,
      `${'9 '.repeat(8000)}`,
      `12:00:01 AM ${'totsck '.repeat(3000)}`,
      `Count : ${'1'.repeat(16_000)}`,
      `---------- ${'x'.repeat(16_000)}: 1`,
      `$ ${'netstat -an | '.repeat(1000)}wc -l`,
      `${'1'.repeat(16_000)}`,
    ].join('\n');
    const r = read(junk);
    expect(r.observations.filter((o) => o.key.endsWith('time_wait_pct'))).toEqual([]);
  });
});
