import { describe, it, expect } from 'vitest';
import { pingParser } from '../../../src/evidence/parsers/ping.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const read = (lines: string[]) => runParser(pingParser, lines.join('\n'));
const withheld = (lines: string[]) => readTextWith(pingParser, lines.join('\n')).withheld.map((w) => `${w.about}: ${w.why}`);

const linuxReplies = (host: string, addr: string, from: number, to: number, ms = 0.5, size = 64) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${size} bytes from ${host} (${addr}): icmp_seq=${from + i} ttl=61 time=${ms.toFixed(2)} ms`);

describe('ping reader: reachability through the job', () => {
  it('ping -D: replies stop after the job mark, the summary counts the rest as lost', () => {
    const o = read([
      '[root@avamar ~]# ping -D 10.2.2.9',
      'PING 10.2.2.9 (10.2.2.9) 56(84) bytes of data.',
      '[1624946770.101455] 64 bytes from 10.2.2.9: icmp_seq=1 ttl=52 time=4.21 ms',
      '[1624946771.103127] 64 bytes from 10.2.2.9: icmp_seq=2 ttl=52 time=4.05 ms',
      '[1624946772.104611] 64 bytes from 10.2.2.9: icmp_seq=3 ttl=52 time=4.32 ms',
      '# <-- replication job started here',
      '^C',
      '--- 10.2.2.9 ping statistics ---',
      '40 packets transmitted, 3 received, 92.5% packet loss, time 39512ms',
    ]);
    expect(o['ping.peer_reachability'].value).toBe('lost_during_job');
    expect(o['ping.peer_reachability'].host).toBe('avamar');
    expect(o['ping.loss_pct'].value).toBeCloseTo(92.5, 1);
  });

  it('a lossy ping without any mark says nothing about the job, and says why', () => {
    const lines = ['$ ping -c 10 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 4), ...linuxReplies('dd02', '10.2.0.5', 8, 10), '10 packets transmitted, 7 received, 30% packet loss, time 9012ms'];
    const o = read(lines);
    expect(o['ping.peer_reachability']).toBeUndefined();
    expect(o['ping.loss_pct'].value).toBe(30);
    expect(withheld(lines).join('\n')).toMatch(/no job mark or time splits the run/);
  });

  it('answers throughout: Windows pings before and during the backup', () => {
    const win = (ms: number) => Array.from({ length: 4 }, () => `Reply from 10.2.2.9: bytes=32 time=${ms}ms TTL=57`);
    const o = read(['# before the backup', 'C:\\>ping 10.2.2.9', 'Pinging 10.2.2.9 with 32 bytes of data:', ...win(2), '# backup running now', 'C:\\>ping 10.2.2.9', 'Pinging 10.2.2.9 with 32 bytes of data:', ...win(3), 'Ping statistics for 10.2.2.9:', '    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),']);
    expect(o['ping.peer_reachability'].value).toBe('ok_throughout');
  });

  it('never reachable: no answer even before the job', () => {
    const o = read(['# before the job', 'C:\\>ping -n 4 10.2.2.9', '', "Envoi d'une requête 'Ping'  10.2.2.9 avec 32 octets de données :", ...Array(4).fill("Délai d'attente de la demande dépassé."), '', 'Statistiques Ping pour 10.2.2.9:', '    Paquets : envoyés = 4, reçus = 0, perdus = 4 (perte 100%),', '# job started', 'C:\\>ping -n 4 10.2.2.9', "Envoi d'une requête 'Ping'  10.2.2.9 avec 32 octets de données :", ...Array(4).fill("Délai d'attente de la demande dépassé.")]);
    expect(o['ping.peer_reachability'].value).toBe('never_reachable');
  });

  it('lost during the job but never seen before it: withheld, not guessed', () => {
    const lines = ['# job started', '$ ping -c 5 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', '5 packets transmitted, 0 received, 100% packet loss, time 4089ms'];
    expect(read(lines)['ping.peer_reachability']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/never reachable" not told apart/);
  });

  it('icmp_seq × interval from a `date` line places the job start time (the mark comes after the paste)', () => {
    const o = read([
      '$ date',
      'Tue Jun 29 15:05:00 KST 2021',
      '$ ping -i 1 dd02',
      'PING dd02 (10.2.0.5) 56(84) bytes of data.',
      ...linuxReplies('dd02', '10.2.0.5', 1, 8),
      '60 packets transmitted, 8 received, 86.6667% packet loss, time 59100ms',
      '# the replication was started at 15:05:10',
    ]);
    expect(o['ping.peer_reachability'].value).toBe('lost_during_job');
  });

  it('-D epochs are UTC: a local job time is not compared with them, the mark position decides', () => {
    const lines = ['$ ping -D dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', '[1624946770.101455] 64 bytes from dd02 (10.2.0.5): icmp_seq=1 ttl=61 time=0.5 ms', '[1624946771.101455] 64 bytes from dd02 (10.2.0.5): icmp_seq=2 ttl=61 time=0.5 ms', '[1624946772.101455] 64 bytes from dd02 (10.2.0.5): icmp_seq=3 ttl=61 time=0.5 ms', '9 packets transmitted, 3 received, 66.6667% packet loss, time 8100ms', '# job started 15:06:10'];
    // all probes come before the mark, and no clock comparison: nothing during the job
    expect(read(lines)['ping.peer_reachability']).toBeUndefined();
  });

  it('a quiet (-q) run with partial loss has no order: no "lost during the job"', () => {
    const o = read(['$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3), '# job started', '$ ping -q -c 20 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', '20 packets transmitted, 12 received, 40% packet loss, time 19021ms']);
    expect(o['ping.peer_reachability']).toBeUndefined();
  });

  it('Windows counts "Destination host unreachable" as received: those are losses', () => {
    const o = read(['C:\\>ping dd01', 'Pinging dd01 [10.2.2.9] with 32 bytes of data:', ...Array(4).fill('Reply from 10.1.1.1: Destination host unreachable.'), 'Ping statistics for 10.2.2.9:', '    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),']);
    expect(o['ping.loss_pct'].value).toBe(100);
    expect(o['ping.small_ok'].value).toBe(false);
  });

  it('targets that disagree are not merged into one verdict', () => {
    const lines = ['# job started', '$ ping -c 4 gw', 'PING gw (10.1.1.1) 56(84) bytes of data.', ...linuxReplies('gw', '10.1.1.1', 1, 4), '$ ping -c 4 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 4, 40)];
    const o = read(lines);
    expect(o['ping.rtt_idle_ms']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/disagree/);
  });
});

describe("ping reader: don't-fragment probes and the path MTU", () => {
  it('a router answers "Frag needed and DF set (mtu = 1400)"', () => {
    const o = read(['$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3), '$ ping -M do -s 1472 -c 3 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', 'From 10.1.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)', 'ping: local error: message too long, mtu=1400', 'ping: local error: message too long, mtu=1400', '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2031ms']);
    expect(o['ping.large_df'].value).toBe('frag_needed_reply');
    expect(o['ping.path_mtu_bytes'].value).toBe(1400);
  });

  it('the error proves the probe set DF even when the command line was not pasted', () => {
    const o = read(['Pinging 10.2.2.9 with 1472 bytes of data:', 'Packet needs to be fragmented but DF set.', 'Packet needs to be fragmented but DF set.', '', 'Ping statistics for 10.2.2.9:', '    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),']);
    expect(o['ping.large_df'].value).toBe('frag_needed_reply');
  });

  it('a silent DF ping while no small ping passed: the host may be down, nothing concluded', () => {
    const lines = ['$ ping -M do -s 1472 -c 3 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', '3 packets transmitted, 0 received, 100% packet loss, time 2041ms'];
    expect(read(lines)['ping.large_df']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/host may be down/);
  });

  it('Windows -f -l 1472 answered: passes, and the path carries 1500 bytes', () => {
    const o = read(['C:\\>ping -f -l 1472 -n 2 10.2.2.9', 'Pinging 10.2.2.9 with 1472 bytes of data:', 'Reply from 10.2.2.9: bytes=1472 time=2ms TTL=57', 'Reply from 10.2.2.9: bytes=1472 time=2ms TTL=57']);
    expect(o['ping.large_df'].value).toBe('passes');
    expect(o['ping.path_mtu_bytes'].value).toBe(1500);
    // a full-size ping is not a "small" ping: no idle round trip from it
    expect(o['ping.rtt_idle_ms']).toBeUndefined();
  });

  it('two DF sizes on one command line, each header takes its own invocation', () => {
    const o = read(['$ ping -c 2 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 2), '$ ping -M do -s 1472 -c 2 dd02; ping -M do -s 1422 -c 2 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', '2 packets transmitted, 0 received, 100% packet loss, time 1010ms', 'PING dd02 (10.2.0.5) 1422(1450) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 2, 0.9, 1430), '2 packets transmitted, 2 received, 0% packet loss, time 1001ms']);
    expect(o['ping.large_df'].value).toBe('fails_silently');
    expect(o['ping.path_mtu_bytes'].value).toBe(1450);
  });

  it('-D sets DF on macOS/BSD but prints time stamps on Linux; -f is DF on Windows but flood on Linux', () => {
    const mac = read(['% ping -c 2 dd02', 'PING dd02 (10.2.0.5): 56 data bytes', '64 bytes from 10.2.0.5: icmp_seq=0 ttl=61 time=0.512 ms', '64 bytes from 10.2.0.5: icmp_seq=1 ttl=61 time=0.498 ms', '% ping -D -s 1472 -c 2 dd02', 'PING dd02 (10.2.0.5): 1472 data bytes', 'Request timeout for icmp_seq 0', 'Request timeout for icmp_seq 1', '--- dd02 ping statistics ---', '2 packets transmitted, 0 packets received, 100.0% packet loss']);
    expect(mac['ping.large_df'].value).toBe('fails_silently');
    const linuxD = read(['$ ping -c 2 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 2), '$ ping -D -s 1472 -c 2 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', '2 packets transmitted, 0 received, 100% packet loss, time 1010ms']);
    expect(linuxD['ping.large_df']).toBeUndefined();
    const linuxF = read(['$ ping -c 2 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 2), '# ping -f -s 1472 -c 200 dd02', 'PING dd02 (10.2.0.5) 1472(1500) bytes of data.', '200 packets transmitted, 0 received, 100% packet loss, time 2410ms']);
    expect(linuxF['ping.large_df']).toBeUndefined();
  });

  it('ping6 -M do -s 1452: IPv6 headers are 48 bytes', () => {
    const o = read(['$ ping6 -c 2 dd02', 'PING dd02(dd02 (fd00::5)) 56 data bytes', '64 bytes from dd02 (fd00::5): icmp_seq=1 ttl=61 time=0.61 ms', '64 bytes from dd02 (fd00::5): icmp_seq=2 ttl=61 time=0.58 ms', '$ ping6 -M do -s 1452 -c 2 dd02', 'PING dd02(dd02 (fd00::5)) 1452 data bytes', '64 bytes from dd02 (fd00::5): icmp_seq=1 ttl=61 time=0.9 ms']);
    expect(o['ping.large_df'].value).toBe('passes');
    expect(o['ping.path_mtu_bytes'].value).toBe(1500);
  });

  it('the bracket only bounds from below when nothing larger failed', () => {
    const lines = ['$ ping -M do -s 1372 -c 2 dd02', 'PING dd02 (10.2.0.5) 1372(1400) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 2, 0.9, 1380)];
    expect(read(lines)['ping.path_mtu_bytes']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/lower bound/);
  });
});

describe('ping reader: round trips idle and under load', () => {
  it('idle and loaded runs are never mixed; a small rise is "false"', () => {
    const o = read(['$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 40), 'rtt min/avg/max/mdev = 40.000/40.000/40.000/0.000 ms', '--- while iperf3 runs ---', '$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 41), 'rtt min/avg/max/mdev = 41.000/41.500/42.000/0.400 ms']);
    expect(o['ping.rtt_idle_ms'].value).toBe(40);
    expect(o['ping.rtt_loaded_ms'].value).toBe(41.5);
    expect(o['ping.latency_rises_under_load'].value).toBe(false);
    // an iperf mark is a load, not the job: reachability is not judged from it
    expect(o['ping.peer_reachability']).toBeUndefined();
  });

  it('a background iperf started before the ping loads it', () => {
    const o = read(['$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 20), '$ iperf3 -c dd02 -t 60 &', '$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 95)]);
    expect(o['ping.latency_rises_under_load'].value).toBe(true);
  });

  it('a moderate rise is withheld', () => {
    const lines = ['$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 20), '# during the backup', '$ ping -c 3 dd02', 'PING dd02 (10.2.0.5) 56(84) bytes of data.', ...linuxReplies('dd02', '10.2.0.5', 1, 3, 45)];
    expect(read(lines)['ping.latency_rises_under_load']).toBeUndefined();
    expect(withheld(lines).join('\n')).toMatch(/moderate rise/);
  });
});

describe('ping reader: formats', () => {
  it('busybox, Solaris -s and German Windows summaries', () => {
    const bb = read(['# ping -c 2 10.2.0.5', 'PING 10.2.0.5 (10.2.0.5): 56 data bytes', '64 bytes from 10.2.0.5: seq=0 ttl=61 time=0.512 ms', '--- 10.2.0.5 ping statistics ---', '2 packets transmitted, 1 packets received, 50% packet loss', 'round-trip min/avg/max = 0.512/0.512/0.512 ms']);
    expect(bb['ping.loss_pct'].value).toBe(50);
    expect(bb['ping.rtt_idle_ms'].value).toBe(0.512);
    const sol = read(['$ ping -s dd02', 'PING dd02: 56 data bytes', '64 bytes from dd02 (10.2.0.5): icmp_seq=0. time=0.403 ms', '64 bytes from dd02 (10.2.0.5): icmp_seq=1. time=0.411 ms', '----dd02 PING Statistics----', '2 packets transmitted, 2 packets received, 0% packet loss', 'round-trip (ms)  min/avg/max/stddev = 0.403/0.407/0.411/0.006']);
    expect(sol['ping.rtt_idle_ms'].value).toBe(0.407);
    const de = read(['C:\\>ping 10.2.2.9', 'Ping wird ausgeführt für 10.2.2.9 mit 32 Bytes Daten:', 'Antwort von 10.2.2.9: Bytes=32 Zeit=3ms TTL=57', 'Zeitüberschreitung der Anforderung.', 'Antwort von 10.2.2.9: Bytes=32 Zeit<1ms TTL=57', 'Antwort von 10.2.2.9: Bytes=32 Zeit=2ms TTL=57', '', 'Ping-Statistik für 10.2.2.9:', '    Pakete: Gesendet = 4, Empfangen = 3, Verloren = 1', '    (25% Verlust),', 'Ca. Zeitangaben in Millisek.:', '    Minimum = 0ms, Maximum = 3ms, Mittelwert = 1ms']);
    expect(de['ping.loss_pct'].value).toBe(25);
    expect(de['ping.rtt_idle_ms'].value).toBe(1);
  });

  it('Japanese, Chinese and Italian Windows ping', () => {
    const ja = read(['C:\\>ping -n 3 10.2.2.9', '', '10.2.2.9 に ping を送信しています 32 バイトのデータ:', '10.2.2.9 からの応答: バイト数 =32 時間 =5ms TTL=57', '要求がタイムアウトしました。', '10.2.2.9 からの応答: バイト数 =32 時間 =6ms TTL=57', '', '10.2.2.9 の ping 統計:', '    パケット数: 送信 = 3、受信 = 2、損失 = 1 (33% の損失)、', 'ラウンド トリップの概算時間 (ミリ秒):', '    最小 = 5ms、最大 = 6ms、平均 = 5ms']);
    expect(ja['ping.loss_pct'].value).toBeCloseTo(33.3, 1);
    expect(ja['ping.rtt_idle_ms'].value).toBe(5);
    const zh = read(['C:\\>ping -f -l 1472 10.2.2.9', '', '正在 Ping 10.2.2.9 具有 1472 字节的数据:', '需要拆分数据包但是设置 DF。', '需要拆分数据包但是设置 DF。', '', '10.2.2.9 的 Ping 统计信息:', '    数据包: 已发送 = 2，已接收 = 0，丢失 = 2 (100% 丢失)，']);
    expect(zh['ping.large_df'].value).toBe('frag_needed_reply');
    const it = read(['C:\\>ping 10.2.2.9', 'Esecuzione di Ping 10.2.2.9 con 32 byte di dati:', 'Risposta da 10.2.2.9: byte=32 durata=4ms TTL=57', 'Risposta da 10.2.2.9: byte=32 durata=5ms TTL=57', 'Richiesta scaduta.', 'Richiesta scaduta.', '', 'Statistiche Ping per 10.2.2.9:', '    Pacchetti: Trasmessi = 4, Ricevuti = 2,', '    Persi = 2 (50% persi),']);
    expect(it['ping.loss_pct'].value).toBe(50);
  });

  it('PowerShell time prefixes and `| ts` stamps are taken off the line', () => {
    const o = read(['PS C:\\> ping -t 10.2.2.9 | ForEach-Object { "{0} - {1}" -f (Get-Date), $_ }', '11/24/2026 2:10:01 AM - Pinging 10.2.2.9 with 32 bytes of data:', '11/24/2026 2:10:01 AM - Reply from 10.2.2.9: bytes=32 time=1ms TTL=57', '11/24/2026 2:10:02 AM - Reply from 10.2.2.9: bytes=32 time=1ms TTL=57', '11/24/2026 2:10:03 AM - Reply from 10.2.2.9: bytes=32 time=1ms TTL=57', '11/24/2026 2:10:08 AM - Request timed out.']);
    expect(o['ping.loss_pct'].value).toBe(25);
  });

  it('reads no ping in other output, and nothing from the command line alone', () => {
    expect(read(['traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets', ' 1  10.1.1.1  0.4 ms  0.4 ms  0.4 ms'])).toEqual({});
    expect(read(['$ ping -M do -s 1472 -c 3 dd02'])).toEqual({});
    expect(read(['2021-06-29 15:06:17 avtar Info <7925>: Restored 0 bytes from selection(s) with 0 bytes in 0 files'])).toEqual({});
  });

  it('hostile input: a 16 K line of near-misses is read in linear time and yields nothing', () => {
    const long = `PING ${'x'.repeat(4000)} min/avg/max ${' '.repeat(4000)}time=${'9'.repeat(4000)} ${'('.repeat(4000)}`;
    expect(read(['$ ping dd02', long, `rtt min/avg/max/mdev ${' '.repeat(16000)}`, `Packets: ${'= '.repeat(8000)}`])).toEqual({});
    // bracket runs around a header token
    expect(read(['$ ping dd02', `Pinging ${'['.repeat(8000)}x${')'.repeat(8000)}! with 32 bytes of data:`])).toEqual({});
  });
});
